//! Live updates: the server announces every committed change on `/events`
//! (server-sent events fed by Postgres LISTEN/NOTIFY). Pages are rendered on
//! the server; each marks the parts that show data as a [`LiveRegion`] with
//! the resources it shows (`train:NAME`, `freeze:`…). One island in the
//! header listens and, when a change touches a region on the page, fetches
//! the page again and swaps the fresh regions in — no reload, and nothing of
//! the page's rendering code in the browser. A dropped connection reconnects
//! and then refreshes every region, which catches up whatever it missed.
//!
//! The same island swaps regions for links marked `data-swap` (the
//! calendar's track filter), so they change the page without a reload.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What one change announcement carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub action: String,
    /// `train:NAME`, `freeze:ID`, `track:NAME`, … or `*` for "refresh all".
    pub resource: String,
}

/// Whether a region showing `topics` (space-separated: `*` for anything, a
/// resource such as `train:curve-2.1`, or a kind such as `freeze:`) shows
/// what `resource` names.
pub fn touches(topics: &str, resource: &str) -> bool {
    resource == "*"
        || topics.split_whitespace().any(|topic| {
            topic == "*"
                || topic == resource
                || (topic.ends_with(':') && resource.starts_with(topic))
        })
}

/// A part of a server-rendered page that shows `topics`: swapped for its
/// fresh rendering when a change touches them.
#[component]
pub fn LiveRegion(
    /// Unique on the page.
    id: &'static str,
    topics: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div id=format!("live-{id}") data-live-region="" data-live-topics=topics>
            {children()}
        </div>
    }
}

/// "● Live" in the header while the stream is open; the page's live regions
/// follow the changes it announces.
#[island]
pub fn LiveIndicator() -> impl IntoView {
    let connected = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| client::start(connected));
    let text = move || if connected.get() { "● Live" } else { "" };
    view! {
        <span class="text-xs text-emerald-300" data-testid="live-indicator" aria-live="polite">
            {text}
        </span>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use super::{touches, Notice};
    use leptos::prelude::*;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    thread_local! {
        /// A refresh is running; another is wanted after it.
        static BUSY: Cell<bool> = const { Cell::new(false) };
        static AGAIN: Cell<bool> = const { Cell::new(false) };
        /// Counts notices: only the last one's settling refresh runs.
        static NOTICES: Cell<u64> = const { Cell::new(0) };
    }

    /// How long after a notice the page is fetched once more. The first
    /// fetch may reach another instance behind the balancer that has not yet
    /// heard of the change and answers its cached page; every instance has
    /// heard of it, and its cache has ended, well within this.
    const SETTLE: std::time::Duration = std::time::Duration::from_millis(1500);

    /// Refreshes now, and once more when the change has reached every
    /// instance; a burst of notices makes one settling refresh.
    fn refresh_for_notice() {
        refresh(None);
        let this = NOTICES.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        set_timeout(
            move || {
                if NOTICES.with(Cell::get) == this {
                    refresh(None);
                }
            },
            SETTLE,
        );
    }

    pub fn start(connected: RwSignal<bool>) {
        connect(connected);
        follow_swap_links();
    }

    fn connect(connected: RwSignal<bool>) {
        let Ok(source) = web_sys::EventSource::new("/events") else {
            return;
        };
        let on_change =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let notice = e
                    .data()
                    .as_string()
                    .and_then(|data| serde_json::from_str::<Notice>(&data).ok());
                if let Some(notice) = notice {
                    if page_shows(&notice.resource) {
                        refresh_for_notice();
                    }
                }
            });
        let _ =
            source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();

        // Every open after the first is a reconnection: refresh everything.
        let opened = Rc::new(Cell::new(false));
        let on_open = Closure::<dyn FnMut()>::new(move || {
            connected.set(true);
            if opened.replace(true) {
                refresh(None);
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();

        let retry = source.clone();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            connected.set(false);
            // The browser retries by itself unless the server refused
            // outright; then start over a little later.
            if retry.ready_state() == web_sys::EventSource::CLOSED {
                set_timeout(
                    move || {
                        connect(connected);
                        refresh(None);
                    },
                    std::time::Duration::from_secs(3),
                );
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
    }

    /// Whether a live region of this page shows `resource`.
    fn page_shows(resource: &str) -> bool {
        let Ok(regions) = document().query_selector_all("[data-live-region]") else {
            return false;
        };
        (0..regions.length())
            .filter_map(|i| regions.get(i)?.dyn_into::<web_sys::Element>().ok())
            .any(|region| {
                touches(
                    &region.get_attribute("data-live-topics").unwrap_or_default(),
                    resource,
                )
            })
    }

    /// Links marked `data-swap` change the page's regions in place; the back
    /// button does the same.
    fn follow_swap_links() {
        let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(|e: web_sys::MouseEvent| {
            if e.default_prevented()
                || e.button() != 0
                || e.ctrl_key()
                || e.meta_key()
                || e.shift_key()
            {
                return;
            }
            let link = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a[data-swap]").ok().flatten());
            let Some(href) = link.and_then(|a| a.get_attribute("href")) else {
                return;
            };
            e.prevent_default();
            refresh(Some(href));
        });
        let _ =
            document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
        let on_back = Closure::<dyn FnMut()>::new(|| refresh(None));
        let _ =
            window().add_event_listener_with_callback("popstate", on_back.as_ref().unchecked_ref());
        on_back.forget();
    }

    /// Fetches the page (the current one, or `to`, which then becomes the
    /// current address) and swaps in its regions. One at a time: changes
    /// that arrive meanwhile make one more refresh afterwards.
    fn refresh(to: Option<String>) {
        if to.is_none() && BUSY.with(Cell::get) {
            AGAIN.with(|a| a.set(true));
            return;
        }
        BUSY.with(|b| b.set(true));
        leptos::task::spawn_local(async move {
            if let Err(e) = swap(to).await {
                leptos::logging::warn!("live update failed: {e:?}");
            }
            BUSY.with(|b| b.set(false));
            if AGAIN.with(|a| a.replace(false)) {
                refresh(None);
            }
        });
    }

    async fn swap(to: Option<String>) -> Result<(), JsValue> {
        let window = window();
        let href = match &to {
            Some(href) => href.clone(),
            None => window.location().href()?,
        };
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&href))
            .await?
            .dyn_into()?;
        if !response.ok() {
            // Keep what is shown; the next change or reconnection tries again.
            return Ok(());
        }
        let html = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        let fresh = web_sys::DomParser::new()?
            .parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
        if let Some(path) = to {
            window
                .history()?
                .push_state_with_url(&JsValue::NULL, "", Some(&path))?;
            if !fresh.title().is_empty() {
                document().set_title(&fresh.title());
            }
        }
        let page = document();
        let regions = fresh.query_selector_all("[data-live-region]")?;
        for i in 0..regions.length() {
            let Some(region) = regions
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let Some(old) = page.get_element_by_id(&region.id()) else {
                continue;
            };
            if being_edited(&page, &old) {
                continue;
            }
            let region: web_sys::Element = page.import_node_with_deep(&region, true)?.dyn_into()?;
            old.replace_with_with_node_1(&region)?;
            hydrate_islands_in(&region)?;
        }
        Ok(())
    }

    /// Someone is typing in a form of this region: leave it alone.
    fn being_edited(page: &web_sys::Document, region: &web_sys::Element) -> bool {
        page.active_element().is_some_and(|active| {
            region.contains(Some(&active))
                && matches!(active.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        })
    }

    /// Islands inside a swapped region start as they do at page load.
    fn hydrate_islands_in(region: &web_sys::Element) -> Result<(), JsValue> {
        let hydrate: js_sys::Function =
            js_sys::Reflect::get(&window(), &JsValue::from_str("__hydrateIsland"))?.dyn_into()?;
        let islands = region.query_selector_all("leptos-island")?;
        for i in 0..islands.length() {
            let Some(island) = islands
                .get(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                continue;
            };
            let id = island.dataset().get("component").unwrap_or_default();
            hydrate.call2(&JsValue::NULL, &island, &JsValue::from_str(&id))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::touches;

    #[test]
    fn a_region_follows_the_resources_and_kinds_it_names() {
        let train = "train:curve-2.1-rollout freeze:";
        assert!(touches(train, "train:curve-2.1-rollout"));
        assert!(touches(train, "freeze:12"));
        assert!(!touches(train, "train:curve-2.2-rollout"));
        assert!(!touches(train, "track:dev"));
        assert!(touches(train, "*"), "a resync refreshes everything");
        assert!(touches("*", "track:dev"));
        assert!(!touches("", "track:dev"));
    }
}
