//! "← Newer" / "Older →" under a keyset-paginated list.

use crate::components::query::page_href;
use crate::domain::keyset::PageLinks;
use leptos::prelude::*;

/// Links to the neighbouring pages of `path` with the list's `filters`.
#[component]
pub fn PageNav(
    path: &'static str,
    filters: Vec<(&'static str, Option<String>)>,
    links: PageLinks,
) -> impl IntoView {
    let pairs: Vec<(&str, &Option<String>)> = filters.iter().map(|(k, v)| (*k, v)).collect();
    let newer = links
        .newer
        .map(|key| page_href(path, &pairs, ("before", &key)));
    let older = links
        .older
        .map(|key| page_href(path, &pairs, ("after", &key)));
    view! {
        <nav class="mt-3 flex gap-4 text-sm" aria-label="Pages">
            {newer.map(|href| view! { <a class="text-sky-700 underline" rel="prev" href=href>"← Newer"</a> })}
            {older.map(|href| view! { <a class="text-sky-700 underline" rel="next" href=href>"Older →"</a> })}
        </nav>
    }
}
