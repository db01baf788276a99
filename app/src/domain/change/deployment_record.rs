//! The changes to a deployment a CD system reports, and what the audit
//! trail, the timeline of the train it belongs to and the outbox keep of
//! them.

use super::{Change, TimelineEntry, TimelineEvent};
use crate::domain::deployment::{DeploymentStatus, MatchKind};
use serde_json::{json, Value};

/// Which deployment: its id and what it put where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentRef {
    pub id: i64,
    pub service: String,
    pub version: String,
    pub environment: String,
}

/// The variants of [`Change::Deployment`].
#[derive(Clone, Debug, PartialEq)]
pub enum DeploymentChange {
    /// First reported, and matched.
    Reported {
        status: DeploymentStatus,
        matched: MatchKind,
        pipeline_run_id: String,
        pipeline_url: Option<String>,
        commit_sha: Option<String>,
        in_freeze: bool,
        match_note: Option<String>,
    },
    /// Its status moved.
    StatusChanged {
        from: DeploymentStatus,
        to: DeploymentStatus,
    },
}

impl DeploymentChange {
    fn status(&self) -> DeploymentStatus {
        match self {
            Self::Reported { status, .. } => *status,
            Self::StatusChanged { to, .. } => *to,
        }
    }
}

impl Change {
    pub(super) fn deployment_values(&self) -> (Option<Value>, Option<Value>) {
        let Self::Deployment {
            deployment: d,
            train,
            change,
        } = self
        else {
            unreachable!("only deployments are told here")
        };
        let what = json!({
            "service": d.service,
            "version": d.version,
            "environment": d.environment,
            "train": train.as_ref().map(|t| &t.name),
        });
        match change {
            DeploymentChange::Reported {
                status,
                matched,
                pipeline_run_id,
                pipeline_url,
                commit_sha,
                in_freeze,
                match_note,
            } => {
                let mut after = what;
                after["status"] = json!(status);
                after["matched"] = json!(matched);
                after["pipeline_run_id"] = json!(pipeline_run_id);
                after["pipeline_url"] = json!(pipeline_url);
                after["commit_sha"] = json!(commit_sha);
                after["in_freeze"] = json!(in_freeze);
                after["match_note"] = json!(match_note);
                (None, Some(after))
            }
            DeploymentChange::StatusChanged { from, to } => {
                let mut after = what;
                after["status"] = json!(to);
                (Some(json!({ "status": from })), Some(after))
            }
        }
    }

    pub(super) fn deployment_entries(&self) -> Vec<TimelineEntry> {
        let Self::Deployment {
            deployment: d,
            train,
            change,
        } = self
        else {
            unreachable!("only deployments are told here")
        };
        train
            .iter()
            .map(|t| TimelineEntry {
                train_id: t.id,
                event: TimelineEvent::Deployment {
                    deployment: d.id,
                    service: d.service.clone(),
                    version: d.version.clone(),
                    environment: d.environment.clone(),
                    status: change.status(),
                },
                states: None,
                reason: None,
            })
            .collect()
    }
}
