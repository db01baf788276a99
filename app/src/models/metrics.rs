//! Seed 003's success metrics, the DORA series and the deploy heat-map, as
//! `GET /api/v1/metrics/...` returns them and `/metrics` draws them.

use crate::domain::deployment::MatchKind;
use crate::domain::metrics::MetricWindow;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One bucket of a series, named by its first day (as GitLab's DORA API
/// does). `value` is null when the bucket has nothing to measure (no
/// production deploy to take a lead time from).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Point {
    pub date: NaiveDate,
    pub value: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SuccessKey {
    /// Deploys on the cadence's days, of all deploys (target ≥ 70 %).
    OnCadence,
    /// Incidents linked to an unscheduled deploy, hotfixes excluded (0).
    UnscheduledPages,
    /// Train postponements per month (≤ 1).
    Postponements,
    /// Post-incident reviews citing a train tag (100 %).
    ReviewsCitingATag,
}

/// What stands behind a metric: a deploy, an incident or a postponement,
/// and whether it counts towards the metric's numerator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SuccessItem {
    pub at: DateTime<Utc>,
    /// `api 2.1.0 to live`, an incident's title, a postponed train's name.
    pub label: String,
    /// The page that shows it (`/trains/…`, `/services/…`).
    pub link: Option<String>,
    /// Counted in the numerator (on cadence, a page, cites a tag).
    pub counted: bool,
    /// Why: `unscheduled`, `chain-ops conflict`, the tags cited.
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SuccessMetric {
    pub key: SuccessKey,
    /// Seed 003's goal (`Predictable cadence`).
    pub goal: String,
    pub label: String,
    /// `%`, `pages` or `per month`.
    pub unit: String,
    /// Null when there is nothing to measure (no deploy, no review).
    pub value: Option<f64>,
    /// `≥ 70 %`.
    pub target: String,
    /// Null when there is nothing to measure.
    pub met: Option<bool>,
    /// The counts behind the value: `counted` of `of` (`of` is absent for a
    /// plain count).
    pub counted: u32,
    pub of: Option<u32>,
    /// Postponements by category, most first.
    pub categories: Vec<(String, u32)>,
    /// The value week by week across the window.
    pub trend: Vec<Point>,
    pub items: Vec<SuccessItem>,
}

/// `GET /api/v1/metrics/success`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SuccessReport {
    pub window: MetricWindow,
    pub track: Option<String>,
    pub metrics: Vec<SuccessMetric>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DoraMetric {
    DeploymentFrequency,
    LeadTimeForChanges,
    ChangeFailureRate,
    TimeToRestoreService,
}

impl DoraMetric {
    pub const ALL: [Self; 4] = [
        Self::DeploymentFrequency,
        Self::LeadTimeForChanges,
        Self::ChangeFailureRate,
        Self::TimeToRestoreService,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DeploymentFrequency => "deployment_frequency",
            Self::LeadTimeForChanges => "lead_time_for_changes",
            Self::ChangeFailureRate => "change_failure_rate",
            Self::TimeToRestoreService => "time_to_restore_service",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::DeploymentFrequency => "Deployment frequency",
            Self::LeadTimeForChanges => "Lead time for changes",
            Self::ChangeFailureRate => "Change failure rate",
            Self::TimeToRestoreService => "Time to restore service",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Self::DeploymentFrequency => "deploys",
            Self::LeadTimeForChanges | Self::TimeToRestoreService => "hours",
            Self::ChangeFailureRate => "%",
        }
    }
}

/// `GET /api/v1/metrics/dora/{metric}`: one measure as a series, with its
/// value over the whole window and the counts behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DoraSeries {
    pub metric: DoraMetric,
    pub unit: String,
    pub window: MetricWindow,
    /// Per bucket: deploys, the median hours, or the failed share in %.
    pub points: Vec<Point>,
    /// Over the whole window (deploys per day for the frequency).
    pub overall: Option<f64>,
    /// What the values are made of: deploys measured, failed changes,
    /// restores or changes timed.
    pub counted: u32,
    pub of: u32,
}

/// A day's successful deploys by how they matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeployDay {
    pub date: NaiveDate,
    pub matched: MatchKind,
    pub count: u32,
}

/// The days of the window shaded by deploys of one kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heatmap {
    pub matched: MatchKind,
    pub total: u32,
    pub busiest: Option<DeployDay>,
    pub svg: Option<String>,
}

/// `/metrics`: everything the RFC's 30-day review looks at, with the
/// charts drawn on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsPage {
    pub success: SuccessReport,
    /// Sparklines of each success metric's trend, in the same order.
    pub sparklines: Vec<Option<String>>,
    pub dora: Vec<(DoraSeries, Option<String>)>,
    /// A calendar per kind of deploy: scheduled, hotfix, unscheduled.
    pub heatmaps: Vec<Heatmap>,
    /// The filters offered: tracks, services, environments.
    pub tracks: Vec<String>,
    pub services: Vec<String>,
    pub environments: Vec<String>,
    pub filter: MetricsFilter,
}

/// What the metrics are narrowed to; DORA looks at production
/// environments unless an environment is named.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct MetricsFilter {
    /// The first day, `YYYY-MM-DD` (default: the window ends today).
    pub from: Option<String>,
    /// How many days, 1 to 366 (default 30).
    pub days: Option<u32>,
    /// `daily`, `weekly` or `monthly`.
    pub interval: Option<String>,
    pub service: Option<String>,
    pub track: Option<String>,
    pub environment: Option<String>,
}
