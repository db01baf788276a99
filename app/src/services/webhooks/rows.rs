//! A subscription's row as the queries read it, and its view.

use crate::domain::change::WebhookFields;
use crate::domain::webhook::audience::muted_by;
use crate::domain::webhook::{Audience, Format, NotificationPolicy};
use crate::models::webhook::WebhookView;
use chrono::{DateTime, Utc};

pub(super) struct WebhookRow {
    pub webhook_id: i64,
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
    pub tracks: Vec<String>,
    pub trains: Vec<String>,
    pub enabled: bool,
    pub format: String,
    pub audience: Option<String>,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl WebhookRow {
    pub fn fields(&self) -> WebhookFields {
        WebhookFields {
            url: self.url.clone(),
            description: self.description.clone(),
            events: self.event_types.clone(),
            tracks: self.tracks.clone(),
            trains: self.trains.clone(),
            enabled: self.enabled,
            format: self.format.clone(),
            audience: self.audience.clone(),
        }
    }

    /// The view as of `now` (a rotation's grace period may be over), muted
    /// as `policy` says.
    pub fn view(self, now: DateTime<Utc>, policy: Option<&NotificationPolicy>) -> WebhookView {
        let format = format_of(self.webhook_id, &self.format);
        let audience = audience_of(self.webhook_id, self.audience.as_deref());
        WebhookView {
            muted: muted_by(policy, format, audience.as_ref()),
            id: self.webhook_id,
            url: self.url,
            description: self.description,
            events: self.event_types,
            tracks: self.tracks,
            trains: self.trains,
            enabled: self.enabled,
            format,
            audience: self.audience,
            disabled_reason: self.disabled_reason,
            failing_since: self.failing_since,
            rotating_until: self.previous_secret_expires_at.filter(|until| *until > now),
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A stored format; the table's CHECK admits only the known ones, so
/// anything else is a schema out of step with the code: logged, and the
/// subscription goes on as a standard one rather than failing every read.
pub(super) fn format_of(webhook_id: i64, stored: &str) -> Format {
    Format::parse(stored).unwrap_or_else(|e| {
        tracing::error!(webhook = webhook_id, error = %e, "unknown stored webhook format");
        Format::Standard
    })
}

/// A stored audience; the table's CHECK admits only names the parser
/// takes, so one it refuses is logged and the subscription is treated as
/// having none.
pub(super) fn audience_of(webhook_id: i64, stored: Option<&str>) -> Option<Audience> {
    Audience::parse(stored?).unwrap_or_else(|e| {
        tracing::error!(webhook = webhook_id, error = %e, "unreadable stored webhook audience");
        None
    })
}
