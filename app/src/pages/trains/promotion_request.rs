use crate::components::countdown::Countdown;
use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::moment::Moment;
use crate::domain::promotion::RequestState;
use crate::models::promotion::{PromotionPanel, RequestView};
use crate::server_fns::promotions::{
    ApprovePromotion, BreakGlass, CancelPromotion, RejectPromotion,
};
use leptos::prelude::*;

const TEXTAREA: &str = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

/// One promotion request: who asked and why, its approvals, its timers,
/// what still holds it, and the decisions the viewer may take.
#[component]
pub fn RequestCard(request: RequestView, panel: PromotionPanel) -> impl IntoView {
    let approve = ServerAction::<ApprovePromotion>::new();
    let reject = ServerAction::<RejectPromotion>::new();
    let cancel = ServerAction::<CancelPromotion>::new();
    let glass = ServerAction::<BreakGlass>::new();
    let approve_error = form_message(&approve.value().get_untracked(), &[]);
    let reject_comment = field_message(&reject.value().get_untracked(), "comment");
    let reject_error = form_message(&reject.value().get_untracked(), &["comment"]);
    let glass_reason = field_message(&glass.value().get_untracked(), "reason");
    let glass_error = form_message(&glass.value().get_untracked(), &["reason"]);

    let open = request.state == RequestState::Open;
    let env = request.environment.clone();
    let title = panel.title.clone();
    let evaluation = request.evaluation.clone();
    let required = request.policy.required_approvals;
    let counted = evaluation.counted.len();
    let state_class = match request.state {
        RequestState::Open => "bg-sky-100 text-sky-800",
        RequestState::Promoted => "bg-emerald-100 text-emerald-800",
        _ => "bg-rose-100 text-rose-800",
    };
    let hidden = |panel: &PromotionPanel| {
        view! {
            <input type="hidden" name="name" value=panel.train.clone() />
            <input type="hidden" name="key" value=panel.form_key.clone() />
        }
    };
    let approve_label = format!("Approve promotion of {title} to {env}");
    let reject_label = format!("Reject promotion of {title} to {env}");
    let cancel_label = format!("Confirm: cancel the promotion of {title} to {env}");
    let decisions = (open && panel.approve_refusal.is_none()).then(|| {
        let (h1, h2) = (hidden(&panel), hidden(&panel));
        view! {
            <div class="grid gap-2 sm:grid-cols-2">
                <details class="rounded border border-emerald-300 p-2">
                    <summary class="cursor-pointer text-sm font-medium text-emerald-800">"Approve…"</summary>
                    <FormError message=approve_error />
                    <ActionForm action=approve attr:class="mt-2">
                        {h1}
                        <label for="approve-comment" class="block text-sm">"Comment (optional)"</label>
                        <textarea id="approve-comment" name="comment" rows="2" class=TEXTAREA></textarea>
                        <button type="submit" class="mt-2 rounded bg-emerald-700 px-3 py-1.5 text-sm text-white">
                            {approve_label}
                        </button>
                    </ActionForm>
                </details>
                <details class="rounded border border-rose-300 p-2">
                    <summary class="cursor-pointer text-sm font-medium text-rose-800">"Reject…"</summary>
                    <FormError message=reject_error />
                    <ActionForm action=reject attr:class="mt-2">
                        {h2}
                        <label for="reject-comment" class="block text-sm">"Why (required)"</label>
                        <textarea id="reject-comment" name="comment" rows="2" class=TEXTAREA aria-describedby="reject-comment-error"></textarea>
                        <FieldError message=reject_comment id="reject-comment-error".to_owned() />
                        <button type="submit" class="mt-2 rounded bg-rose-700 px-3 py-1.5 text-sm text-white">
                            {reject_label}
                        </button>
                    </ActionForm>
                </details>
            </div>
        }
    });
    let refusal = panel
        .approve_refusal
        .clone()
        .filter(|_| open && !panel.approve_needs_role);
    let cancel_hidden = hidden(&panel);
    let cancel_form = (open && panel.may_cancel).then(move || {
        let h = cancel_hidden;
        view! {
            <details class="rounded border border-slate-200 p-2">
                <summary class="cursor-pointer text-sm">"Cancel this request…"</summary>
                <ActionForm action=cancel attr:class="mt-2">
                    {h}
                    <button type="submit" class="rounded border border-slate-400 px-3 py-1.5 text-sm">
                        {cancel_label}
                    </button>
                </ActionForm>
            </details>
        }
    });
    let glass_hidden = hidden(&panel);
    let glass_form = panel.may_break_glass.then(move || {
        let h = glass_hidden;
        view! {
            <details class="rounded border-2 border-rose-600 p-2">
                <summary class="cursor-pointer text-sm font-semibold text-rose-800">"Break the glass…"</summary>
                <p class="mt-1 text-sm">"A freeze holds. As an admin you may let this hotfix through; the reason goes into the audit trail."</p>
                <FormError message=glass_error />
                <ActionForm action=glass attr:class="mt-2">
                    {h}
                    <label for="glass-reason" class="block text-sm">"Break-glass reason (required)"</label>
                    <textarea id="glass-reason" name="reason" rows="2" class=TEXTAREA aria-describedby="glass-reason-error"></textarea>
                    <FieldError message=glass_reason id="glass-reason-error".to_owned() />
                    <button type="submit" class="mt-2 rounded bg-rose-700 px-3 py-1.5 text-sm text-white">"Break the glass"</button>
                </ActionForm>
            </details>
        }
    });
    let now = panel.now;
    let wait = evaluation
        .wait_until
        .filter(|_| open)
        .map(|until| view! { <p class="text-sm">"Wait timer: "<Countdown until now /></p> });
    let soak = evaluation
        .soak_until
        .filter(|_| open)
        .map(|until| view! { <p class="text-sm">"Soak ends "<Moment at=until /></p> });
    let changes = (!evaluation.changes_since_request.is_empty()).then(|| {
        view! {
            <p class="rounded border border-amber-300 bg-amber-50 p-2 text-sm" data-testid="changed-since-request">
                {format!("Changed since the request: {}", evaluation.changes_since_request.join(", "))}
            </p>
        }
    });
    let blockers = (open && !evaluation.blockers.is_empty()).then(|| {
        view! {
            <ul class="list-disc pl-5 text-sm text-slate-700" aria-label="Promotion blockers">
                {evaluation.blockers.iter().map(|b| view! { <li>{b.to_string()}</li> }).collect_view()}
            </ul>
        }
    });
    view! {
        <div class="space-y-2 rounded border border-slate-200 p-3" data-testid="promotion-request">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <p class="font-medium">{format!("Promote to {}", request.environment)}</p>
                <span class=format!("rounded-full px-2 py-0.5 text-xs {state_class}") data-testid="request-state">{request.state.to_string()}</span>
            </div>
            <p class="text-sm text-slate-600">"Requested by " {format!("@{}", request.requested_by)} " · " <Moment at=request.requested_at /></p>
            <p class="text-sm">{request.note.clone()}</p>
            {request.break_glass_by.clone().map(|by| view! {
                <p role="alert" class="rounded border-2 border-rose-600 bg-rose-50 p-2 text-sm font-semibold text-rose-900">
                    {format!("Break-glass by @{by}: {}", request.break_glass_reason.clone().unwrap_or_default())}
                </p>
            })}
            {request.decision_comment.clone().map(|c| view! {
                <p class="text-sm">{format!("{} by @{}: {c}", request.state, request.decided_by.clone().unwrap_or_default())}</p>
            })}
            {changes}
            <p class="text-sm" data-testid="approval-count">{format!("Approvals: {counted} of {required} ({})", request.policy.approver_role)}</p>
            <ul class="space-y-1 text-sm" aria-label="Approvals">
                {request.approvals.iter().map(|a| {
                    let who = a.approver_name.clone().unwrap_or_else(|| a.approver.clone());
                    let class = if a.status == "counted" { "" } else { "text-slate-500 line-through" };
                    view! {
                        <li data-status=a.status.clone()>
                            <span class=class>{format!("✓ {who}")}</span>
                            " · " <Moment at=a.at />
                            {a.comment.clone().map(|c| view! { <span class="block text-slate-700">{format!("“{c}”")}</span> })}
                            {a.why.clone().map(|w| view! { <span class="block text-xs text-amber-800">{format!("{}: {w}", a.status)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {wait}
            {soak}
            {blockers}
            {refusal.map(|r| view! { <p class="text-sm text-slate-600" data-testid="approve-refusal">{r}</p> })}
            {decisions}
            {glass_form}
            {cancel_form}
        </div>
    }
}
