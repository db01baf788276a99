//! The changes to an incident, and what the audit trail, the timeline of a
//! linked deployment's train and the outbox keep of them.

use super::{Change, TimelineEntry, TimelineEvent, TrainRef};
use crate::domain::incident::Severity;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};

/// What an incident report says, as the audit trail keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncidentFields {
    pub title: String,
    pub severity: Severity,
    pub services: Vec<String>,
    pub environment: String,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub review_url: Option<String>,
    pub cited_tags: Vec<String>,
}

/// The variants of [`Change::Incident`].
#[derive(Clone, Debug, PartialEq)]
pub enum IncidentChange {
    /// Reported for the first time (`before` none), or reported again with
    /// something changed (resolved, its review written).
    Saved {
        before: Option<Box<IncidentFields>>,
        after: Box<IncidentFields>,
    },
    /// A person confirmed that a deployment caused it.
    Linked {
        title: String,
        deployment: i64,
        service: String,
        version: String,
        environment: String,
        train: Option<TrainRef>,
    },
}

impl Change {
    pub(super) fn incident_values(&self) -> (Option<Value>, Option<Value>) {
        let Self::Incident { change, .. } = self else {
            unreachable!("only incidents are told here")
        };
        match change {
            IncidentChange::Saved { before, after } => {
                (before.as_ref().map(|b| json!(b)), Some(json!(after)))
            }
            IncidentChange::Linked {
                deployment,
                service,
                version,
                environment,
                train,
                ..
            } => (
                None,
                Some(json!({
                    "deployment": deployment, "service": service, "version": version,
                    "environment": environment, "train": train.as_ref().map(|t| &t.name),
                })),
            ),
        }
    }

    pub(super) fn incident_entries(&self) -> Vec<TimelineEntry> {
        let Self::Incident {
            id,
            change:
                IncidentChange::Linked {
                    title,
                    deployment,
                    service,
                    environment,
                    train: Some(train),
                    ..
                },
        } = self
        else {
            return Vec::new();
        };
        vec![TimelineEntry {
            train_id: train.id,
            event: TimelineEvent::Incident {
                incident: *id,
                title: title.clone(),
                deployment: *deployment,
                service: service.clone(),
                environment: environment.clone(),
            },
            states: None,
            reason: None,
        }]
    }
}
