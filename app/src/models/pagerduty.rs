//! What PagerDuty's V3 webhooks send (the fields Trainyard reads; the rest
//! is ignored), so that a PagerDuty subscription can report incidents
//! without a script in between: `POST /api/v1/incidents/pagerduty`, the
//! token in a custom header of the subscription.

use crate::models::incident::ReportedIncident;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PagerDutyWebhook {
    pub event: PagerDutyEvent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PagerDutyEvent {
    /// `incident.triggered`, `incident.resolved`, `pagey.ping`, …
    #[cfg_attr(feature = "ssr", schema(max_length = 100))]
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    /// The incident, for `incident.*` events.
    #[serde(default)]
    pub data: Option<PagerDutyIncident>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PagerDutyIncident {
    /// PagerDuty's id of the incident (`PGR0VU2`).
    #[cfg_attr(feature = "ssr", schema(max_length = 100))]
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// `triggered`, `acknowledged` or `resolved`.
    #[serde(default)]
    pub status: Option<String>,
    /// `high` or `low`.
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub priority: Option<PagerDutyReference>,
    #[serde(default)]
    pub service: Option<PagerDutyReference>,
}

/// A reference PagerDuty names by its summary (`P1`, `Ledger API`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PagerDutyReference {
    #[serde(default)]
    pub summary: Option<String>,
}

/// Where a subscription's incidents belong, from the webhook's address:
/// `?environment=` (default: the one production environment) and
/// `?service=` (default: the catalog service named like PagerDuty's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PagerDutyRoute {
    pub environment: Option<String>,
    pub service: Option<String>,
}

/// What became of a PagerDuty event: the incident it reported, or why it
/// was let go (`pagey.ping`, a service event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PagerDutyOutcome {
    pub ignored: Option<String>,
    pub reported: Option<ReportedIncident>,
}
