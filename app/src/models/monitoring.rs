//! Seed 002's monitoring endpoints: a train's progress, per-service status
//! and health, gate and dependency progress and issues; a service's health
//! and performance as series with their rollback thresholds.

use crate::domain::monitoring::{Progress, View};
use crate::domain::participant::Phase;
use crate::domain::TrainState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/monitoring/release-trains/{name}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrainMonitoring {
    pub name: String,
    pub state: TrainState,
    /// Participants released (deployed or verified).
    pub progress: Progress,
    /// In release order.
    pub services: Vec<ServiceMonitoring>,
    /// Gate cells passed, of those that apply.
    pub gates: Progress,
    /// Participants whose dependencies within the train are released.
    pub dependencies: Progress,
    /// What stands in the way now: blocking gates, rollback criteria that
    /// held, a pause's or failure's reason.
    pub issues: Vec<String>,
    pub generated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceMonitoring {
    pub service: String,
    pub status: Phase,
    pub target_version: Option<String>,
    /// As the service last reported it (`healthy`, `degraded`, …).
    pub health_status: Option<String>,
    /// Seed 001's rollback criteria that held for it during this train.
    pub breaches: Vec<BreachView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BreachView {
    pub environment: String,
    /// `p95_latency`, `error_rate`, `saturation` or `burn_rate`.
    pub criterion: String,
    pub since: DateTime<Utc>,
    pub detected_at: DateTime<Utc>,
    /// `p95 latency above 1.5 s for 6 min (peak 2.3 s)`.
    pub detail: String,
    /// `recommended` (a rollback was advised) or `rolled_back`.
    pub outcome: String,
    pub train: String,
}

/// `GET /api/v1/monitoring/health/{service}` and `…/performance/{service}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceSeries {
    pub service: String,
    pub view: View,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Each point is its bucket's worst (highest) sample.
    pub bucket_seconds: i64,
    /// The environments with samples in the window, in their order.
    pub environments: Vec<EnvironmentSeries>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnvironmentSeries {
    pub environment: String,
    pub metrics: Vec<MetricSeries>,
    /// Rollback criteria that held in this environment in the window.
    pub breaches: Vec<BreachView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MetricSeries {
    /// `p95_latency_ms`, `error_rate_pct`, `saturation_pct` or `burn_rate`.
    pub metric: String,
    pub unit: String,
    /// The rollback threshold: above it, for the criterion's window, is a
    /// breach.
    pub threshold: f64,
    /// Seed 001's criterion in words.
    pub criterion: String,
    /// Oldest first.
    pub points: Vec<SeriesPoint>,
}

/// `{date, value}`, as GitLab's metrics APIs write a series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeriesPoint {
    pub date: DateTime<Utc>,
    pub value: f64,
}

/// `/services/{name}`: where a service runs, its deployments, and its
/// health and performance as charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceMonitorPage {
    pub service: String,
    pub hours: u32,
    /// Each environment, in order, with what runs there (if anything).
    pub running: Vec<(String, Option<crate::models::deployment::RunningVersion>)>,
    /// Newest first.
    pub deployments: Vec<crate::models::deployment::DeploymentView>,
    /// Per environment and metric: health first, then performance.
    pub charts: Vec<MetricChart>,
    /// Rollback criteria that held in the window, newest first.
    pub breaches: Vec<BreachView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricChart {
    pub environment: String,
    pub metric: String,
    pub criterion: String,
    pub unit: String,
    pub threshold: f64,
    pub latest: Option<f64>,
    pub peak: Option<f64>,
    /// The series drawn as SVG (server-side, plotters), with the threshold
    /// dashed.
    pub svg: Option<String>,
}
