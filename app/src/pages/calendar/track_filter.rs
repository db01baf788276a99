use crate::models::TrackSummary;
use leptos::prelude::*;

const TRACK_LINK: &str = concat!(
    "block rounded-full border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 ",
    "aria-[current=true]:border-slate-900 aria-[current=true]:bg-slate-900 aria-[current=true]:text-white"
);

/// "All tracks" and one link per track. `rest` is the rest of the query
/// (`view=month&month=2026-12&`), kept when the track changes.
#[component]
pub fn TrackFilter(
    tracks: Vec<TrackSummary>,
    selected: Memo<Option<String>>,
    rest: String,
) -> impl IntoView {
    let filters = std::iter::once(("All tracks".to_owned(), None))
        .chain(
            tracks
                .iter()
                .map(|t| (t.name.clone(), Some(t.name.clone()))),
        )
        .map(|(label, value)| {
            let href = match &value {
                Some(v) => format!("/calendar?{rest}track={v}"),
                None if rest.is_empty() => "/calendar".to_owned(),
                None => format!("/calendar?{}", rest.trim_end_matches('&')),
            };
            // A plain link the server answers; with JavaScript the page's
            // regions are swapped in place (`data-swap`), without a reload.
            let current = move || (selected.get() == value).then_some("true");
            view! {
                <li>
                    <a
                        href=href
                        data-swap=""
                        aria-current=current
                        class=TRACK_LINK
                    >
                        {label}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav aria-label="Filter by track" class="mb-4">
            <ul class="flex flex-wrap gap-2">{filters}</ul>
        </nav>
    }
}

/// Each track's colour, by name.
pub fn colours(tracks: &[TrackSummary]) -> std::collections::HashMap<String, String> {
    tracks
        .iter()
        .map(|t| (t.name.clone(), t.colour.clone()))
        .collect()
}
