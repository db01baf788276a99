//! A point in time as the calendar shows it: UTC for everyone, and once the
//! page runs in a browser, the same moment in the viewer's own time zone
//! (an island: the one thing here only the browser knows).

use super::time::utc_label;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

#[island]
pub fn Moment(at: DateTime<Utc>) -> impl IntoView {
    // Empty on the server and at hydration, so both render the same HTML;
    // the browser fills it in afterwards.
    let local = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| local.set(local_label(at)));
    view! {
        <time datetime=at.to_rfc3339()>{utc_label(at)}</time>
        {move || {
            local
                .get()
                .map(|label| {
                    view! {
                        <span class="ml-1 text-xs text-slate-500" data-testid="local-time">
                            {format!("({label} your time)")}
                        </span>
                    }
                })
        }}
    }
}

/// `Tue 24 Nov, 15:00 CET`; nothing when the viewer's zone is UTC itself.
#[cfg(feature = "hydrate")]
fn local_label(at: DateTime<Utc>) -> Option<String> {
    use wasm_bindgen::JsValue;
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    if date.get_timezone_offset() == 0.0 {
        return None;
    }
    let options = js_sys::Object::new();
    for (key, value) in [
        ("weekday", "short"),
        ("day", "numeric"),
        ("month", "short"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("timeZoneName", "short"),
    ] {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    date.to_locale_string("en-GB", &options).as_string()
}
