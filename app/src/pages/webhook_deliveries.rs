//! One subscription's delivery log on `/admin/webhooks/{id}`: the newest
//! deliveries with their last attempt and bodies, a test event, and a
//! redelivery of any of them.

use crate::components::form_error::{form_message, FormError};
use crate::components::live::LiveRegion;
use crate::components::time::utc_label;
use crate::error::AppError;
use crate::models::webhook::DeliveryView;
use crate::pages::webhooks_page::{BUTTON, TABLE, THEAD};
use crate::pages::{error_fallback, loading};
use crate::server_fns::webhooks::{RedeliverWebhookDelivery, SendWebhookTest};
use leptos::prelude::*;

const REDELIVER: &str = "rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50";
const PRE: &str = "mt-1 max-h-64 w-72 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-mono text-xs";

#[component]
pub fn DeliveryLog(
    id: i64,
    deliveries: Resource<Result<Vec<DeliveryView>, AppError>>,
    test: ServerAction<SendWebhookTest>,
    redeliver: ServerAction<RedeliverWebhookDelivery>,
) -> impl IntoView {
    // One message each: the redeliver action is shared by every row.
    let tested = form_message(&test.value().get_untracked(), &[]);
    let redelivered = form_message(&redeliver.value().get_untracked(), &[]);
    view! {
        <section aria-labelledby="log-heading" class="mb-6">
            <h2 id="log-heading" class="mb-1 text-lg font-semibold">"Delivery log"</h2>
            <p class="mb-2 text-sm text-slate-600">
                "The newest deliveries, newest first. A test event goes to this webhook alone, even while it is off."
            </p>
            <FormError message=tested />
            <FormError message=redelivered />
            <ActionForm action=test attr:class="mb-3">
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class=BUTTON>"Send test event"</button>
            </ActionForm>
            <Transition fallback=loading>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let list = deliveries.await?;
                        Ok::<_, AppError>(view! {
                            // A test or a redelivery queued elsewhere shows up by itself.
                            <LiveRegion id="deliveries" topics=format!("webhook:{id}")>
                                <DeliveryTable list redeliver />
                            </LiveRegion>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn DeliveryTable(
    list: Vec<DeliveryView>,
    redeliver: ServerAction<RedeliverWebhookDelivery>,
) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="text-sm text-slate-600">"No deliveries yet. Send a test event to try the receiver."</p>
        }
        .into_any();
    }
    view! {
        <div class="overflow-x-auto">
            <table class=TABLE aria-label="Deliveries">
                <thead class=THEAD>
                    <tr>
                        <th scope="col" class="px-3 py-2">"Time"</th>
                        <th scope="col" class="px-3 py-2">"Event"</th>
                        <th scope="col" class="px-3 py-2">"Status"</th>
                        <th scope="col" class="px-3 py-2">"Attempts"</th>
                        <th scope="col" class="px-3 py-2">"Last answer"</th>
                        <th scope="col" class="px-3 py-2">"Duration (ms)"</th>
                        <th scope="col" class="px-3 py-2">"Next attempt"</th>
                        <th scope="col" class="px-3 py-2"><span class="sr-only">"Actions"</span></th>
                        <th scope="col" class="px-3 py-2">"Bodies"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {list.into_iter().map(|d| view! { <DeliveryRow d redeliver /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn DeliveryRow(
    d: DeliveryView,
    redeliver: ServerAction<RedeliverWebhookDelivery>,
) -> impl IntoView {
    let answer = match (d.last_status, &d.last_error) {
        (Some(status), _) => format!("HTTP {status}"),
        (None, Some(error)) => error.clone(),
        (None, None) => "—".to_owned(),
    };
    let duration = d
        .last_duration_ms
        .map_or_else(|| "—".to_owned(), |ms| ms.to_string());
    let next = d.next_attempt_at.map(utc_label).unwrap_or_default();
    let response = d
        .response_body
        .clone()
        .unwrap_or_else(|| "(no answer)".to_owned());
    view! {
        <tr class="align-top" data-testid=format!("delivery-{}", d.id)>
            <td class="whitespace-nowrap px-3 py-2">{utc_label(d.created_at)}</td>
            <td class="px-3 py-2 font-mono text-xs">{d.event_type.clone()}</td>
            <td class="px-3 py-2">{d.status.clone()}</td>
            <td class="px-3 py-2">{d.attempts}</td>
            <td class="px-3 py-2 break-words">{answer}</td>
            <td class="px-3 py-2">{duration}</td>
            <td class="whitespace-nowrap px-3 py-2">{next}</td>
            <td class="px-3 py-2">
                <ActionForm action=redeliver>
                    <input type="hidden" name="webhook_id" value=d.webhook_id.to_string() />
                    <input type="hidden" name="delivery_id" value=d.id.to_string() />
                    <button type="submit" aria-label=format!("Redeliver {}", d.message_id) class=REDELIVER>
                        "Redeliver"
                    </button>
                </ActionForm>
            </td>
            <td class="px-3 py-2">
                <details>
                    <summary class="cursor-pointer text-sky-700">"Request and response"</summary>
                    <p class="mt-2 text-xs font-medium text-slate-600">"Request body"</p>
                    <pre class=PRE>{d.request_body.clone()}</pre>
                    <p class="mt-2 text-xs font-medium text-slate-600">"Response body"</p>
                    <pre class=PRE>{response}</pre>
                </details>
            </td>
        </tr>
    }
}
