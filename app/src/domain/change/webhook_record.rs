//! What the audit trail records of changes to outgoing webhooks, and the
//! timeline entries of what is announced to them (reminders, a request
//! waiting for people, reported changes).

use super::{CalendarEvent, Change, PromotionEvent, TimelineEntry, TimelineEvent, WebhookChange};
use serde_json::{json, Value};

impl WebhookChange {
    pub(super) fn before_and_after(&self) -> (Option<Value>, Option<Value>) {
        match self {
            Self::Saved { before, after } => {
                (before.as_ref().map(|b| json!(b)), Some(json!(after)))
            }
            Self::Deleted { before, .. } => (Some(json!(before)), None),
            Self::SecretRotated { previous_until } => (
                None,
                Some(json!({ "previous_secret_signs_until": previous_until })),
            ),
            Self::Disabled { .. } => (
                Some(json!({ "enabled": true })),
                Some(json!({ "enabled": false })),
            ),
            Self::DeliveryQueued {
                message_id,
                event_type,
                ..
            } => (
                None,
                Some(json!({ "message_id": message_id, "type": event_type })),
            ),
        }
    }
}

impl Change {
    pub(super) fn announcement_entries(&self) -> Vec<TimelineEntry> {
        let (train, event) = match self {
            Self::PromotionWaiting {
                train,
                environment,
                request,
                approver_role,
                approvals_needed,
                owners,
            } => (
                train,
                TimelineEvent::Promotion(PromotionEvent::Waiting {
                    waiting: environment.clone(),
                    request: *request,
                    approver_role: approver_role.clone(),
                    approvals_needed: *approvals_needed,
                    owners: owners.clone(),
                }),
            ),
            Self::TrainUpcoming {
                train,
                cut_at,
                before_minutes,
                on_call,
                will_skip,
                ..
            } => (
                train,
                TimelineEvent::Calendar(CalendarEvent::Upcoming {
                    upcoming: *cut_at,
                    before_minutes: *before_minutes,
                    on_call: on_call.clone(),
                    will_skip: *will_skip,
                }),
            ),
            Self::ChangesReported {
                train,
                participant,
                shas,
            } => (
                train,
                TimelineEvent::Changes {
                    participant: participant.clone(),
                    shas: shas.clone(),
                },
            ),
            _ => unreachable!("only announcements are told here"),
        };
        vec![TimelineEntry {
            train_id: train.id,
            event,
            states: None,
            reason: None,
        }]
    }
}
