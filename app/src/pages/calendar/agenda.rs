use crate::components::time::{relative_label, utc_label};
use crate::components::track_badge::TrackBadge;
use crate::models::{CalendarView, TrainRow};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The agenda (list) view: track filters, then one row per planned train.
#[component]
pub fn Agenda(data: CalendarView, selected: Memo<Option<String>>) -> impl IntoView {
    let positions: Arc<HashMap<String, usize>> = Arc::new(
        data.tracks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect(),
    );
    let now = data.now;
    let trains = Arc::new(data.trains);
    let visible = {
        let trains = Arc::clone(&trains);
        move || {
            let selected = selected.get();
            trains
                .iter()
                .filter(|t| selected.as_deref().is_none_or(|s| s == t.track))
                .cloned()
                .collect::<Vec<_>>()
        }
    };
    let is_empty = {
        let visible = visible.clone();
        move || visible().is_empty()
    };
    let filters = std::iter::once(("All tracks".to_owned(), None))
        .chain(data.tracks.iter().map(|t| (t.name.clone(), Some(t.name.clone()))))
        .map(|(label, value)| {
            let href = value.as_ref().map_or_else(|| "/calendar".to_owned(), |v| format!("/calendar?track={v}"));
            // A plain anchor: the router still navigates in-page once hydrated,
            // and `aria-current` reflects the query, which `<A>` ignores.
            let current = move || (selected.get() == value).then_some("true");
            view! {
                <li>
                    <a
                        href=href
                        aria-current=current
                        class="block rounded-full border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 aria-[current=true]:border-slate-900 aria-[current=true]:bg-slate-900 aria-[current=true]:text-white"
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
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Upcoming trains">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                    <tr>
                        <th scope="col" class="px-4 py-2">"Date (UTC)"</th>
                        <th scope="col" class="px-4 py-2">"Track"</th>
                        <th scope="col" class="px-4 py-2">"Tag (planned)"</th>
                        <th scope="col" class="px-4 py-2">"On-call"</th>
                        <th scope="col" class="px-4 py-2">"Status"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    <For each=visible key=|t| (t.track.clone(), t.tag.clone()) let:train>
                        <AgendaRow
                            position=positions.get(&train.track).copied().unwrap_or(0)
                            train
                            now
                        />
                    </For>
                </tbody>
            </table>
            <Show when=is_empty>
                <p class="px-4 py-6 text-center text-sm text-slate-500">
                    "No trains are planned for this selection."
                </p>
            </Show>
        </div>
    }
}

#[component]
fn AgendaRow(
    train: TrainRow,
    position: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> impl IntoView {
    let on_call = match (train.on_call, train.warning) {
        (Some(person), _) => view! { <span>{format!("@{person}")}</span> }.into_any(),
        (None, Some(warning)) => {
            view! { <span class="font-medium text-amber-700">{warning}</span> }.into_any()
        }
        (None, None) => view! { <span class="text-slate-400">"—"</span> }.into_any(),
    };
    view! {
        <tr data-track=train.track.clone() class="hover:bg-slate-50">
            <td class="whitespace-nowrap px-4 py-2">
                <time datetime=train.planned_start.to_rfc3339()>{utc_label(train.planned_start)}</time>
                <span class="ml-2 text-xs text-slate-500">{relative_label(train.planned_start, now)}</span>
            </td>
            <td class="px-4 py-2">
                <TrackBadge name=train.track.clone() position />
            </td>
            <td class="px-4 py-2 font-mono">{train.tag}</td>
            <td class="px-4 py-2">{on_call}</td>
            <td class="px-4 py-2">{train.status.label()}</td>
        </tr>
    }
}
