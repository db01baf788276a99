use super::promotion_request::RequestCard;
use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::domain::promotion::ReleaseStatus;
use crate::models::promotion::{EnvironmentStep, PromotionPanel};
use crate::server_fns::promotions::RequestPromotion;
use leptos::prelude::*;

/// The environments as a pipeline: where the release runs, and where next.
#[component]
fn Pipeline(steps: Vec<EnvironmentStep>, next: Option<String>) -> impl IntoView {
    view! {
        <ol class="flex gap-1" aria-label="Environments">
            {steps
                .into_iter()
                .map(|step| {
                    let is_next = next.as_deref() == Some(step.environment.as_str());
                    let (class, state) = match (step.status, step.deployed_at, step.rolled_back_at) {
                        (Some(ReleaseStatus::Deploying), _, _) => {
                            ("border-amber-400 bg-amber-50", "deploying (waiting for CD)")
                        }
                        (Some(ReleaseStatus::Failed), _, _) => ("border-rose-400 bg-rose-50", "deploy failed"),
                        (_, Some(_), None) => ("border-emerald-400 bg-emerald-50", "running"),
                        (_, Some(_), Some(_)) => ("border-rose-400 bg-rose-50", "rolled back"),
                        (_, None, _) if is_next => ("border-sky-400 bg-sky-50 border-dashed", "next"),
                        (_, None, _) => ("border-slate-200 bg-white text-slate-500", "not yet"),
                    };
                    let when = step.rolled_back_at.or(step.deployed_at);
                    view! {
                        <li class=format!("min-w-0 flex-1 rounded border p-2 text-xs {class}")
                            data-testid=format!("env-{}", step.environment) data-state=state
                            title=when.map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())>
                            <p class="truncate text-sm font-medium">{step.environment.clone()}</p>
                            <p class="uppercase tracking-wide">{state}</p>
                            {when.map(|at| view! {
                                <p class="truncate">
                                    <time datetime=at.to_rfc3339()>{at.format("%d %b %H:%M").to_string()}</time>
                                </p>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// Promotion through the track's environments: the pipeline, the current
/// request with its approvals and timers, and what the viewer may do.
#[component]
pub fn PromotionPanelView(panel: PromotionPanel) -> impl IntoView {
    let request_action = ServerAction::<RequestPromotion>::new();
    let note_error = field_message(&request_action.value().get_untracked(), "note");
    let request_error = form_message(&request_action.value().get_untracked(), &["note"]);
    let breaches = panel.breaches.clone();
    let request_form = match (&panel.next, panel.may_request) {
        (Some(next), true) => {
            let (train, key, title, next) = (
                panel.train.clone(),
                panel.form_key.clone(),
                panel.title.clone(),
                next.clone(),
            );
            Some(view! {
                <details class="rounded border border-sky-300 p-2">
                    <summary class="cursor-pointer text-sm font-medium">
                        {format!("Request promotion to {next}…")}
                    </summary>
                    <FormError message=request_error />
                    <ActionForm action=request_action attr:class="mt-2">
                        <input type="hidden" name="name" value=train />
                        <input type="hidden" name="key" value=key />
                        <label for="promotion-note" class="block text-sm">"What is promoted, and why"</label>
                        <textarea id="promotion-note" name="note" rows="2" aria-describedby="promotion-note-error"
                            class="mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm"></textarea>
                        <FieldError message=note_error id="promotion-note-error".to_owned() />
                        <button type="submit" class="mt-2 rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                            {format!("Confirm: request promotion of {title} to {next}")}
                        </button>
                    </ActionForm>
                </details>
            })
        }
        _ => None,
    };
    let earlier = panel.earlier.clone();
    view! {
        <section
            aria-labelledby="promotion-heading"
            class="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            data-testid="promotion-panel"
        >
            <h2 id="promotion-heading" class="text-lg font-medium">"Promotion"</h2>
            <Pipeline steps=panel.pipeline.clone() next=panel.next.clone() />
            {(!breaches.is_empty()).then(|| view! {
                <div
                    role="alert"
                    class="rounded border border-rose-300 bg-rose-50 p-2 text-sm"
                    data-testid="rollback-recommendation"
                >
                    <p class="font-medium">"Rollback signals"</p>
                    <ul class="list-disc pl-5">
                        {breaches.into_iter().map(|b| view! {
                            <li>{format!("{} in {}: {} — {}", b.service, b.environment, b.detail,
                                b.outcome.label())}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {panel.request.clone().map(|request| view! { <RequestCard request panel=panel.clone() /> })}
            {request_form}
            {(!earlier.is_empty()).then(|| view! {
                <details class="text-sm">
                    <summary class="cursor-pointer text-slate-600">
                        {format!("Earlier requests ({})", earlier.len())}
                    </summary>
                    <ul class="mt-1 space-y-1">
                        {earlier.into_iter().map(|r| view! {
                            <li>
                                {format!(
                                    "{} → {}: {} by {}",
                                    r.requested_at.format("%d %b %H:%M"),
                                    r.environment,
                                    r.state,
                                    r.requested_by
                                )}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
}
