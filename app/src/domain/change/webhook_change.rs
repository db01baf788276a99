//! What changes to an outgoing webhook subscription: the variants of
//! [`super::Change::Webhook`].

use super::WebhookFields;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, PartialEq)]
pub enum WebhookChange {
    /// A subscription added (`before` none) or changed.
    Saved {
        before: Option<WebhookFields>,
        after: WebhookFields,
    },
    Deleted {
        before: WebhookFields,
        reason: String,
    },
    /// A new signing secret; the old one signs too until `previous_until`.
    SecretRotated { previous_until: DateTime<Utc> },
    /// Turned off by Trainyard: the endpoint answered 410 Gone, or kept
    /// failing for too long.
    Disabled { reason: String },
    /// An event sent again (or a test event sent) to one subscription.
    DeliveryQueued {
        message_id: String,
        event_type: String,
        test: bool,
    },
}
