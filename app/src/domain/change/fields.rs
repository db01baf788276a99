//! What a change records of the things it touches: a train's reference and
//! the settings of services, environments, tracks, freezes and the rotation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// A train a change concerns: its row and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrainRef {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
}

impl TrainRef {
    pub fn new(id: i64, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
        }
    }
}

/// A train's captain and target version, before or after an edit (`None`:
/// not set, or left as it was).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrainFields {
    pub captain: Option<String>,
    pub target_version: Option<String>,
}

/// What a service reported about itself, as the audit trail keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServiceReport {
    pub status: String,
    pub version: Option<String>,
    pub health_status: String,
}

/// A service's settings, as the audit trail keeps them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ServiceFields {
    pub description: String,
    pub repository: Option<String>,
    pub owners: Vec<String>,
    pub depends_on: Vec<String>,
}

/// An environment's settings (its policy is recorded by `PolicyUpdated`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EnvironmentFields {
    pub description: String,
    pub kind: String,
    pub position: i32,
}

/// A new track's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TrackFields {
    pub description: String,
    pub cadence: String,
    pub rule: Option<String>,
    pub freeze_offset_minutes: i64,
    pub soak_hours: i64,
    pub rollback_timeout_minutes: i64,
    pub promotes_to: Option<String>,
    /// `None`: every environment, in order.
    pub pipeline: Option<Vec<String>>,
    pub direct: bool,
    pub direct_approvals: u8,
    pub patches: Option<String>,
    pub gate_template: Option<String>,
    /// Its naming with every default left out.
    pub naming: crate::domain::release_naming::NamingInput,
    /// Its planning with every default left out.
    pub planning: crate::domain::calendar::planning::PlanningInput,
    pub runs_without_on_call: bool,
    pub colour: Option<String>,
}

/// A track's cadence: its description and its recurrence rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CadenceFields {
    pub cadence: String,
    pub rule: Option<String>,
}

/// A freeze window's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FreezeFields {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Empty: every track.
    pub tracks: Vec<String>,
    pub effect: String,
    pub reason: String,
}

/// The calendar's owner rotation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RotationFields {
    pub teams: Vec<String>,
    pub starts_on: NaiveDate,
}

/// A webhook subscription's settings, as the audit trail keeps them (never
/// its secret).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WebhookFields {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub tracks: Vec<String>,
    pub trains: Vec<String>,
    pub enabled: bool,
    /// `standard`, `slack` or `email`.
    pub format: String,
    /// The stakeholder group it speaks to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// What an upload that was refused said it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefusedUpload {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub participant: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<u64>,
    /// The HTTP status the refusal was answered with.
    pub status: u16,
}
