use super::track_filter::{colours, TrackFilter};
use crate::components::moment::Moment;
use crate::components::time::relative_label;
use crate::components::track_badge::TrackBadge;
use crate::domain::CalendarStatus;
use crate::models::calendar::CalendarPageData;
use crate::models::CalendarEntry;
use leptos::prelude::*;
use std::sync::Arc;

/// The agenda (list) view: track filters, then one row per train.
#[component]
pub fn Agenda(data: CalendarPageData, selected: Memo<Option<String>>) -> impl IntoView {
    let colours = Arc::new(colours(&data.tracks));
    let recent_colours = Arc::clone(&colours);
    let now = data.now;
    let may_edit = data.may_edit;
    let entries = Arc::new(data.entries);
    let visible = {
        let entries = Arc::clone(&entries);
        move || of_track(&entries, selected.get().as_deref())
    };
    let is_empty = {
        let visible = visible.clone();
        move || visible().is_empty()
    };
    view! {
        <TrackFilter tracks=data.tracks.clone() selected rest=String::new() />
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Upcoming trains">
                <AgendaHead tag="Tag (planned)" />
                <tbody class="divide-y divide-slate-100">
                    <For
                        each=visible
                        key=|t| (t.track.clone(), t.at, t.tag.clone(), t.status, t.on_call.clone())
                        let:entry
                    >
                        <AgendaRow
                            colour=colours.get(&entry.track).cloned().unwrap_or_default()
                            entry
                            now
                            may_edit
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
        <RecentTrains recent=data.recent colours=recent_colours now selected />
    }
}

/// The last two weeks' trains, newest first, with what happened to them.
#[component]
fn RecentTrains(
    recent: Vec<CalendarEntry>,
    colours: Arc<std::collections::HashMap<String, String>>,
    now: chrono::DateTime<chrono::Utc>,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    if recent.is_empty() {
        return view! { <span></span> }.into_any();
    }
    let visible = move || of_track(&recent, selected.get().as_deref());
    view! {
        <h2 class="mb-2 mt-6 text-lg font-medium">"Recent trains"</h2>
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Recent trains">
                <AgendaHead tag="Tag" />
                <tbody class="divide-y divide-slate-100">
                    <For
                        each=visible
                        key=|t| (t.track.clone(), t.at, t.tag.clone(), t.status)
                        let:entry
                    >
                        <AgendaRow
                            colour=colours.get(&entry.track).cloned().unwrap_or_default()
                            entry
                            now
                            may_edit=false
                        />
                    </For>
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The entries of the selected track, or all of them.
fn of_track(entries: &[CalendarEntry], selected: Option<&str>) -> Vec<CalendarEntry> {
    entries
        .iter()
        .filter(|t| selected.is_none_or(|s| s == t.track))
        .cloned()
        .collect()
}

/// The columns of both agenda tables.
#[component]
fn AgendaHead(tag: &'static str) -> impl IntoView {
    view! {
        <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
                <th scope="col" class="px-4 py-2">"Date (UTC)"</th>
                <th scope="col" class="px-4 py-2">"Track"</th>
                <th scope="col" class="px-4 py-2">{tag}</th>
                <th scope="col" class="px-4 py-2">"On-call"</th>
                <th scope="col" class="px-4 py-2">"Status"</th>
                <th scope="col" class="px-4 py-2"><span class="sr-only">"Actions"</span></th>
            </tr>
        </thead>
    }
}

#[component]
fn AgendaRow(
    entry: CalendarEntry,
    colour: String,
    now: chrono::DateTime<chrono::Utc>,
    may_edit: bool,
) -> impl IntoView {
    let on_call = match (&entry.on_call, &entry.warning) {
        (Some(person), _) => view! { <span>{format!("@{person}")}</span> }.into_any(),
        (None, Some(warning)) => {
            view! {
                <span class="font-medium text-amber-700" data-testid="skip-warning">{warning.clone()}</span>
            }.into_any()
        }
        (None, None) => view! { <span class="text-slate-400">"—"</span> }.into_any(),
    };
    let tag = match (&entry.tag, &entry.train) {
        (Some(tag), Some(name)) => view! {
            <a class="text-sky-800 underline" href=format!("/trains/{name}")>{tag.clone()}</a>
        }.into_any(),
        (Some(tag), None) => view! { <span>{tag.clone()}</span> }.into_any(),
        (None, _) => view! {
            <span class="text-slate-400" title="planned by the cadence; the train is recorded when it is planned ahead">
                "(cadence slot)"
            </span>
        }.into_any(),
    };
    let status_class = match entry.status {
        CalendarStatus::Skipped | CalendarStatus::Failed | CalendarStatus::RolledBack => {
            "font-medium text-rose-700"
        }
        CalendarStatus::Postponed => "font-medium text-amber-700",
        CalendarStatus::Cut => "font-medium text-sky-800",
        CalendarStatus::Done => "text-emerald-700",
        CalendarStatus::Open => "",
    };
    let editable = may_edit
        && (entry.status.is_ahead() && entry.at > now || entry.status == CalendarStatus::Cut);
    let edit = entry.train.clone().filter(|_| editable).map(|name| {
        view! {
            <a href=format!("/calendar/trains/{name}") class="text-sky-700 underline" aria-label=format!("Edit {name}")>
                "Edit"
            </a>
        }
    });
    let moved = entry
        .moved_from
        .map(|from| format!(" (moved from {})", from.format("%a %d %b %H:%M")));
    let branch = entry.release_branch.clone().map(|b| {
        view! { <span class="block font-mono text-xs text-slate-600" title="release branch">{b}</span> }
    });
    let linked = |label: &'static str, name: Option<String>| {
        name.map(|n| {
            view! {
                <span class="block text-xs text-slate-600">
                    {label} " " <a class="text-sky-800 underline" href=format!("/trains/{n}")>{n.clone()}</a>
                </span>
            }
        })
    };
    let baseline = linked("from hotfix", entry.baseline.clone());
    let rolled_into = linked("rolled forward into", entry.rolled_into.clone());
    let category = entry.category.clone().map(
        |c| view! { <span class="block text-xs text-amber-800">{format!("category: {c}")}</span> },
    );
    view! {
        <tr
            data-track=entry.track.clone()
            data-testid=format!("row-{}", entry.tag.clone().unwrap_or_default())
            class="hover:bg-slate-50"
        >
            <td class="whitespace-nowrap px-4 py-2">
                <Moment at=entry.at />
                <span class="ml-2 text-xs text-slate-500">{relative_label(entry.at, now)}</span>
            </td>
            <td class="px-4 py-2">
                <TrackBadge name=entry.track.clone() colour />
            </td>
            <td class="whitespace-nowrap px-4 py-2 font-mono">{tag}</td>
            <td class="px-4 py-2">{on_call}</td>
            <td class="px-4 py-2">
                <span class=status_class>{entry.status.label()}</span>
                {entry.reason.clone().map(|r| view! { <span class="block text-xs text-slate-600">{r}</span> })}
                {category}
                {moved.map(|m| view! { <span class="block text-xs text-slate-500">{m}</span> })}
                {branch}
                {baseline}
                {rolled_into}
            </td>
            <td class="px-4 py-2">{edit}</td>
        </tr>
    }
}
