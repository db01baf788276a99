use super::blocked_panel::BlockedPanel;
use super::cell_history::CellHistoryPanel;
use super::gate_matrix::GateMatrixTable;
use super::gates_form::GatesForm;
use super::phases::Phases;
use super::promotion_panel::PromotionPanelView;
use super::tag_history::TagHistory;
use super::timeline::Timeline;
use super::train_actions::TrainActions;
use super::train_tabs::{TrainTab, TrainTabs};
use super::{state_class, state_label};
use crate::components::fact_list::FactList;
use crate::components::live::LiveRegion;
use crate::components::moment::Moment;
use crate::domain::CalendarStatus;
use crate::error::AppError;
use crate::models::train::{ParticipantStatus, RollbackPlan, TrainStatus};
use crate::models::train_page::TrainPageData;
use crate::pages::{error_fallback, loading};
use crate::server_fns::trains::train_page;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const PROGRESS_BAR: &str = concat!(
    "h-2 w-64 overflow-hidden rounded ",
    "[&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-sky-600"
);

/// `/trains/{name}`: header, what blocks it, actions, phases, participants,
/// the gate matrix and the timeline; live while open.
#[component]
pub fn TrainPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let data = Resource::new(move || name.get(), train_page);
    let topics = format!("train:{} freeze:", name.get_untracked());
    let cell = Memo::new(move |_| {
        query
            .read()
            .get("cell")
            .and_then(|c| c.split_once('/').map(|(p, g)| (p.to_owned(), g.to_owned())))
    });
    view! {
        <Title text=name.get_untracked() />
        <LiveRegion id="train" topics>
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let data = data.await?;
                    Ok::<_, AppError>(view! { <TrainBody data cell /> })
                })}
            </ErrorBoundary>
        </Transition>
        </LiveRegion>
    }
}

#[component]
fn TrainBody(data: TrainPageData, cell: Memo<Option<(String, String)>>) -> impl IntoView {
    let train = data.status.name.clone();
    let history = move || {
        cell.get().map(|(participant, gate)| {
            view! { <CellHistoryPanel train=train.clone() participant gate /> }
        })
    };
    let s = data.status.clone();
    view! {
        <TrainHeader data=data.clone() />
        <TrainTabs train=s.name.clone() current=TrainTab::Overview />
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="space-y-6 lg:col-span-2">
                <Phases phases=data.phases.clone() />
                <TagHistory data=data.clone() />
                <Participants participants=s.participants.clone() />
                <GateMatrixTable train=s.name.clone() matrix=s.gates.clone() />
                {history}
                <Timeline events=data.events.clone() />
            </div>
            // What blocks the train comes first on a narrow screen.
            <div class="order-first space-y-6 lg:order-none">
                <BlockedPanel items=data.blocked.clone() state=s.state now=data.now />
                <PromotionPanelView panel=data.promotion.clone() />
                <TrainActions data=data.clone() />
                <GatesForm data=data.clone() />
            </div>
        </div>
    }
}

/// The train's name and state, why it stands where it does, its last
/// rollback, the facts about it and how far it got.
#[component]
fn TrainHeader(data: TrainPageData) -> impl IntoView {
    let s = data.status.clone();
    view! {
        <header class="mb-4">
            <p class="text-sm"><a href="/trains" class="text-sky-700 underline">"← Trains"</a></p>
            <TrainTitle status=s.clone() calendar_status=data.calendar_status />
            {s.status_reason.clone().map(|r| {
                view! { <p class="mt-1 text-sm text-slate-700">{format!("Reason: {r}")}</p> }
            })}
            <LastRollback rollback=data.last_rollback.clone() />
            <TrainFacts status=s.clone() on_call=data.on_call.clone() planned_start=data.planned_start />
            <TrainProgress progress=s.progress />
        </header>
    }
}

/// The tag (or name), the state badge and where the train stands on the
/// calendar.
#[component]
fn TrainTitle(status: TrainStatus, calendar_status: Option<CalendarStatus>) -> impl IntoView {
    let s = status;
    let state_badge = format!(
        "inline-flex items-center rounded-full px-2.5 py-0.5 text-sm font-medium ring-1 ring-inset {}",
        state_class(s.state)
    );
    let paused = s.paused_from.map(|p| format!(" (from {})", state_label(p)));
    view! {
        <div class="mt-1 flex flex-wrap items-center gap-3">
            <h1 class="font-mono text-2xl font-semibold">{s.tag.clone().unwrap_or_else(|| s.name.clone())}</h1>
            <span class=state_badge data-testid="train-state">{state_label(s.state)}{paused}</span>
            {calendar_status.map(|c| {
                view! { <span class="text-sm text-slate-500">{format!("calendar: {}", c.label())}</span> }
            })}
        </div>
    }
}

/// The last rollback, whole or of one environment, if there was one.
#[component]
fn LastRollback(rollback: Option<RollbackPlan>) -> impl IntoView {
    rollback.map(|r| {
        let scope = r.environment.map(|e| format!(" of {e}")).unwrap_or_default();
        let by = r.requested_by.unwrap_or_default();
        let deadline = if r.status == "stuck" { " · stuck since " } else { " · stuck after " };
        view! {
            <p class="mt-1 text-sm text-rose-800" data-testid="last-rollback">
                {format!(
                    "Last rollback{scope}: {} by {by} · {} step(s), {}",
                    r.reason,
                    r.steps.len(),
                    r.status.replace('_', " ")
                )}
                {r.at.map(|at| view! { " · " <Moment at /> })}
                {r.waiting.map(|w| view! { <span data-testid="rollback-waiting">{format!(" · {w}")}</span> })}
                {r.deadline.map(|at| view! { {deadline} <Moment at /> })}
            </p>
        }
    })
}

/// Track, captain, on-call, target version and planned cut.
#[component]
fn TrainFacts(
    status: TrainStatus,
    on_call: Option<String>,
    planned_start: Option<DateTime<Utc>>,
) -> impl IntoView {
    let s = status;
    let facts: Vec<(&'static str, AnyView)> = vec![
        (
            "Track",
            s.track.clone().unwrap_or_else(|| "—".into()).into_any(),
        ),
        (
            "Captain",
            s.captain
                .clone()
                .map_or("—".into(), |c| format!("@{c}"))
                .into_any(),
        ),
        (
            "On-call",
            on_call
                .map_or("nobody yet".into(), |c| format!("@{c}"))
                .into_any(),
        ),
        (
            "Target version",
            s.target_version
                .clone()
                .unwrap_or_else(|| "—".into())
                .into_any(),
        ),
        (
            "Planned cut",
            match planned_start {
                Some(at) => view! { <Moment at /> }.into_any(),
                None => "not on the calendar".into_any(),
            },
        ),
    ];
    view! { <FactList facts /> }
}

#[component]
fn TrainProgress(progress: f64) -> impl IntoView {
    view! {
        <div class="mt-3 flex items-center gap-3 text-sm">
            <label for="progress">"Progress"</label>
            <progress
                id="progress"
                max="100"
                value=progress.to_string()
                class=PROGRESS_BAR
            ></progress>
            <span>{format!("{:.0}%", progress)}</span>
        </div>
    }
}

/// Every participant in release order, with the version it goes to and the
/// one a rollback returns it to.
#[component]
fn Participants(participants: Vec<ParticipantStatus>) -> impl IntoView {
    view! {
        <section aria-labelledby="participants-heading">
            <h2 id="participants-heading" class="mb-2 text-lg font-medium">"Participants, in release order"</h2>
            <table
                class="min-w-full divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm"
                aria-label="Participants"
            >
                <thead class="bg-slate-50 text-left text-xs uppercase text-slate-600">
                    <tr>
                        <th scope="col" class="px-3 py-2">"#"</th>
                        <th scope="col" class="px-3 py-2">"Service"</th>
                        <th scope="col" class="px-3 py-2">"Status"</th>
                        <th scope="col" class="px-3 py-2">"Version"</th>
                        <th scope="col" class="px-3 py-2">"Returns to on rollback"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {participants
                        .into_iter()
                        .map(|participant| view! { <ParticipantRow participant /> })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn ParticipantRow(participant: ParticipantStatus) -> impl IntoView {
    let p = participant;
    let version = p.target_version.clone().unwrap_or_else(|| "—".into());
    let previous = p.previous_version.clone().unwrap_or_else(|| "—".into());
    view! {
        <tr>
            <td class="px-3 py-2 text-slate-500">{p.position + 1}</td>
            <td class="px-3 py-2 font-medium">{p.service.clone()}</td>
            <td class="px-3 py-2">{p.status.as_str().replace('_', " ")}</td>
            <td class="px-3 py-2 font-mono">{version}</td>
            <td class="px-3 py-2 font-mono">{previous}</td>
        </tr>
    }
}
