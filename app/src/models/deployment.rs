//! Deployments as CD reports them and the pages show them, and what runs
//! where.

use crate::domain::deployment::{DeploymentStatus, MatchKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/deployments`: what a CD pipeline deployed, where, and how
/// it went. Idempotent on (`pipeline_run_id`, `service`, `environment`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeploymentInput {
    /// A service of the catalog.
    #[cfg_attr(feature = "ssr", schema(max_length = 64))]
    pub service: String,
    /// The version deployed, as the train names it (`2.1.0`).
    #[cfg_attr(feature = "ssr", schema(max_length = 128))]
    pub version: String,
    /// An environment (`prod`).
    #[cfg_attr(feature = "ssr", schema(max_length = 32))]
    pub environment: String,
    pub status: DeploymentStatus,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 64))]
    pub commit_sha: Option<String>,
    /// The pipeline run that deployed it: with the service and environment,
    /// what makes a report the same one again.
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub pipeline_run_id: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 2048))]
    pub pipeline_url: Option<String>,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
    /// The train it delivers, by name or tag, if the pipeline knows;
    /// otherwise Trainyard finds it.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub train: Option<String>,
}

/// `PATCH /api/v1/deployments/{id}`: how it goes now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeploymentUpdate {
    pub status: DeploymentStatus,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished; defaults to now for a final status.
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeploymentView {
    pub id: i64,
    pub service: String,
    pub version: String,
    pub environment: String,
    pub status: DeploymentStatus,
    pub commit_sha: Option<String>,
    pub pipeline_run_id: String,
    pub pipeline_url: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The train it belongs to, if any.
    pub train: Option<String>,
    pub matched: MatchKind,
    /// Why it matched nothing though the report named a train.
    pub match_note: Option<String>,
    /// Whether a freeze window covered it when it was reported.
    pub in_freeze: bool,
    pub reported_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A report's answer: the deployment, and whether this report made it
/// (`false`: the same pipeline run reported it before).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportedDeployment {
    pub deployment: DeploymentView,
    pub created: bool,
}

/// What runs in one environment for one service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunningVersion {
    pub version: Option<String>,
    /// The train that brought it, and its tag.
    pub train: Option<String>,
    pub tag: Option<String>,
    pub since: DateTime<Utc>,
    /// The deployment that reported it in place; none when a promotion
    /// recorded it without a CD report.
    pub deployment: Option<i64>,
}

/// One service's row of the matrix: a cell per environment, in the
/// environments' order (`None`: nothing known to run there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunningRow {
    pub service: String,
    pub cells: Vec<Option<RunningVersion>>,
}

/// What runs where: environments × services, and the latest deployments
/// nobody scheduled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunningMatrix {
    pub environments: Vec<String>,
    pub rows: Vec<RunningRow>,
    /// The most recent deployments no train carried, newest first.
    pub unscheduled: Vec<DeploymentView>,
}

/// `/deployments`: what runs where, and the latest deployments.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentsPage {
    pub running: RunningMatrix,
    pub recent: Vec<DeploymentView>,
}
