//! The changes to an incident, and what the audit trail, the timeline of a
//! linked deployment's train and the outbox keep of them.

use super::{Change, TimelineEntry, TimelineEvent, TrainRef};
use crate::domain::incident::IncidentReport;
use serde_json::{json, Value};

/// The variants of [`Change::Incident`].
#[derive(Clone, Debug, PartialEq)]
pub enum IncidentChange {
    /// Reported for the first time (`before` none), or reported again with
    /// something changed (resolved, its review written).
    Saved {
        before: Option<Box<IncidentReport>>,
        after: Box<IncidentReport>,
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
