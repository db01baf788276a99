//! Outgoing webhooks as the admin page and the API show them.

use crate::domain::webhook::Format;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A subscription as it is created or replaced.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    /// Where events are sent: an http or https URL, or for the format
    /// `email` a `mailto:` URI listing the recipients
    /// (`mailto:a@example.com,b@example.com`).
    #[cfg_attr(feature = "ssr", schema(max_length = 2000))]
    pub url: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub description: String,
    /// Event types (`promotion.promoted`), groups (`promotion.*`) or `*`.
    #[cfg_attr(feature = "ssr", schema(min_items = 1))]
    pub events: Vec<String>,
    /// Only the events of these tracks' trains (empty: every track).
    #[serde(default)]
    pub tracks: Vec<String>,
    /// Only the events of these trains (empty: every train). With tracks,
    /// an event of either is sent.
    #[serde(default)]
    pub trains: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
    // What is posted (default `standard`); documented by `Format` alone, as
    // a bare reference: a description or default here would wrap it in a
    // `oneOf`, whose refusal does not say which values are taken. Parsed
    // by the service, so that the forms' refusal names the field too.
    #[serde(default = "standard")]
    #[cfg_attr(feature = "ssr", schema(value_type = Format))]
    pub format: String,
    /// The stakeholder group it speaks to (`platform-team`), as the
    /// notification policy of `config/upgrade-policies.yaml` names them:
    /// while a policy is imported, it is sent only if the policy lists its
    /// format and this audience. None (or empty): an integration the policy
    /// leaves alone.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 60))]
    pub audience: Option<String>,
}

fn yes() -> bool {
    true
}

fn standard() -> String {
    Format::Standard.as_str().to_owned()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookView {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub tracks: Vec<String>,
    pub trains: Vec<String>,
    pub enabled: bool,
    pub format: Format,
    /// The stakeholder group it speaks to, if any.
    pub audience: Option<String>,
    /// Why the notification policy keeps it quiet: it is enabled, but the
    /// policy does not list its format or its audience.
    pub muted: Option<String>,
    /// Why Trainyard turned it off (410 Gone, failing for too long).
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed.
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the previous secret still signs, after a rotation.
    pub rotating_until: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new subscription and its signing secret, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreatedWebhook {
    pub webhook: WebhookView,
    /// `whsec_…`: the HMAC key is the base64 after the prefix.
    pub secret: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct RotateInput {
    /// How long the previous secret keeps signing (default 24).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(minimum = 0, maximum = 168))]
    pub grace_hours: Option<u16>,
}

/// A new secret, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RotatedSecret {
    pub secret: String,
    /// Until then deliveries carry a signature by each secret.
    pub previous_expires_at: DateTime<Utc>,
}

/// One event's delivery to one subscription, with its last attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: i64,
    pub webhook_id: i64,
    /// The `webhook-id` header: the same on every attempt and redelivery.
    pub message_id: String,
    pub event_type: String,
    /// `pending`, `delivered` or `failed` (every attempt used).
    pub status: String,
    pub attempts: i32,
    /// When it is tried next, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The receiver's HTTP status, when it answered; for e-mail, the SMTP
    /// relay's reply code (250: accepted).
    pub last_status: Option<u16>,
    pub last_duration_ms: Option<i64>,
    /// Why the last attempt failed without an answer (time-out, refused).
    pub last_error: Option<String>,
    /// The body sent (cut at 4 KiB).
    pub request_body: String,
    /// The start of what the receiver answered (cut at 2 KiB); for
    /// e-mail, the relay's reply text.
    pub response_body: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// An event type a subscription may ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventTypeView {
    #[serde(rename = "type")]
    pub name: String,
    pub description: String,
    /// Where its JSON Schema is served.
    pub schema: String,
}
