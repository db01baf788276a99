//! What the audit trail records of changes to outgoing webhooks.

use super::Change;
use serde_json::{json, Value};

impl Change {
    pub(super) fn webhook_before_and_after(&self) -> (Option<Value>, Option<Value>) {
        match self {
            Self::WebhookSaved { before, after, .. } => {
                (before.as_ref().map(|b| json!(b)), Some(json!(after)))
            }
            Self::WebhookDeleted { before, .. } => (Some(json!(before)), None),
            Self::WebhookSecretRotated { previous_until, .. } => (
                None,
                Some(json!({ "previous_secret_signs_until": previous_until })),
            ),
            Self::WebhookDisabled { .. } => (
                Some(json!({ "enabled": true })),
                Some(json!({ "enabled": false })),
            ),
            Self::WebhookDeliveryQueued {
                message_id,
                event_type,
                ..
            } => (
                None,
                Some(json!({ "message_id": message_id, "type": event_type })),
            ),
            _ => unreachable!("only changes to webhooks are recorded here"),
        }
    }
}
