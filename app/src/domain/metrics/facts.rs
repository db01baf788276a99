//! What the metrics are computed from, as the store holds it.

use crate::domain::deployment::{DeploymentStatus, MatchKind};
use chrono::{DateTime, Utc};

/// Why a production deployment counts as a failed change: the first that
/// holds of a failed deploy, a rollback of its train there after it, a
/// health criterion that held after it, or an incident linked to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureCause {
    Failed,
    RolledBack,
    HealthGate,
    Incident,
}

impl FailureCause {
    /// The first cause that holds, in the order above.
    pub fn first(failed: bool, rolled_back: bool, breached: bool, linked: bool) -> Option<Self> {
        [
            (failed, Self::Failed),
            (rolled_back, Self::RolledBack),
            (breached, Self::HealthGate),
            (linked, Self::Incident),
        ]
        .into_iter()
        .find_map(|(holds, cause)| holds.then_some(cause))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentFact {
    pub id: i64,
    pub service: String,
    pub version: String,
    pub environment: String,
    /// Its environment is of the production kind.
    pub production: bool,
    /// The train it came with, and that train's track.
    pub train: Option<String>,
    pub track: Option<String>,
    pub matched: MatchKind,
    pub status: DeploymentStatus,
    /// When it finished (when it was reported, until it does).
    pub at: DateTime<Utc>,
    /// When the changes its train carried for this service were committed.
    pub commits: Vec<DateTime<Utc>>,
    /// Its train's changes for this service had already shipped, in the
    /// scope asked for, before the window: deploying them again delivers
    /// no change.
    pub shipped_before: bool,
    pub failure: Option<FailureCause>,
    /// For a failed deploy: when the next good one of the same service to
    /// the same environment finished.
    pub recovered_at: Option<DateTime<Utc>>,
}

impl DeploymentFact {
    pub fn succeeded(&self) -> bool {
        self.status == DeploymentStatus::Succeeded
    }

    /// A deploy that finished, well or not: what a change-failure rate
    /// divides by.
    pub fn finished(&self) -> bool {
        matches!(
            self.status,
            DeploymentStatus::Succeeded | DeploymentStatus::Failed
        )
    }

    pub fn label(&self) -> String {
        format!("{} {} to {}", self.service, self.version, self.environment)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct IncidentFact {
    pub id: i64,
    pub title: String,
    pub environment: String,
    pub production: bool,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Its post-incident review, when there is one.
    pub review_url: Option<String>,
    pub cited_tags: Vec<String>,
    /// Of the cited tags, those that name a known train.
    pub cited_trains: Vec<String>,
    /// A person linked it to a deployment nobody scheduled (hotfixes
    /// match their own train, so they are never among these).
    pub unscheduled_deploys: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PostponementFact {
    pub train: String,
    pub track: Option<String>,
    pub category: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// Everything a window holds, each kind in time order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricFacts {
    pub deployments: Vec<DeploymentFact>,
    /// For each deployment, whether it landed on its cadence.
    pub on_cadence: Vec<bool>,
    pub incidents: Vec<IncidentFact>,
    pub postponements: Vec<PostponementFact>,
}
