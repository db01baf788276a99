use crate::domain::change::TimelineEvent;
use crate::domain::gates::spec::GateSpec;
use crate::domain::gates::{Blocker, GateMatrix};
use crate::domain::participant::Phase;
use crate::domain::TrainState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/release-trains` (seed 002's shape, plus calendar fields).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTrain {
    pub name: String,
    #[serde(default)]
    pub target_version: Option<String>,
    #[serde(default)]
    pub participants: Vec<ParticipantInput>,
    #[serde(default)]
    pub dependencies: Vec<RequirementInput>,
    /// Gates of this train; the standard quality gates when absent.
    #[serde(default)]
    pub gates: Option<Vec<GateSpec>>,
    #[serde(default)]
    pub captain: Option<String>,
    #[serde(default)]
    pub track: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub planned_start: Option<DateTime<Utc>>,
    /// Who watches the train (the calendar's on-call).
    #[serde(default)]
    pub on_call: Option<String>,
}

/// A participant: a service name, or a service with its versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum ParticipantInput {
    Name(String),
    Detailed {
        service: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target_version: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_version: Option<String>,
    },
}

impl ParticipantInput {
    pub fn service(&self) -> &str {
        match self {
            Self::Name(s) | Self::Detailed { service: s, .. } => s,
        }
    }
}

/// `{"spec": "curves-api", "version": ">=2.0.0"}` or `{"library": …}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequirementInput {
    #[serde(default)]
    pub spec: Option<String>,
    #[serde(default)]
    pub library: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
}

/// `PUT /api/v1/release-trains/{name}`: a transition and/or edits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainUpdate {
    #[serde(default)]
    pub status: Option<TrainState>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub captain: Option<String>,
    #[serde(default)]
    pub target_version: Option<String>,
    /// Seed 002's example sends it, but progress is computed from the
    /// participants' status: a request that sets it is refused with 422
    /// saying how to report a service's deployment instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrainSummary {
    pub name: String,
    pub state: TrainState,
    pub track: Option<String>,
    pub tag: Option<String>,
    pub target_version: Option<String>,
    pub planned_start: Option<DateTime<Utc>>,
    pub captain: Option<String>,
    pub participants: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ParticipantStatus {
    pub service: String,
    pub position: i32,
    pub status: Phase,
    pub target_version: Option<String>,
    pub previous_version: Option<String>,
    /// The service's owners: people, or `group:<name>`.
    #[serde(default)]
    pub owners: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequirementStatus {
    pub kind: String,
    pub name: String,
    pub versions: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrainEventView {
    pub at: DateTime<Utc>,
    pub actor: String,
    /// A transition's states.
    pub from_state: Option<TrainState>,
    pub to_state: Option<TrainState>,
    pub reason: Option<String>,
    /// `kind` (`created`, `transition`, `gate_results`, …) and its `detail`.
    #[serde(flatten)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub event: TimelineEvent,
}

/// `GET /api/v1/release-trains/{name}/status`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrainStatus {
    pub name: String,
    pub state: TrainState,
    pub paused_from: Option<TrainState>,
    pub status_reason: Option<String>,
    pub target_version: Option<String>,
    pub track: Option<String>,
    pub tag: Option<String>,
    pub captain: Option<String>,
    /// Share of participants released (deployed or verified), in percent.
    pub progress: f64,
    /// In release order.
    pub participants: Vec<ParticipantStatus>,
    pub requirements: Vec<RequirementStatus>,
    pub gates: GateMatrix,
    pub blockers: Vec<Blocker>,
    /// States the train may move to next.
    pub next_states: Vec<TrainState>,
    /// Where it stands on the calendar; none for a train on no track.
    pub calendar_status: Option<crate::domain::CalendarStatus>,
    /// Seed 000's train id (`2025.09-wk3`) and release branch, once cut.
    pub release_id: Option<String>,
    pub release_branch: Option<String>,
    /// Every tag it carried, oldest first: the cut's, each release
    /// candidate's, general availability's.
    pub tags: Vec<TagRecord>,
    /// The completed hotfix whose versions it starts from.
    pub baseline: Option<String>,
}

/// One tag of a train and the participants' versions it carried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TagRecord {
    pub tag: String,
    /// `cut`, `candidate` or `general_availability`.
    pub kind: String,
    /// Service → version.
    pub versions: std::collections::BTreeMap<String, String>,
    pub reason: Option<String>,
    pub tagged_by: String,
    pub tagged_at: DateTime<Utc>,
}

/// One step of a rollback plan: a participant and the version it returns to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RollbackStep {
    pub service: String,
    pub from_version: Option<String>,
    pub to_version: Option<String>,
    /// `planned` (a preview), `requested` (CD has yet to redeploy it),
    /// `failed` (CD reported the redeploy failed; a retry may still
    /// succeed) or `rolled_back`.
    pub status: String,
    /// The environments whose deploys CD confirms and where CD has not yet
    /// reported this service's redeploy of `to_version`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting_in: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RollbackRequest {
    pub reason: String,
    #[serde(default)]
    pub dry_run: bool,
    /// Seed 002's flag: record the redeploys as done without waiting for
    /// CD to confirm them (an unfinished rollback of the train is finished
    /// so). Refused where nothing waits for CD; it never skips a guard.
    #[serde(default)]
    pub force: bool,
    /// Roll back only this environment (`prod`); the whole train when absent.
    #[serde(default)]
    pub environment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RollbackPlan {
    pub train: String,
    pub dry_run: bool,
    pub reason: String,
    /// The environment rolled back, or none for the whole train.
    pub environment: Option<String>,
    /// Reverse dependency order.
    pub steps: Vec<RollbackStep>,
    /// `preview`, `in_progress` (CD has redeploys to report), `completed`
    /// or `stuck` (its track's rollback timeout passed first).
    pub status: String,
    pub requested_by: Option<String>,
    pub at: Option<DateTime<Utc>>,
    /// What an unfinished rollback waits for, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<String>,
    /// When an unfinished rollback counts as stuck.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<Utc>>,
}

/// `POST /api/v1/release-trains/{name}/gate-results`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GateResultBatch {
    pub results: Vec<GateResultInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GateResultInput {
    pub participant: String,
    /// The metric name or check context (`quality_score`, `unit-tests`).
    pub gate: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub passed: Option<bool>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// `PUT /api/v1/services/{name}/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceStatusUpdate {
    pub status: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub health_status: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceStatus {
    pub name: String,
    pub status: String,
    pub version: Option<String>,
    pub health_status: String,
    pub depends_on: Vec<String>,
}
