use super::{state_class, state_label};
use crate::components::live::LiveRegion;
use crate::components::moment::Moment;
use crate::components::page_nav::PageNav;
use crate::components::user_menu::use_current_user;
use crate::domain::TrainState;
use crate::error::AppError;
use crate::models::train_page::{TrainFilter, TrainList};
use crate::pages::{error_fallback, loading};
use crate::server_fns::trains::get_train_list;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const PROGRESS_BAR: &str = concat!(
    "h-2 w-24 overflow-hidden rounded ",
    "[&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-sky-600"
);

const INPUT: &str = "mt-1 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900";

/// Whether the signed-in person runs trains (the server decides anyway).
fn is_captain() -> Signal<bool> {
    let me = use_current_user();
    Signal::derive(move || {
        me.get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.roles.iter().any(|r| r == "captain"))
    })
}

/// `/trains`: every train, filtered by track, state, service and planned
/// dates, 25 to a page. A plain GET form: it works without JavaScript.
#[component]
pub fn TrainsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        TrainFilter {
            track: q.get("track"),
            state: q.get("state"),
            service: q.get("service"),
            from: q.get("from"),
            to: q.get("to"),
            after: q.get("after"),
            before: q.get("before"),
        }
    });
    let list = Resource::new(move || filter.get(), get_train_list);
    let captain = is_captain();
    view! {
        <Title text="Trains" />
        <div class="mb-4 flex items-baseline justify-between">
            <h1 class="text-2xl font-semibold">"Trains"</h1>
            <Suspense fallback=|| ()>
                <Show when=move || captain.get()>
                    <a href="/trains/new" class="text-sm text-sky-700 underline">"New train"</a>
                </Show>
            </Suspense>
        </div>
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let list = list.await?;
                    Ok::<_, AppError>(view! {
                        <LiveRegion id="trains" topics="train:".to_owned()>
                            <TrainListView list filter=filter.get_untracked() />
                        </LiveRegion>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn select(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    chosen: Option<String>,
) -> impl IntoView {
    let chosen = chosen.unwrap_or_default();
    view! {
        <label class="flex flex-col text-xs font-medium text-slate-600">
            {label}
            <select name=name class=INPUT>
                <option value="">"any"</option>
                {options.into_iter().map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn TrainListView(list: TrainList, filter: TrainFilter) -> impl IntoView {
    let summary = format!(
        "{} · newest planned first",
        list.total.label("train", "trains")
    );
    let filters = vec![
        ("track", filter.track.clone()),
        ("state", filter.state.clone()),
        ("service", filter.service.clone()),
        ("from", filter.from.clone()),
        ("to", filter.to.clone()),
    ];
    let tracks = list.tracks.iter().map(|t| (t.clone(), t.clone())).collect();
    let services = list
        .services
        .iter()
        .map(|s| (s.clone(), s.clone()))
        .collect();
    let states = TrainState::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), state_label(*s)))
        .collect();
    let empty = list.rows.is_empty();
    view! {
        <form method="get" action="/trains" class="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter trains">
            {select("track", "Track", tracks, filter.track.clone())}
            {select("state", "State", states, filter.state.clone())}
            {select("service", "Service", services, filter.service.clone())}
            <label class="flex flex-col text-xs font-medium text-slate-600">"Planned from"
                <input type="date" name="from" value=filter.from.clone().unwrap_or_default() class=INPUT />
            </label>
            <label class="flex flex-col text-xs font-medium text-slate-600">"Planned to"
                <input type="date" name="to" value=filter.to.clone().unwrap_or_default() class=INPUT />
            </label>
            <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">"Filter"</button>
            <a href="/trains" class="text-sm text-sky-700 underline">"Clear"</a>
        </form>
        <p class="mb-2 text-sm text-slate-600" data-testid="trains-summary">{summary}</p>
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Trains">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                    <tr>
                        <th scope="col" class="px-4 py-2">"Train"</th>
                        <th scope="col" class="px-4 py-2">"Track"</th>
                        <th scope="col" class="px-4 py-2">"Planned start (UTC)"</th>
                        <th scope="col" class="px-4 py-2">"State"</th>
                        <th scope="col" class="px-4 py-2">"Progress"</th>
                        <th scope="col" class="px-4 py-2">"Captain / on-call"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {list.rows.into_iter().map(|t| {
                        let badge = format!(
                            "rounded-full px-2 py-0.5 text-xs ring-1 ring-inset {}",
                            state_class(t.state)
                        );
                        let people = [
                            t.captain.map(|c| format!("captain @{c}")),
                            t.on_call.map(|o| format!("on-call @{o}"))
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                        view! {
                            <tr>
                                <td class="px-4 py-2 font-mono">
                                    <a class="text-sky-800 underline" href=format!("/trains/{}", t.name)>
                                        {t.tag.clone().unwrap_or_else(|| t.name.clone())}
                                    </a>
                                </td>
                                <td class="px-4 py-2">{t.track.unwrap_or_else(|| "—".into())}</td>
                                <td class="px-4 py-2">{t.planned_start.map(|at| view! { <Moment at /> })}</td>
                                <td class="px-4 py-2"><span class=badge>{state_label(t.state)}</span></td>
                                <td class="px-4 py-2">
                                    <progress
                                        max="100"
                                        value=t.progress.to_string()
                                        aria-label=format!("{:.0}% released", t.progress)
                                        class=PROGRESS_BAR
                                    ></progress>
                                    <span class="ml-1 text-xs text-slate-500">
                                        {format!("{} participant(s)", t.participants)}
                                    </span>
                                </td>
                                <td class="px-4 py-2 text-xs">{people}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! {
                <p class="px-4 py-6 text-center text-sm text-slate-500">"No train matches these filters."</p>
            })}
        </div>
        <PageNav path="/trains" filters links=list.links />
    }
}
