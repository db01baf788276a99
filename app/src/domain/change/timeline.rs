//! A train's timeline as it is stored and served: the `kind` column names
//! the variant and the `detail` column holds its fields (the API shows both
//! as they are, so these shapes are part of the API).

use crate::domain::participant::ServiceState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of a train's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum TimelineEvent {
    Created {
        participants: Vec<String>,
        gates: usize,
    },
    /// A state change; the states are the entry's own `from_state` and
    /// `to_state`. A rollback's transition lists the steps it took.
    Transition {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        steps: Option<Vec<RollbackLine>>,
    },
    GateResults {
        results: Vec<GateResultLine>,
    },
    /// One service put back to the version it ran before.
    Rollback {
        #[serde(flatten)]
        step: RollbackLine,
        #[serde(default)]
        environment: Option<String>,
    },
    /// A rollback that waited for CD ended, or its timeout passed.
    RollbackSettled {
        outcome: crate::domain::rollback_progress::RollbackOutcome,
        #[serde(default)]
        environment: Option<String>,
        detail: String,
    },
    Calendar(CalendarEvent),
    Promotion(PromotionEvent),
    Health {
        service: String,
        environment: String,
        breaches: Vec<String>,
        outcome: BreachOutcome,
    },
    Edited(Edit),
    Evidence(EvidenceEvent),
    /// The release notes drafted or published.
    Notes(NotesEvent),
    /// Commits CI reported a participant's version brings.
    Changes {
        participant: String,
        shas: Vec<String>,
    },
    /// A deployment of one of its services, as the CD system reported it
    /// (when reported, and at each later status).
    Deployment {
        deployment: i64,
        service: String,
        version: String,
        environment: String,
        status: crate::domain::deployment::DeploymentStatus,
    },
    /// An incident a person confirmed one of its deployments caused.
    Incident {
        incident: i64,
        title: String,
        deployment: i64,
        service: String,
        environment: String,
    },
    /// A participant's deployment status, as its service reported it.
    Participant {
        service: String,
        status: ServiceState,
        #[serde(default)]
        version: Option<String>,
    },
}

impl TimelineEvent {
    /// The `kind` column's value.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Created { .. } => "created",
            Self::Transition { .. } => "transition",
            Self::GateResults { .. } => "gate_results",
            Self::Rollback { .. } => "rollback",
            Self::RollbackSettled { .. } => "rollback_settled",
            Self::Calendar(_) => "calendar",
            Self::Promotion(_) => "promotion",
            Self::Health { .. } => "health",
            Self::Edited(_) => "edited",
            Self::Evidence(_) => "evidence",
            Self::Participant { .. } => "participant",
            Self::Changes { .. } => "changes",
            Self::Notes(_) => "notes",
            Self::Deployment { .. } => "deployment",
            Self::Incident { .. } => "incident",
        }
    }

    /// The `detail` column's value.
    pub fn detail(&self) -> serde_json::Value {
        let mut stored = serde_json::to_value(self).unwrap_or_default();
        stored
            .get_mut("detail")
            .map(serde_json::Value::take)
            .unwrap_or_else(|| serde_json::json!({}))
    }

    /// Reads a stored entry back.
    pub fn from_stored(kind: &str, detail: serde_json::Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(serde_json::json!({ "kind": kind, "detail": detail }))
    }
}

/// One service of a rollback: the version it left and the one it returned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollbackLine {
    pub service: String,
    #[serde(default)]
    pub from_version: Option<String>,
    #[serde(default)]
    pub to_version: Option<String>,
    pub status: String,
}

/// One reported gate result, as the timeline lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GateResultLine {
    pub participant: String,
    pub gate: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub passed: Option<bool>,
}

/// A from/to pair of anything that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FromTo<T> {
    pub from: T,
    pub to: T,
}

/// A participant's version before (none: the train's) and after a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionChange {
    #[serde(default)]
    pub from: Option<String>,
    pub to: String,
}

/// What happened to a train on the calendar. Each shape has a field the
/// others lack, which is how a stored entry is told apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CalendarEvent {
    HotfixRecorded {
        recorded_after_the_fact: bool,
        track: String,
        tag: String,
        ran_at: DateTime<Utc>,
        on_call: String,
    },
    /// Moved by its owner, or by a change of its track's cadence (named).
    Moved {
        moved: FromTo<DateTime<Utc>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cadence: Option<String>,
        /// Past its slot: postponed, in this category.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        postponed: Option<String>,
    },
    /// Cut: its release branch, seed 000's train id and its first tag.
    Cut {
        release_branch: String,
        release_id: String,
        tag: String,
        versions: serde_json::Value,
    },
    /// A completed hotfix's versions, the baseline of the patched track's
    /// next train: on the hotfix it names that train, on that train the
    /// hotfix.
    RolledForward {
        hotfix: String,
        into: String,
        versions: serde_json::Value,
    },
    /// A new tag after the cut.
    Tagged {
        tagged: String,
        general_availability: bool,
        versions: serde_json::Value,
    },
    /// A reminder that the cut is near (before `OnCall`, whose field it
    /// shares with another shape).
    Upcoming {
        upcoming: DateTime<Utc>,
        before_minutes: i64,
        on_call: Option<String>,
        will_skip: bool,
    },
    OnCall {
        on_call: FromTo<Option<String>>,
    },
    /// Skipped by its owner, or by the rule that skips a train nobody watches.
    Skipped {
        calendar_status: FromTo<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        by_rule: bool,
    },
}

/// What happened to a train's promotion through an environment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PromotionEvent {
    /// CD confirmed every deploy of the promotion, or reported one failed.
    Settled {
        settled: String,
        deployed: bool,
        detail: String,
    },
    Promoted {
        promoted: String,
        request: i64,
        versions: serde_json::Value,
        /// `break-glass by …: reason` when a freeze was lifted for it.
        break_glass: Option<String>,
    },
    Requested {
        requested: String,
        request: i64,
        versions: serde_json::Value,
    },
    Approved {
        approved: String,
        request: i64,
    },
    Rejected {
        rejected: String,
        request: i64,
    },
    Cancelled {
        cancelled: String,
        request: i64,
    },
    GlassBroken {
        break_glass: String,
        request: i64,
    },
    /// The request waits for people: approvers of this role, owners.
    Waiting {
        waiting: String,
        request: i64,
        approver_role: String,
        approvals_needed: u8,
        #[serde(default)]
        owners: Vec<String>,
    },
}

/// What the health monitor did about a breach of the rollback criteria.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BreachOutcome {
    RolledBack,
    Recommended,
}

impl BreachOutcome {
    /// The stored name (`health_breach.outcome`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RolledBack => "rolled_back",
            Self::Recommended => "recommended",
        }
    }

    /// The outcome a stored name stands for.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name {
            "rolled_back" => Ok(Self::RolledBack),
            "recommended" => Ok(Self::Recommended),
            other => Err(format!("unknown breach outcome {other:?}")),
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::RolledBack => "rolled back automatically",
            Self::Recommended => "rollback recommended",
        }
    }
}

/// An edit of a train or of one participant's version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Edit {
    Participant {
        participant: String,
        target_version: VersionChange,
    },
    /// The train's gates, as they are now (before `Train`, whose fields are
    /// all optional and would read any object).
    Gates { gates: Vec<String> },
    Train {
        captain: Option<String>,
        target_version: Option<String>,
    },
}

/// A change of the evidence bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum EvidenceEvent {
    Uploaded(ArtifactLine),
    Replaced(ArtifactLine),
    Removed(ArtifactLine),
    Sealed {
        artifacts: usize,
        total_size: u64,
        manifest_sha256: String,
    },
}

/// An artifact of the bundle, as the timeline and the audit trail name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactLine {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub participant: Option<String>,
    pub size: u64,
    pub sha256: String,
}

/// What happened to a train's release notes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NotesEvent {
    Published {
        published_version: i32,
        in_evidence: bool,
    },
    Drafted {
        drafted_revision: i32,
    },
    AnnouncementDrafted {
        announcement_revision: i32,
    },
    PostRelease {
        post_release_sha256: String,
    },
}
