use super::request_decisions::{ApproveOrReject, BreakGlassForm, CancelForm, DecisionTarget};
use crate::components::countdown::Countdown;
use crate::components::moment::Moment;
use crate::domain::promotion::{EnvironmentPolicy, Evaluation, RequestState};
use crate::models::promotion::{ApprovalView, PromotionPanel, RequestView};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// One promotion request: who asked and why, its approvals, its timers,
/// what still holds it, and the decisions the viewer may take.
#[component]
pub fn RequestCard(request: RequestView, panel: PromotionPanel) -> impl IntoView {
    let open = request.state == RequestState::Open;
    let target = DecisionTarget::new(&panel, &request.environment);
    let evaluation = request.evaluation.clone();
    let refusal = panel
        .approve_refusal
        .clone()
        .filter(|_| open && !panel.approve_needs_role);
    let may_decide = open && panel.approve_refusal.is_none();
    let may_cancel = open && panel.may_cancel;
    let glass_target = target.clone();
    let cancel_target = target.clone();
    view! {
        <div class="space-y-2 rounded border border-slate-200 p-3" data-testid="promotion-request">
            <RequestHeading environment=request.environment.clone() state=request.state />
            <p class="text-sm text-slate-600">
                "Requested by " {format!("@{}", request.requested_by)} " · " <Moment at=request.requested_at />
            </p>
            <p class="text-sm">{request.note.clone()}</p>
            <BreakGlassNotice request=request.clone() />
            <DecisionComment request=request.clone() />
            <ChangesSinceRequest changes=evaluation.changes_since_request.clone() />
            <ApprovalCount counted=evaluation.counted.len() policy=request.policy />
            <ApprovalList approvals=request.approvals />
            <WaitTimer until=evaluation.wait_until.filter(|_| open) now=panel.now />
            <SoakEnds until=evaluation.soak_until.filter(|_| open) />
            <PromotionBlockers evaluation open />
            {refusal.map(|r| view! { <p class="text-sm text-slate-600" data-testid="approve-refusal">{r}</p> })}
            {may_decide.then(|| view! { <ApproveOrReject target /> })}
            {panel.may_break_glass.then(|| view! { <BreakGlassForm target=glass_target /> })}
            {may_cancel.then(|| view! { <CancelForm target=cancel_target /> })}
        </div>
    }
}

/// Where the request would promote to, and what became of it.
#[component]
fn RequestHeading(environment: String, state: RequestState) -> impl IntoView {
    let state_class = match state {
        RequestState::Open => "bg-sky-100 text-sky-800",
        RequestState::Promoted => "bg-emerald-100 text-emerald-800",
        _ => "bg-rose-100 text-rose-800",
    };
    view! {
        <div class="flex flex-wrap items-center justify-between gap-2">
            <p class="font-medium">{format!("Promote to {environment}")}</p>
            <span class=format!("rounded-full px-2 py-0.5 text-xs {state_class}") data-testid="request-state">
                {state.to_string()}
            </span>
        </div>
    }
}

/// An admin let the request through a freeze: who, and why.
#[component]
fn BreakGlassNotice(request: RequestView) -> impl IntoView {
    request.break_glass_by.map(|by| {
        let reason = request.break_glass_reason.unwrap_or_default();
        view! {
            <p role="alert" class="rounded border-2 border-rose-600 bg-rose-50 p-2 text-sm font-semibold text-rose-900">
                {format!("Break-glass by @{by}: {reason}")}
            </p>
        }
    })
}

/// What the approver who decided the request said.
#[component]
fn DecisionComment(request: RequestView) -> impl IntoView {
    request.decision_comment.map(|c| {
        let by = request.decided_by.unwrap_or_default();
        view! { <p class="text-sm">{format!("{} by @{by}: {c}", request.state)}</p> }
    })
}

/// What moved since the request was made, which the approvers should know.
#[component]
fn ChangesSinceRequest(changes: Vec<String>) -> impl IntoView {
    (!changes.is_empty()).then(|| {
        view! {
            <p class="rounded border border-amber-300 bg-amber-50 p-2 text-sm" data-testid="changed-since-request">
                {format!("Changed since the request: {}", changes.join(", "))}
            </p>
        }
    })
}

/// How many approvals count out of how many the policy requires.
#[component]
fn ApprovalCount(counted: usize, policy: EnvironmentPolicy) -> impl IntoView {
    let required = policy.required_approvals;
    view! {
        <p class="text-sm" data-testid="approval-count">
            {format!("Approvals: {counted} of {required} ({})", policy.approver_role)}
        </p>
    }
}

/// Each approval, with why it does not count when it does not.
#[component]
fn ApprovalList(approvals: Vec<ApprovalView>) -> impl IntoView {
    view! {
        <ul class="space-y-1 text-sm" aria-label="Approvals">
            {approvals.into_iter().map(|approval| view! { <ApprovalItem approval /> }).collect_view()}
        </ul>
    }
}

#[component]
fn ApprovalItem(approval: ApprovalView) -> impl IntoView {
    let a = approval;
    let who = a
        .approver_name
        .clone()
        .unwrap_or_else(|| a.approver.clone());
    let class = if a.status == "counted" {
        ""
    } else {
        "text-slate-500 line-through"
    };
    view! {
        <li data-status=a.status.clone()>
            <span class=class>{format!("✓ {who}")}</span>
            " · " <Moment at=a.at />
            {a.comment.clone().map(|c| view! { <span class="block text-slate-700">{format!("“{c}”")}</span> })}
            {a.why.clone().map(|w| {
                view! { <span class="block text-xs text-amber-800">{format!("{}: {w}", a.status)}</span> }
            })}
        </li>
    }
}

/// The wait timer of an open request, counting down.
#[component]
fn WaitTimer(until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> impl IntoView {
    until.map(|until| view! { <p class="text-sm">"Wait timer: "<Countdown until now /></p> })
}

/// When the soak that holds an open request ends.
#[component]
fn SoakEnds(until: Option<DateTime<Utc>>) -> impl IntoView {
    until.map(|until| view! { <p class="text-sm">"Soak ends "<Moment at=until /></p> })
}

/// What still holds an open request.
#[component]
fn PromotionBlockers(evaluation: Evaluation, open: bool) -> impl IntoView {
    (open && !evaluation.blockers.is_empty()).then(|| {
        view! {
            <ul class="list-disc pl-5 text-sm text-slate-700" aria-label="Promotion blockers">
                {evaluation.blockers.iter().map(|b| view! { <li>{b.to_string()}</li> }).collect_view()}
            </ul>
        }
    })
}
