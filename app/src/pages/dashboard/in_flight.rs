//! Every train in flight as one table: counts per state, filters (track,
//! captain, mine, blocked), columns that sort, and groups with the blocked
//! trains first. All plain links and a GET form: it works without
//! JavaScript, and a live update keeps the viewer's filters.

use crate::components::query::encode_value;
use crate::domain::TrainState;
use crate::models::dashboard::{DashboardData, InFlightQuery, InFlightTrain, SortBy};
use crate::pages::trains::{state_class, state_label};
use leptos::prelude::*;

const SELECT: &str = "mt-1 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900";
const ALARM_CHIP: &str = concat!(
    "rounded-full border border-rose-300 bg-rose-50 px-3 py-1 text-rose-800 ",
    "aria-[current=true]:bg-rose-700 aria-[current=true]:text-white"
);
const CHIP: &str = concat!(
    "rounded-full border border-slate-300 bg-white px-3 py-1 ",
    "aria-[current=true]:bg-slate-900 aria-[current=true]:text-white"
);
const GROUP_HEADING: &str =
    "px-3 py-1 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const PROGRESS_BAR: &str = concat!(
    "h-2 w-20 overflow-hidden rounded ",
    "[&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-sky-600"
);

/// `/?…` for `query`, leaving out what is at its default.
fn href(query: &InFlightQuery) -> String {
    let mut parts = Vec::new();
    for (key, value) in [("track", &query.track), ("captain", &query.captain)] {
        if let Some(v) = value {
            parts.push(format!("{key}={}", encode_value(v)));
        }
    }
    if let Some(state) = query.state {
        parts.push(format!("state={}", state.as_str()));
    }
    for (key, on) in [
        ("mine", query.mine),
        ("blocked", query.blocked),
        ("desc", query.descending),
    ] {
        if on {
            parts.push(format!("{key}=1"));
        }
    }
    if query.sort != SortBy::default() {
        parts.push(format!("sort={}", query.sort.as_str()));
    }
    if parts.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", parts.join("&"))
    }
}

#[component]
pub fn InFlight(data: DashboardData, filter: InFlightQuery) -> impl IntoView {
    let total = data.in_flight.len();
    let groups = data.arrange(&filter);
    let shown: usize = groups.iter().map(|g| g.trains.len()).sum();
    view! {
        <section aria-labelledby="in-flight" class="mb-6">
            <div class="mb-2 flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="in-flight" class="text-lg font-medium">"Trains in flight"</h2>
                <p class="text-sm text-slate-600" data-testid="in-flight-shown">
                    {if shown == total { format!("{total} in flight") } else { format!("{shown} of {total} shown") }}
                </p>
            </div>
            <StateChips data=data.clone() filter=filter.clone() />
            <Filters data=data.clone() filter=filter.clone() />
            {if total == 0 {
                view! { <p class="text-sm text-slate-500">"No train is running right now."</p> }.into_any()
            } else if groups.is_empty() {
                view! { <p class="text-sm text-slate-500">"No train in flight matches these filters."</p> }.into_any()
            } else {
                view! { <Table groups filter /> }.into_any()
            }}
        </section>
    }
}

/// All, blocked, and each state with its count, as links that filter the
/// table; the filter in force is marked current.
#[component]
fn StateChips(data: DashboardData, filter: InFlightQuery) -> impl IntoView {
    let (blocked, states) = data.counts();
    let total = data.in_flight.len();
    let everything = InFlightQuery {
        sort: filter.sort,
        descending: filter.descending,
        ..InFlightQuery::default()
    };
    let mut chips = vec![
        chip(
            "All".into(),
            total,
            everything.clone(),
            everything == filter,
            false,
        ),
        chip(
            "Blocked".into(),
            blocked,
            InFlightQuery {
                blocked: true,
                ..everything.clone()
            },
            filter.blocked && filter.state.is_none(),
            true,
        ),
    ];
    for (state, n) in states {
        let query = InFlightQuery {
            state: Some(state),
            ..everything.clone()
        };
        let current = filter.state == Some(state);
        chips.push(chip(
            state_label(state),
            n,
            query,
            current,
            state == TrainState::Failed,
        ));
    }
    view! { <ul class="mb-3 flex flex-wrap gap-2 text-sm" aria-label="Trains by state">{chips}</ul> }
}

/// One count that links to its filter; an alarming one is red when not zero.
fn chip(
    label: String,
    n: usize,
    query: InFlightQuery,
    current: bool,
    alarm: bool,
) -> impl IntoView {
    let class = if alarm && n > 0 { ALARM_CHIP } else { CHIP };
    view! {
        <li><a href=href(&query) class=class aria-current=current.then_some("true")>
            {label}" "<strong>{n}</strong>
        </a></li>
    }
}

/// Track, captain, mine and blocked, as a GET form.
#[component]
fn Filters(data: DashboardData, filter: InFlightQuery) -> impl IntoView {
    let mut tracks: Vec<String> = data
        .next_trains
        .iter()
        .map(|n| n.track.name.clone())
        .collect();
    tracks.extend(data.in_flight.iter().filter_map(|t| t.track.clone()));
    tracks.sort();
    tracks.dedup();
    let mut captains: Vec<String> = data
        .in_flight
        .iter()
        .filter_map(|t| t.captain.clone())
        .collect();
    captains.sort();
    captains.dedup();
    let select =
        |name: &'static str, label: &'static str, options: Vec<String>, chosen: Option<String>| {
            view! {
                <label class="flex flex-col text-xs font-medium text-slate-600">{label}
                    <select name=name class=SELECT>
                        <option value="">"any"</option>
                        {crate::components::options::options(options, chosen)}
                    </select>
                </label>
            }
        };
    let signed_in = data.viewer.is_some();
    view! {
        <form method="get" action="/" class="mb-3 flex flex-wrap items-end gap-3" aria-label="Filter trains in flight">
            {select("track", "Track", tracks, filter.track.clone())}
            {select("captain", "Captain", captains, filter.captain.clone())}
            {signed_in.then(|| view! {
                <label class="flex items-center gap-1 text-sm">
                    <input type="checkbox" name="mine" value="1" checked=filter.mine />
                    "Mine"
                </label>
            })}
            <label class="flex items-center gap-1 text-sm">
                <input type="checkbox" name="blocked" value="1" checked=filter.blocked />
                "Blocked only"
            </label>
            {filter.state.map(|s| view! { <input type="hidden" name="state" value=s.as_str() /> })}
            <input type="hidden" name="sort" value=filter.sort.as_str() />
            {filter.descending.then(|| view! { <input type="hidden" name="desc" value="1" /> })}
            <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">"Filter"</button>
            <a href="/" class="text-sm text-sky-700 underline">"Clear"</a>
        </form>
    }
}

#[component]
fn Table(
    groups: Vec<crate::models::dashboard::InFlightGroup>,
    filter: InFlightQuery,
) -> impl IntoView {
    let header = |label: &'static str, sort: Option<SortBy>| {
        let cell = match sort {
            None => view! { <span>{label}</span> }.into_any(),
            Some(by) => {
                let active = filter.sort == by;
                let query = InFlightQuery {
                    sort: by,
                    descending: active && !filter.descending,
                    ..filter.clone()
                };
                let arrow = match (active, filter.descending) {
                    (true, false) => " ▲",
                    (true, true) => " ▼",
                    _ => "",
                };
                let order = match (active, filter.descending) {
                    (true, false) => "ascending",
                    (true, true) => "descending",
                    _ => "none",
                };
                view! { <a href=href(&query) class="hover:underline" aria-sort=order>{label}{arrow}</a> }.into_any()
            }
        };
        view! { <th scope="col" class="px-3 py-2">{cell}</th> }
    };
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full text-sm" aria-label="Trains in flight">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                    <tr>
                        {header("Train", Some(SortBy::Name))}
                        {header("Track", Some(SortBy::Track))}
                        {header("State", None)}
                        {header("Phase", Some(SortBy::Phase))}
                        {header("Progress", Some(SortBy::Progress))}
                        {header("Blockers", Some(SortBy::Blockers))}
                        {header("Captain / on-call", Some(SortBy::Captain))}
                    </tr>
                </thead>
                {groups.into_iter().map(|group| {
                    let n = group.trains.len();
                    view! {
                        <tbody class="divide-y divide-slate-100 border-t border-slate-200">
                            <tr class="bg-slate-50">
                                <th
                                    scope="rowgroup"
                                    colspan="7"
                                    class=GROUP_HEADING
                                >
                                    {format!("{} · {n}", group.title)}
                                </th>
                            </tr>
                            {group.trains.into_iter().map(|t| view! { <Row train=t /> }).collect_view()}
                        </tbody>
                    }
                }).collect_view()}
            </table>
        </div>
    }
}

#[component]
fn Row(train: InFlightTrain) -> impl IntoView {
    let t = train;
    let badge = format!(
        "rounded-full px-2 py-0.5 text-xs ring-1 ring-inset {}",
        state_class(t.state)
    );
    let blockers = match t.blockers {
        0 => view! { <span class="text-emerald-700">"none"</span> }.into_any(),
        n => view! {
            <span class="font-medium text-rose-700">{format!("{n} blocker{}", if n == 1 { "" } else { "s" })}</span>
            {t.top_blocker.clone().map(|b| view! {
                <span class="block max-w-64 truncate text-xs text-slate-600" title=b.clone()>{b.clone()}</span>
            })}
        }.into_any(),
    };
    let people = [
        t.captain.clone().map(|c| format!("@{c}")),
        t.on_call
            .clone()
            .filter(|o| Some(o) != t.captain.as_ref())
            .map(|o| format!("on-call @{o}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <tr data-train=t.name.clone()>
            <td class="whitespace-nowrap px-3 py-1.5 font-mono">
                <a class="text-sky-800 underline" href=format!("/trains/{}", t.name)>{t.title().to_owned()}</a>
            </td>
            <td class="px-3 py-1.5">{t.track.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="whitespace-nowrap px-3 py-1.5">
                <span class=badge>
                    {state_label(t.state)}
                    {t.paused_from.map(|p| format!(" (from {})", state_label(p)))}
                </span>
                {t.environment.clone().map(|e| view! {
                    <span class="ml-1 text-xs text-slate-500">{format!("in {e}")}</span>
                })}
            </td>
            <td class="px-3 py-1.5">{t.phase.clone()}</td>
            <td class="whitespace-nowrap px-3 py-1.5">
                <progress
                    max="100"
                    value=t.progress.to_string()
                    aria-label=format!("{:.0}% released", t.progress)
                    class=PROGRESS_BAR
                ></progress>
                <span class="ml-1 text-xs text-slate-500">{format!("{:.0}% of {}", t.progress, t.participants)}</span>
            </td>
            <td class="px-3 py-1.5">{blockers}</td>
            <td class="whitespace-nowrap px-3 py-1.5 text-xs">
                {if people.is_empty() { "nobody".to_owned() } else { people }}
            </td>
        </tr>
    }
}
