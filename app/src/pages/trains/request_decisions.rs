//! The decisions a viewer may take on an open promotion request: approve,
//! reject, cancel, or break the glass. Each form owns its server action, so
//! the error of a failed post shows on the form that sent it.

use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::models::promotion::PromotionPanel;
use crate::server_fns::promotions::{
    ApprovePromotion, BreakGlass, CancelPromotion, RejectPromotion,
};
use leptos::prelude::*;

const TEXTAREA: &str = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

/// The promotion a decision form acts on, and how its buttons name it.
#[derive(Clone)]
pub struct DecisionTarget {
    train: String,
    form_key: String,
    /// `web-2024.05 to prod`.
    promotion: String,
}

impl DecisionTarget {
    pub fn new(panel: &PromotionPanel, environment: &str) -> Self {
        Self {
            train: panel.train.clone(),
            form_key: panel.form_key.clone(),
            promotion: format!("{} to {environment}", panel.title),
        }
    }

    /// The fields every decision posts: which train, and which request.
    fn hidden_inputs(&self) -> impl IntoView {
        view! {
            <input type="hidden" name="name" value=self.train.clone() />
            <input type="hidden" name="key" value=self.form_key.clone() />
        }
    }
}

/// Approve and reject, side by side.
#[component]
pub fn ApproveOrReject(target: DecisionTarget) -> impl IntoView {
    view! {
        <div class="grid gap-2 sm:grid-cols-2">
            <ApproveForm target=target.clone() />
            <RejectForm target />
        </div>
    }
}

#[component]
fn ApproveForm(target: DecisionTarget) -> impl IntoView {
    let approve = ServerAction::<ApprovePromotion>::new();
    let approve_error = form_message(&approve.value().get_untracked(), &[]);
    let approve_label = format!("Approve promotion of {}", target.promotion);
    view! {
        <details class="rounded border border-emerald-300 p-2">
            <summary class="cursor-pointer text-sm font-medium text-emerald-800">"Approve…"</summary>
            <FormError message=approve_error />
            <ActionForm action=approve attr:class="mt-2">
                {target.hidden_inputs()}
                <label for="approve-comment" class="block text-sm">"Comment (optional)"</label>
                <textarea id="approve-comment" name="comment" rows="2" class=TEXTAREA></textarea>
                <button type="submit" class="mt-2 rounded bg-emerald-700 px-3 py-1.5 text-sm text-white">
                    {approve_label}
                </button>
            </ActionForm>
        </details>
    }
}

#[component]
fn RejectForm(target: DecisionTarget) -> impl IntoView {
    let reject = ServerAction::<RejectPromotion>::new();
    let reject_comment = field_message(&reject.value().get_untracked(), "comment");
    let reject_error = form_message(&reject.value().get_untracked(), &["comment"]);
    let reject_label = format!("Reject promotion of {}", target.promotion);
    view! {
        <details class="rounded border border-rose-300 p-2">
            <summary class="cursor-pointer text-sm font-medium text-rose-800">"Reject…"</summary>
            <FormError message=reject_error />
            <ActionForm action=reject attr:class="mt-2">
                {target.hidden_inputs()}
                <label for="reject-comment" class="block text-sm">"Why (required)"</label>
                <textarea
                    id="reject-comment"
                    name="comment"
                    rows="2"
                    class=TEXTAREA
                    aria-describedby="reject-comment-error"
                ></textarea>
                <FieldError message=reject_comment id="reject-comment-error".to_owned() />
                <button type="submit" class="mt-2 rounded bg-rose-700 px-3 py-1.5 text-sm text-white">
                    {reject_label}
                </button>
            </ActionForm>
        </details>
    }
}

/// The captain withdraws the request.
#[component]
pub fn CancelForm(target: DecisionTarget) -> impl IntoView {
    let cancel = ServerAction::<CancelPromotion>::new();
    let cancel_label = format!("Confirm: cancel the promotion of {}", target.promotion);
    view! {
        <details class="rounded border border-slate-200 p-2">
            <summary class="cursor-pointer text-sm">"Cancel this request…"</summary>
            <ActionForm action=cancel attr:class="mt-2">
                {target.hidden_inputs()}
                <button type="submit" class="rounded border border-slate-400 px-3 py-1.5 text-sm">
                    {cancel_label}
                </button>
            </ActionForm>
        </details>
    }
}

/// An admin lets a hotfix through a freeze, with a reason for the audit trail.
#[component]
pub fn BreakGlassForm(target: DecisionTarget) -> impl IntoView {
    let glass = ServerAction::<BreakGlass>::new();
    let glass_reason = field_message(&glass.value().get_untracked(), "reason");
    let glass_error = form_message(&glass.value().get_untracked(), &["reason"]);
    view! {
        <details class="rounded border-2 border-rose-600 p-2">
            <summary class="cursor-pointer text-sm font-semibold text-rose-800">"Break the glass…"</summary>
            <p class="mt-1 text-sm">
                "A freeze holds. As an admin you may let this hotfix through; the reason goes into the audit trail."
            </p>
            <FormError message=glass_error />
            <ActionForm action=glass attr:class="mt-2">
                {target.hidden_inputs()}
                <label for="glass-reason" class="block text-sm">"Break-glass reason (required)"</label>
                <textarea
                    id="glass-reason"
                    name="reason"
                    rows="2"
                    class=TEXTAREA
                    aria-describedby="glass-reason-error"
                ></textarea>
                <FieldError message=glass_reason id="glass-reason-error".to_owned() />
                <button type="submit" class="mt-2 rounded bg-rose-700 px-3 py-1.5 text-sm text-white">
                    "Break the glass"
                </button>
            </ActionForm>
        </details>
    }
}
