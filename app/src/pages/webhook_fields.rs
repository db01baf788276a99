//! The fields of a webhook subscription, shared by the add form and a
//! subscription's settings on `/admin/webhooks`.

use crate::components::form_error::{field_message, FieldError};
use crate::domain::webhook::Format;
use crate::error::AppError;
use crate::models::webhook::WebhookView;
use leptos::prelude::*;

pub(crate) const LABEL: &str = "flex flex-col text-xs font-medium text-slate-600";
pub(crate) const INPUT: &str =
    "mt-1 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900";
/// The fields a submission's error may name (any other is shown above the form).
pub(crate) const FIELDS: [&str; 7] = [
    "url",
    "description",
    "events",
    "tracks",
    "trains",
    "format",
    "audience",
];

/// A subscription's fields, blank (a new one: enabled) or holding `webhook`'s
/// settings; `error` is the last submission's failure, shown under the field
/// it names; `email` whether the server can send e-mail (has an SMTP relay).
#[component]
pub fn WebhookFields(
    webhook: Option<WebhookView>,
    error: Option<AppError>,
    email: bool,
) -> impl IntoView {
    let last = error.map(Err::<(), _>);
    let message = |field: &'static str| field_message(&last, field);
    let w = webhook.as_ref();
    let text = |of: fn(&WebhookView) -> String| w.map(of).unwrap_or_default();
    let enabled = w.is_none_or(|w| w.enabled);
    let hint =
        "Comma-separated: event types (train.cut), groups (promotion.*), or * for every event. ";
    view! {
        <label class=LABEL>"URL"
            <input name="url" type="url" required value=text(|w| w.url.clone()) placeholder="https://deploy.example/hooks/trainyard"
                aria-describedby="webhook-url-error" class=INPUT />
        </label>
        <FieldError message=message("url") id="webhook-url-error".to_owned() />
        <label class=LABEL>"Description"
            <input name="description" value=text(|w| w.description.clone()) aria-describedby="webhook-description-error"
                class=INPUT />
        </label>
        <FieldError message=message("description") id="webhook-description-error".to_owned() />
        <div class="flex flex-col">
            <label class=LABEL>"Events"
                <input name="events" required value=text(|w| w.events.join(", ")) placeholder="promotion.*, train.cut"
                    aria-describedby="webhook-events-hint webhook-events-error" class=INPUT />
            </label>
            <span id="webhook-events-hint" class="mt-1 text-xs text-slate-500">
                {hint}
                <a href="/api/v1/webhook-event-types" rel="external" class="text-sky-700 underline">
                    "Every event type, with its schema"
                </a>
            </span>
            <FieldError message=message("events") id="webhook-events-error".to_owned() />
        </div>
        <div class="grid gap-3 sm:grid-cols-2">
            <ListField label="Only tracks" name="tracks" value=text(|w| w.tracks.join(", "))
                example="dev, staging" hint="Comma-separated: only the events of these tracks' trains."
                error=message("tracks") />
            <ListField label="Only trains" name="trains" value=text(|w| w.trains.join(", "))
                example="2025.09-wk3"
                hint="Comma-separated; with tracks, an event of either is sent. Both blank: everything."
                error=message("trains") />
        </div>
        <FormatField chosen=w.map(|w| w.format).unwrap_or_default() email error=message("format") />
        <div class="flex flex-col">
            <label class=LABEL>"Audience"
                <input name="audience" value=text(|w| w.audience.clone().unwrap_or_default())
                    placeholder="platform-team" maxlength="60"
                    aria-describedby="webhook-audience-hint webhook-audience-error" class=INPUT />
            </label>
            <span id="webhook-audience-hint" class="mt-1 text-xs text-slate-500">
                "The stakeholder group this channel or mailing list speaks to, as the notification "
                "policy (config/upgrade-policies.yaml) names them: while a policy is imported, it "
                "is sent only if the policy lists this audience and this format. Blank: an "
                "integration (a CD system, a pager) the policy leaves alone."
            </span>
            <FieldError message=message("audience") id="webhook-audience-error".to_owned() />
        </div>
        <label class="flex items-center gap-2 text-sm">
            <input type="checkbox" name="enabled" checked=enabled />
            "Enabled: send events"
        </label>
    }
}

/// What is sent: the Standard Webhooks body, a Slack message (for a Slack
/// incoming-webhook URL), or an e-mail (for a `mailto:` URL), which is
/// offered only when the server has an SMTP relay; a subscription that
/// already is e-mail keeps the choice, and saving it says what is missing.
#[component]
fn FormatField(chosen: Format, email: bool, error: Option<String>) -> impl IntoView {
    let label = move |f: Format| match f {
        Format::Email if !email => "E-mail (needs the server's TRAINYARD_SMTP_URL)",
        f => f.label(),
    };
    let email_hint = if email {
        "E-mail: make the URL a mailto: list of recipients \
         (mailto:release-managers@example.com,platform-team@example.com); each event becomes a \
         plain-text message with a link to the train."
    } else {
        "E-mail is not offered: the server has no SMTP relay (TRAINYARD_SMTP_URL)."
    };
    view! {
        <div class="flex flex-col">
            // Labelled by reference, not by wrapping: a wrapping label's
            // name would take in the selected option's text.
            <label for="webhook-format" class=LABEL>"Format"</label>
            <select id="webhook-format" name="format"
                aria-describedby="webhook-format-hint webhook-format-error" class=INPUT>
                    {Format::ALL.into_iter().map(|f| view! {
                        <option value=f.as_str() selected=f == chosen
                            disabled=f == Format::Email && !email && chosen != Format::Email>
                            {label(f)}
                        </option>
                    }).collect_view()}
            </select>
            <span id="webhook-format-hint" class="mt-1 text-xs text-slate-500">
                "Slack message: point the URL at a Slack incoming webhook; each event becomes a "
                "message with its summary, reason, participants and a link to the train. "
                {email_hint}
            </span>
            <FieldError message=error id="webhook-format-error".to_owned() />
        </div>
    }
}

/// One comma-separated list of a subscription's reach, with its hint beside
/// the label rather than in it, so that the hint does not become its name.
#[component]
fn ListField(
    label: &'static str,
    name: &'static str,
    value: String,
    example: &'static str,
    hint: &'static str,
    error: Option<String>,
) -> impl IntoView {
    let (hint_id, error_id) = (
        format!("webhook-{name}-hint"),
        format!("webhook-{name}-error"),
    );
    view! {
        <div class="flex flex-col">
            <label class=LABEL>{label}
                <input name=name value=value placeholder=example
                    aria-describedby=format!("{hint_id} {error_id}") class=INPUT />
            </label>
            <span id=hint_id class="mt-1 text-xs text-slate-500">{hint}</span>
            <FieldError message=error id=error_id />
        </div>
    }
}
