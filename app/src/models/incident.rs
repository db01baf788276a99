//! Incidents as they are reported and read, with the deployments that may
//! have caused them and those a person confirmed did.

use crate::domain::incident::Severity;
use crate::models::deployment::DeploymentView;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/incidents`; with `external_id`, idempotent (the same id
/// again updates the incident).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    /// The incident tool's own id (`PD-1234`).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub external_id: Option<String>,
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub title: String,
    pub severity: Severity,
    /// The services it hit (1 to 20).
    pub services: Vec<String>,
    #[cfg_attr(feature = "ssr", schema(max_length = 32))]
    pub environment: String,
    pub started_at: DateTime<Utc>,
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 2048))]
    pub url: Option<String>,
    /// The post-incident review.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 2048))]
    pub review_url: Option<String>,
    /// The train tags (or names) the review cites.
    #[serde(default)]
    pub cited_tags: Vec<String>,
}

/// `POST /api/v1/incidents/{id}/links`: a person confirms that a
/// deployment caused the incident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    pub deployment: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentView {
    pub id: i64,
    pub external_id: Option<String>,
    pub title: String,
    pub severity: Severity,
    pub services: Vec<String>,
    pub environment: String,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// From start to resolution, once resolved.
    pub minutes_to_restore: Option<i64>,
    pub url: Option<String>,
    pub review_url: Option<String>,
    pub cited_tags: Vec<String>,
    /// The cited tags that name a train Trainyard knows.
    pub cited_trains: Vec<String>,
    /// Deployments a person confirmed caused it.
    pub links: Vec<LinkView>,
    /// Deployments of its services to its environment that finished in the
    /// day before it started, newest first, not yet linked.
    pub suspects: Vec<DeploymentView>,
    pub reported_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LinkView {
    pub deployment: DeploymentView,
    pub confirmed_by: String,
    pub confirmed_at: DateTime<Utc>,
}

/// A report's answer: the incident, and whether this report made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportedIncident {
    pub incident: IncidentView,
    pub created: bool,
}

/// An incident in a list: what it was, and how far it got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentSummary {
    pub id: i64,
    pub external_id: Option<String>,
    pub title: String,
    pub severity: Severity,
    pub services: Vec<String>,
    pub environment: String,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub minutes_to_restore: Option<i64>,
    pub review_url: Option<String>,
    pub cited_tags: Vec<String>,
    /// How many deployments a person linked to it.
    pub links: i64,
}
