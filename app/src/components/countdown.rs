//! Time left until a deadline (a wait timer): the server renders the
//! deadline, the browser counts down to it every second.

use super::time::{relative_label, utc_label};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// `9:41` for 581 seconds.
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[island]
pub fn Countdown(until: DateTime<Utc>, now: DateTime<Utc>) -> impl IntoView {
    // Seconds left as the server saw it when it rendered; the browser then
    // counts down from there, so its own clock's error does not matter.
    let left = RwSignal::new((until - now).num_seconds());
    let node = NodeRef::<leptos::html::Span>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use std::cell::Cell;
        use std::rc::Rc;
        let start = js_sys::Date::now();
        let initial = left.get_untracked();
        let handle: Rc<Cell<Option<IntervalHandle>>> = Rc::default();
        let own = Rc::clone(&handle);
        if let Ok(h) = set_interval_with_handle(
            move || {
                // A live update replaced the page around it: stop.
                if !node.get_untracked().is_some_and(|n| n.is_connected()) {
                    if let Some(h) = own.take() {
                        h.clear();
                    }
                    return;
                }
                let elapsed = ((js_sys::Date::now() - start) / 1000.0) as i64;
                left.set(initial - elapsed);
            },
            std::time::Duration::from_secs(1),
        ) {
            handle.set(Some(h));
        }
    });
    let text = move || match left.get() {
        s if s > 0 => format!("{} left", clock(s)),
        _ => "time is up".to_owned(),
    };
    view! {
        <span node_ref=node data-testid="countdown" aria-live="off">
            <strong class="font-mono">{text}</strong>
            <span class="ml-1 text-xs text-slate-500">
                {format!("(until {}, {})", utc_label(until), relative_label(until, now))}
            </span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::clock;

    #[test]
    fn the_clock_reads_minutes_and_seconds_or_hours() {
        assert_eq!(clock(581), "9:41");
        assert_eq!(clock(5), "0:05");
        assert_eq!(clock(3725), "1:02:05");
        assert_eq!(clock(-3), "0:00");
    }
}
