//! `/admin/webhooks`: outgoing webhook subscriptions, and a form to add
//! one; `/admin/webhooks/{id}`: one subscription's settings, its secret,
//! its removal and (in [`super::webhook_deliveries`]) its delivery log.
//! Only admins get data; everyone else sees the server's refusal.

use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::live::LiveRegion;
use crate::components::time::utc_label;
use crate::domain::webhook::EVENT_TYPES;
use crate::error::AppError;
use crate::models::webhook::WebhookView;
use crate::pages::webhook_deliveries::DeliveryLog;
use crate::pages::webhook_fields::{WebhookFields, FIELDS, INPUT, LABEL};
use crate::pages::{error_fallback, loading};
use crate::server_fns::webhooks::{
    get_webhook, list_webhook_deliveries, list_webhooks, webhook_email_offered, CreateWebhook,
    DeleteWebhook, RedeliverWebhookDelivery, RotateWebhookSecret, SendWebhookTest, UpdateWebhook,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub(crate) const TABLE: &str =
    "min-w-full divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm";
pub(crate) const THEAD: &str =
    "bg-slate-50 text-left text-xs font-semibold uppercase text-slate-600";
pub(crate) const BUTTON: &str = "rounded bg-slate-900 px-3 py-1.5 text-sm text-white";
const DANGER: &str =
    "rounded border border-rose-300 px-3 py-1.5 text-sm text-rose-800 hover:bg-rose-50";

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let webhooks = Resource::new(|| (), |_| list_webhooks());
    let email = Resource::new(|| (), |_| webhook_email_offered());
    view! {
        <Title text="Webhooks" />
        <p class="mb-2 text-sm"><a href="/admin" class="text-sky-700 underline">"← Admin"</a></p>
        <h1 class="mb-1 text-2xl font-semibold">"Webhooks"</h1>
        <p class="mb-4 text-sm text-slate-600">
            "Trainyard posts each event a subscription asks for to its URL, signed with its secret "
            "(Standard Webhooks headers), as JSON or as a Slack message, or e-mails it to a mailto: "
            "list, and tries again while the receiver fails."
        </p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let list = webhooks.await?;
                    Ok::<_, AppError>(view! {
                        // A webhook added on this page shows up by itself.
                        <LiveRegion id="webhooks" topics="webhook:".to_owned()>
                            <WebhookTable list />
                        </LiveRegion>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
        <section aria-labelledby="new-webhook-heading" class="mt-6 max-w-2xl">
            <h2 id="new-webhook-heading" class="mb-2 text-lg font-semibold">"Add a webhook"</h2>
            // Whoever may not manage webhooks is told so by the list above;
            // the form then simply offers no e-mail.
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let email = email.await.unwrap_or(false);
                    view! { <CreateWebhookForm email /> }
                })}
            </Suspense>
            <EventTypes />
        </section>
    }
}

#[component]
fn WebhookTable(list: Vec<WebhookView>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="text-sm text-slate-600">"No webhooks yet."</p> }.into_any();
    }
    view! {
        <table class=TABLE aria-label="Webhooks">
            <thead class=THEAD>
                <tr>
                    <th scope="col" class="px-3 py-2">"URL"</th>
                    <th scope="col" class="px-3 py-2">"Description"</th>
                    <th scope="col" class="px-3 py-2">"Events"</th>
                    <th scope="col" class="px-3 py-2">"Reach"</th>
                    <th scope="col" class="px-3 py-2">"Format"</th>
                    <th scope="col" class="px-3 py-2">"Audience"</th>
                    <th scope="col" class="px-3 py-2">"State"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {list.into_iter().map(|w| view! {
                    <tr>
                        <td class="px-3 py-2 font-mono text-xs break-all">
                            <a href=format!("/admin/webhooks/{}", w.id) class="text-sky-700 underline">
                                {w.url.clone()}
                            </a>
                        </td>
                        <td class="px-3 py-2">{w.description.clone()}</td>
                        <td class="px-3 py-2 font-mono text-xs">{w.events.join(", ")}</td>
                        <td class="px-3 py-2">{reach_label(&w.tracks, &w.trains)}</td>
                        <td class="px-3 py-2">{w.format.label()}</td>
                        <td class="px-3 py-2">{w.audience.clone().unwrap_or_else(|| "—".to_owned())}</td>
                        <td class="px-3 py-2">{state_label(&w)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Which events' trains a subscription hears of: a track's or a named
/// train's (either will do), or everything.
fn reach_label(tracks: &[String], trains: &[String]) -> String {
    match (tracks.is_empty(), trains.is_empty()) {
        (true, true) => "everything".to_owned(),
        (false, true) => format!("tracks {}", tracks.join(", ")),
        (true, false) => format!("trains {}", trains.join(", ")),
        (false, false) => format!(
            "tracks {} or trains {}",
            tracks.join(", "),
            trains.join(", ")
        ),
    }
}

/// Whether events go out, and what an admin should know about it.
fn state_label(w: &WebhookView) -> String {
    let state = match (w.enabled, &w.disabled_reason, w.failing_since) {
        (false, Some(why), _) => format!("off: {why}"),
        (false, None, _) => "off".to_owned(),
        (true, _, Some(since)) => format!("failing since {}", utc_label(since)),
        (true, _, None) => match &w.muted {
            Some(why) => format!("muted: {why}"),
            None => "enabled".to_owned(),
        },
    };
    match w.rotating_until {
        Some(until) => format!("{state}; rotating secret until {}", utc_label(until)),
        None => state,
    }
}

/// Adds a subscription and shows its signing secret once: an island, since
/// the secret must never travel in an address (as a plain form's answer would).
#[island]
pub fn CreateWebhookForm(email: bool) -> impl IntoView {
    let create = ServerAction::<CreateWebhook>::new();
    view! {
        <ActionForm action=create
            attr:class="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <WebhookFields webhook=None error=None email />
            <button type="submit" class=BUTTON>"Add webhook"</button>
        </ActionForm>
        {move || create.value().get().map(|result| match result {
            Ok(created) => view! {
                <div role="status" class="mt-3 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm">
                    <p>"Webhook created. Copy its signing secret now: it is not shown again."</p>
                    <code class="mt-1 block break-all font-mono" data-testid="new-webhook-secret">
                        {created.secret}
                    </code>
                    <a href=format!("/admin/webhooks/{}", created.webhook.id) class="mt-2 inline-block text-sky-700 underline">
                        "Its settings and delivery log"
                    </a>
                </div>
            }.into_any(),
            Err(e) => view! { <p role="alert" class="mt-3 text-sm text-rose-800">{e.to_string()}</p> }.into_any(),
        })}
    }
}

/// The event types a subscription may name, for reading beside the form.
#[component]
fn EventTypes() -> impl IntoView {
    view! {
        <details class="mt-3 text-sm">
            <summary class="cursor-pointer text-sky-700">"Event types"</summary>
            <dl class="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                {EVENT_TYPES.iter().map(|(name, description)| view! {
                    <dt class="font-mono text-xs">{*name}</dt>
                    <dd class="text-slate-600">{*description}</dd>
                }).collect_view()}
            </dl>
        </details>
    }
}

/// `/admin/webhooks/{id}`.
#[component]
pub fn WebhookPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id")?.parse::<i64>().ok();
    let save = ServerAction::<UpdateWebhook>::new();
    let test = ServerAction::<SendWebhookTest>::new();
    let redeliver = ServerAction::<RedeliverWebhookDelivery>::new();
    let webhook = Resource::new(
        move || (id(), save.version().get()),
        |(id, _)| async move { get_webhook(known(id)?).await },
    );
    // A test or a redelivery adds a row: the log is read again.
    let deliveries = Resource::new(
        move || (id(), test.version().get(), redeliver.version().get()),
        |(id, _, _)| async move { list_webhook_deliveries(known(id)?).await },
    );
    let email = Resource::new(|| (), |_| webhook_email_offered());
    view! {
        <Title text="Webhook" />
        <p class="mb-2 text-sm"><a href="/admin/webhooks" class="text-sky-700 underline">"← Webhooks"</a></p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let webhook = webhook.await?;
                    let email = email.await?;
                    let id = webhook.id;
                    Ok::<_, AppError>(view! {
                        <WebhookSettings webhook save email />
                        <DeliveryLog id deliveries test redeliver />
                        <Delete id />
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The id in the address, when it is one.
fn known(id: Option<i64>) -> Result<i64, AppError> {
    id.ok_or_else(|| AppError::NotFound("that webhook".to_owned()))
}

#[component]
fn WebhookSettings(
    webhook: WebhookView,
    save: ServerAction<UpdateWebhook>,
    email: bool,
) -> impl IntoView {
    let last = save.value().get_untracked();
    let general = form_message(&last, &FIELDS);
    let error = last.and_then(Result::err);
    let off = (!webhook.enabled).then(|| {
        let why = webhook.disabled_reason.as_deref().map_or_else(
            || "It is off: no events are sent to it.".to_owned(),
            |why| format!("Trainyard turned it off: {why}."),
        );
        view! {
            <p class="mb-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="webhook-off">
                {why}" Saving it with “Enabled” ticked turns it back on."
            </p>
        }
    });
    let muted = webhook.muted.clone().map(|why| {
        view! {
            <p class="mb-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="webhook-muted">
                {format!("Muted: {why}. ")}
                "Nothing is sent to it until the imported policy (config/upgrade-policies.yaml) "
                "lists its format and audience, or its audience is cleared."
            </p>
        }
    });
    let facts = format!(
        "{} · {} · added by {} on {} · changed {}",
        state_label(&webhook),
        webhook.format.label(),
        webhook.created_by,
        utc_label(webhook.created_at),
        utc_label(webhook.updated_at),
    );
    let (id, current) = (webhook.id, Some(webhook.clone()));
    let rotating = webhook
        .rotating_until
        .map(|until| format!("The previous secret signs too until {}.", utc_label(until)));
    view! {
        <h1 class="mb-1 text-2xl font-semibold">{format!("Webhook {}", webhook.id)}</h1>
        <p class="mb-1 break-all font-mono text-sm">{webhook.url.clone()}</p>
        <p class="mb-4 text-sm text-slate-600" data-testid="webhook-state">{facts}</p>
        {off}
        {muted}
        <section aria-labelledby="settings-heading" class="mb-6 max-w-2xl">
            <h2 id="settings-heading" class="mb-2 text-lg font-semibold">"Settings"</h2>
            <FormError message=general />
            <ActionForm action=save
                attr:class="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                <input type="hidden" name="id" value=id.to_string() />
                <WebhookFields webhook=current error email />
                <button type="submit" class=BUTTON>"Save"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="secret-heading" class="mb-6 max-w-2xl">
            <h2 id="secret-heading" class="mb-1 text-lg font-semibold">"Signing secret"</h2>
            <p class="mb-2 text-sm text-slate-600">
                "A new secret signs every delivery from now on; the previous one signs too for the grace "
                "period, so the receiver can switch without missing one. "{rotating}
            </p>
            <RotateSecretForm id />
        </section>
    }
}

/// Makes a new signing secret and shows it once: an island, like the add
/// form, so that the secret never travels in an address.
#[island]
pub fn RotateSecretForm(id: i64) -> impl IntoView {
    let rotate = ServerAction::<RotateWebhookSecret>::new();
    view! {
        <ActionForm action=rotate attr:class="flex flex-wrap items-end gap-3">
            <input type="hidden" name="id" value=id.to_string() />
            <label class=LABEL>"Previous secret signs for (hours, 0–168)"
                <input name="grace_hours" inputmode="numeric" placeholder="24" class=INPUT />
            </label>
            <button type="submit" class=BUTTON>"Rotate secret"</button>
        </ActionForm>
        {move || rotate.value().get().map(|result| match result {
            Ok(rotated) => view! {
                <div role="status" class="mt-3 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm">
                    <p>
                        "New signing secret. Copy it now: it is not shown again; the previous secret signs too until "
                        {utc_label(rotated.previous_expires_at)}"."
                    </p>
                    <code class="mt-1 block break-all font-mono" data-testid="rotated-secret">{rotated.secret}</code>
                </div>
            }.into_any(),
            Err(e) => view! { <p role="alert" class="mt-3 text-sm text-rose-800">{e.to_string()}</p> }.into_any(),
        })}
    }
}

/// Removes the subscription and its log, with the reason the audit trail keeps.
#[component]
fn Delete(id: i64) -> impl IntoView {
    let delete = ServerAction::<DeleteWebhook>::new();
    let last = delete.value().get_untracked();
    let general = form_message(&last, &["reason"]);
    view! {
        <section aria-labelledby="delete-heading" class="mt-6 max-w-2xl rounded-lg border border-rose-200 bg-white p-4">
            <h2 id="delete-heading" class="mb-1 text-lg font-semibold">"Delete"</h2>
            <p class="mb-2 text-sm text-slate-600">
                "Nothing more is sent to it, and its delivery log goes with it; the audit trail keeps your reason."
            </p>
            <FormError message=general />
            <ActionForm action=delete attr:class="flex flex-wrap items-end gap-3">
                <input type="hidden" name="id" value=id.to_string() />
                <label class=LABEL>"Reason"
                    <input name="reason" required aria-describedby="reason-error" class=INPUT />
                </label>
                <button type="submit" class=DANGER>"Delete"</button>
            </ActionForm>
            <FieldError message=field_message(&last, "reason") id="reason-error".to_owned() />
        </section>
    }
}
