use super::agenda::Agenda;
use super::freezes::FreezeList;
use super::month_view::MonthView;
use crate::components::live::LiveRegion;
use crate::domain::calendar::month::Month;
use crate::error::AppError;
use crate::models::calendar::{CalendarPageData, RotationView};
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::calendar_page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const VIEW_LINK: &str = concat!(
    "rounded border border-slate-300 px-3 py-1 hover:bg-slate-100 ",
    "aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
);

/// `/calendar`: every track's trains as an agenda or a month, the freeze
/// windows and who owns the calendar; owners get the editing tools.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    let month = Memo::new(move |_| {
        let q = query.read();
        match (q.get("view").as_deref(), q.get("month")) {
            (_, Some(m)) if !m.is_empty() => Some(m),
            (Some("month"), _) => Some("current".to_owned()),
            _ => None,
        }
    });
    let selected = Memo::new(move |_| query.read().get("track").filter(|t| !t.is_empty()));
    let data = Resource::new(move || month.get(), calendar_page);
    view! {
        <Title text="Calendar" />
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let data = data.await?;
                    Ok::<_, AppError>(view! {
                        <LiveRegion id="calendar" topics="*".to_owned()>
                            <CalendarBody data month selected />
                        </LiveRegion>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn CalendarBody(
    data: CalendarPageData,
    month: Memo<Option<String>>,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let shown_month = month
        .get_untracked()
        .map(|m| Month::parse(&m).unwrap_or_else(|_| Month::of(data.now.date_naive())));
    let track_query = move || {
        selected
            .get()
            .map(|t| format!("&track={t}"))
            .unwrap_or_default()
    };
    let view_links = {
        let is_month = shown_month.is_some();
        view! {
            <nav aria-label="Calendar view" class="flex gap-1 text-sm">
                <a
                    href=move || format!("/calendar?view=agenda{}", track_query())
                    aria-current=(!is_month).then_some("page")
                    class=VIEW_LINK
                >
                    "Agenda"
                </a>
                <a
                    href=move || format!("/calendar?view=month{}", track_query())
                    aria-current=is_month.then_some("page")
                    class=VIEW_LINK
                >
                    "Month"
                </a>
            </nav>
        }
    };
    let ics = move || match selected.get() {
        Some(t) => format!("/calendar.ics?track={t}"),
        None => "/calendar.ics".to_owned(),
    };
    let owner_tools = data.may_edit.then(|| {
        view! {
            <div class="flex flex-wrap gap-2 text-sm" data-testid="owner-tools">
                <a href="/calendar/freezes/new" class="rounded bg-slate-900 px-3 py-1.5 text-white hover:bg-slate-700">
                    "Add a freeze window"
                </a>
                <a href="/calendar/hotfixes/new" class="rounded border border-slate-400 px-3 py-1.5 hover:bg-slate-100">
                    "Record a hotfix"
                </a>
            </div>
        }
    });
    let body = match shown_month {
        Some(m) => view! { <MonthView data=data.clone() month=m selected /> }.into_any(),
        None => view! { <Agenda data=data.clone() selected /> }.into_any(),
    };
    view! {
        <div class="mb-4 flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold">"Calendar"</h1>
                <p class="text-sm text-slate-600">
                    "Times in UTC; your own time zone in brackets. "
                    <a class="text-sky-700 underline" href=ics>"Subscribe (ICS)"</a>
                </p>
            </div>
            <RotationSummary rotation=data.rotation.clone() may_manage=data.may_manage_rotation />
        </div>
        <div class="mb-4 flex flex-wrap items-center justify-between gap-3">
            {view_links}
            {owner_tools}
        </div>
        {body}
        <FreezeList freezes=data.freezes.clone() now=data.now may_edit=data.may_edit />
        <TrackCadences data />
    }
}

#[component]
fn RotationSummary(rotation: Option<RotationView>, may_manage: bool) -> impl IntoView {
    let edit = may_manage.then(|| {
        view! { <a href="/calendar/rotation" class="ml-2 text-sky-700 underline">"Change rotation"</a> }
    });
    let body = match rotation {
        Some(r) => {
            let next = r
                .schedule
                .iter()
                .skip(1)
                .map(|(m, team)| format!("{} {team}", m.format("%b")))
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <p>
                    "Calendar owner this month: "
                    <strong data-testid="calendar-owner">{r.this_month}</strong>
                </p>
                <p class="text-xs text-slate-500">{format!("Then: {next}")}</p>
            }
            .into_any()
        }
        None => view! { <p>"No owner rotation is set."</p> }.into_any(),
    };
    view! {
        <section
            aria-label="Calendar owner"
            class="rounded-lg border border-slate-200 bg-white px-4 py-2 text-sm shadow-sm"
        >
            {body}
            {edit}
        </section>
    }
}

/// Each track's cadence, with a link to change it for owners.
#[component]
fn TrackCadences(data: CalendarPageData) -> impl IntoView {
    let may_edit = data.may_edit;
    view! {
        <section aria-labelledby="cadences" class="mt-8">
            <h2 id="cadences" class="mb-2 text-lg font-medium">"Tracks and cadences"</h2>
            <ul class="grid gap-2 sm:grid-cols-3">
                {data
                    .tracks
                    .into_iter()
                    .map(|t| {
                        let edit = may_edit.then(|| {
                            view! {
                                <a href=format!("/calendar/tracks/{}", t.name) class="text-sm text-sky-700 underline"
                                    aria-label=format!("Change the {} cadence", t.name)>
                                    "Change cadence"
                                </a>
                            }
                        });
                        view! {
                            <li class="rounded border border-slate-200 bg-white p-3 text-sm">
                                <crate::components::track_badge::TrackBadge name=t.name.clone() colour=t.colour.clone() />
                                <p class="mt-1">{t.cadence_description.clone()}</p>
                                {edit}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
