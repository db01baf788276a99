use super::state_label;
use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::domain::TrainState;
use crate::models::train::ParticipantStatus;
use crate::models::train_page::TrainPageData;
use crate::server_fns::trains::{RollbackTrain, TransitionTrain};
use leptos::prelude::*;

/// The button text of a transition.
fn verb(from: TrainState, to: TrainState) -> String {
    match to {
        TrainState::Paused => "Pause".to_owned(),
        _ if from == TrainState::Paused => format!("Resume ({})", state_label(to)),
        TrainState::Failed => "Mark as failed".to_owned(),
        TrainState::RolledBack => "Mark as rolled back".to_owned(),
        other => format!("Move to {}", state_label(other)),
    }
}

/// What the viewer's role allows on this train, each behind a confirmation
/// that names the train and, where the action takes one, asks for a reason.
#[component]
pub fn TrainActions(data: TrainPageData) -> impl IntoView {
    if !data.may_manage && !data.may_rollback {
        return view! { <span></span> }.into_any();
    }
    // One action for every transition form: its error shows above them all.
    let transition = ServerAction::<TransitionTrain>::new();
    let transition_error = form_message(&transition.value().get_untracked(), &[]);
    let name = data.status.name.clone();
    let title = data.status.tag.clone().unwrap_or_else(|| name.clone());
    let from = data.status.state;
    let may_manage = data.may_manage;
    let transitions = data
        .transitions
        .clone()
        .into_iter()
        .filter(|(to, _)| may_manage && *to != TrainState::RolledBack)
        .map(|(to, needs_reason)| {
            view! {
                <TransitionForm
                    action=transition
                    train=name.clone()
                    title=title.clone()
                    from
                    to
                    needs_reason
                />
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="actions-heading" class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 id="actions-heading" class="mb-2 text-lg font-medium">"Actions"</h2>
            <FormError message=transition_error />
            <div class="space-y-2">
                {transitions}
                <RollbackForm data title />
            </div>
        </section>
    }
    .into_any()
}

/// Moves the train from `from` to `to`, behind a confirmation.
#[component]
fn TransitionForm(
    action: ServerAction<TransitionTrain>,
    train: String,
    title: String,
    from: TrainState,
    to: TrainState,
    needs_reason: bool,
) -> impl IntoView {
    let label = verb(from, to);
    let confirm = format!("Confirm: {} {title}", label.to_lowercase());
    let reason = needs_reason.then(|| view! {
        <label class="mt-2 block text-sm">"Reason (required)"
            <input name="reason" required class="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
        </label>
    });
    view! {
        <details class="rounded border border-slate-200 p-2">
            <summary class="cursor-pointer text-sm font-medium">{format!("{label}…")}</summary>
            <ActionForm action attr:class="mt-2">
                <input type="hidden" name="name" value=train />
                <input type="hidden" name="to" value=to.as_str() />
                {reason}
                <button type="submit" class="mt-2 rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                    {confirm}
                </button>
            </ActionForm>
        </details>
    }
}

/// The rollback, whole or of one running environment, with its plan and a
/// required reason; only when there is something to roll back.
#[component]
fn RollbackForm(data: TrainPageData, title: String) -> impl IntoView {
    let rollback = ServerAction::<RollbackTrain>::new();
    let rollback_reason = field_message(&rollback.value().get_untracked(), "reason");
    let rollback_error = form_message(&rollback.value().get_untracked(), &["reason"]);
    let whole = data
        .transitions
        .iter()
        .any(|(to, _)| *to == TrainState::RolledBack);
    let running: Vec<String> = data
        .promotion
        .pipeline
        .iter()
        .filter(|s| s.deployed_at.is_some() && s.rolled_back_at.is_none())
        .map(|s| s.environment.clone())
        .collect();
    let can_roll_back = data.may_rollback && (whole || !running.is_empty());
    let plan = rollback_plan(&data.status.participants);
    let name = data.status.name.clone();
    let rollback_confirm = format!("Confirm rollback of {title}");
    can_roll_back.then(move || view! {
        <details class="rounded border border-rose-300 p-2">
            <summary class="cursor-pointer text-sm font-medium text-rose-800">"Roll back…"</summary>
            <p class="mt-2 text-sm">"The plan, in reverse dependency order:"</p>
            <ol class="list-decimal pl-5 text-sm" aria-label="Rollback plan">
                {plan.into_iter().map(|line| view! { <li class="font-mono">{line}</li> }).collect_view()}
            </ol>
            <FormError message=rollback_error />
            <ActionForm action=rollback attr:class="mt-2">
                <input type="hidden" name="name" value=name />
                <RollbackScope whole running />
                <label for="rollback-reason" class="block text-sm">"Why roll back (required)"</label>
                <input id="rollback-reason" name="reason" aria-describedby="rollback-reason-error"
                    class="mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm" />
                <FieldError message=rollback_reason id="rollback-reason-error".to_owned() />
                <button type="submit" class="mt-2 rounded bg-rose-700 px-3 py-1.5 text-sm text-white">
                    {rollback_confirm}
                </button>
            </ActionForm>
        </details>
    })
}

/// Each service and the version it returns to, last released first.
fn rollback_plan(participants: &[ParticipantStatus]) -> Vec<String> {
    participants
        .iter()
        .rev()
        .map(|p| {
            format!(
                "{}: {} → {}",
                p.service,
                p.target_version.as_deref().unwrap_or("?"),
                p.previous_version
                    .as_deref()
                    .unwrap_or("its previous version")
            )
        })
        .collect()
}

/// The whole train, or one environment the release runs in.
#[component]
fn RollbackScope(whole: bool, running: Vec<String>) -> impl IntoView {
    view! {
        <label for="rollback-environment" class="mt-2 block text-sm">"What to roll back"</label>
        <select
            id="rollback-environment"
            name="environment"
            class="mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm"
        >
            {whole.then(|| view! { <option value="all">"the whole train"</option> })}
            {running.into_iter().map(|e| view! {
                <option value=e.clone()>{format!("only {e}")}</option>
            }).collect_view()}
        </select>
    }
}
