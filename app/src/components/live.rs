//! Live updates: the server announces every committed change on `/events`
//! (server-sent events fed by Postgres LISTEN/NOTIFY); pages whose data it
//! touches fetch again, without a reload. A dropped connection reconnects and
//! then refreshes everything, which catches up whatever it missed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What one change announcement carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub action: String,
    /// `train:NAME`, `freeze:ID`, `track:NAME`, … or `*` for "refresh all".
    pub resource: String,
}

#[derive(Clone, Copy)]
pub struct Live {
    /// The latest notice and a counter that makes equal notices distinct.
    last: RwSignal<(u64, Option<Notice>)>,
    pub connected: RwSignal<bool>,
}

impl Live {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn announce(&self, notice: Notice) {
        self.last.update(|(n, last)| {
            *n += 1;
            *last = Some(notice);
        });
    }
}

pub fn provide_live() {
    let live = Live {
        last: RwSignal::new((0, None)),
        connected: RwSignal::new(false),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| connect(live));
}

/// A number that changes whenever a change the page cares about arrives:
/// put it in a `Resource`'s source so the resource fetches again.
pub fn live_version(cares: impl Fn(&str) -> bool + Send + Sync + 'static) -> Memo<u64> {
    let live = use_context::<Live>();
    Memo::new(move |previous: Option<&u64>| {
        let previous = previous.copied().unwrap_or(0);
        let Some(live) = live else { return previous };
        match live.last.get() {
            (_, Some(notice)) if notice.resource == "*" || cares(&notice.resource) => previous + 1,
            _ => previous,
        }
    })
}

/// "Live" or "Reconnecting…", for the header.
#[component]
pub fn LiveIndicator() -> impl IntoView {
    let connected = use_context::<Live>().map(|l| l.connected);
    let text = move || match connected.map(|c| c.get()) {
        Some(true) => "● Live",
        _ => "",
    };
    view! {
        <span class="text-xs text-emerald-300" data-testid="live-indicator" aria-live="polite">
            {text}
        </span>
    }
}

#[cfg(feature = "hydrate")]
fn connect(live: Live) {
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::JsCast;

    let Ok(source) = web_sys::EventSource::new("/events") else {
        return;
    };
    let on_change =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(notice) = e
                .data()
                .as_string()
                .and_then(|data| serde_json::from_str::<Notice>(&data).ok())
            {
                live.announce(notice);
            }
        });
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    on_change.forget();

    // Every open after the first is a reconnection: refresh everything.
    let opened = Rc::new(Cell::new(false));
    let on_open = Closure::<dyn FnMut()>::new(move || {
        live.connected.set(true);
        if opened.replace(true) {
            live.announce(Notice {
                action: "reconnect".into(),
                resource: "*".into(),
            });
        }
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    on_open.forget();

    let retry = source.clone();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        live.connected.set(false);
        // The browser retries by itself unless the server refused outright;
        // then start over a little later.
        if retry.ready_state() == web_sys::EventSource::CLOSED {
            set_timeout(
                move || {
                    connect(live);
                    live.announce(Notice {
                        action: "reconnect".into(),
                        resource: "*".into(),
                    });
                },
                std::time::Duration::from_secs(3),
            );
        }
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
}

/// A page's own "fetch again" counter, for changes the page itself made
/// (the live channel may be down, or slower than the answer).
#[derive(Clone, Copy)]
pub struct Refresh(pub RwSignal<u64>);

pub fn provide_refresh() -> Refresh {
    let refresh = Refresh(RwSignal::new(0));
    provide_context(refresh);
    refresh
}

/// Bumps the page's refresh counter whenever `version` (an action's) moves.
pub fn refresh_on(version: impl Fn() -> usize + Send + Sync + 'static) {
    if let Some(Refresh(counter)) = use_context::<Refresh>() {
        Effect::watch(version, move |_, _, _| counter.update(|n| *n += 1), false);
    }
}
