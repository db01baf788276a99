//! Seed 002's configuration files: `catalog/release-trains.yaml` and
//! `config/upgrade-policies.yaml`. Unknown keys are refused; defaults are left
//! out on output, so an export reads like a hand-written file.

use crate::domain::gates::spec::GateSpec;
use crate::domain::gates::QualityLimits;
use crate::domain::webhook::NotificationPolicy;
use crate::domain::TrainState;
use crate::models::train::ParticipantInput;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub trains: Vec<CatalogTrain>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogTrain {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_version: Option<String>,
    #[serde(default)]
    pub participants: Vec<ParticipantInput>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<CatalogDependency>,
    /// Absent: the policy's quality gates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gates: Option<Vec<GateSpec>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TrainState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<RollbackSettings>,
    // Trainyard's additions for calendar trains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_call: Option<String>,
}

/// `- spec: curves-api >=2.0.0` or `- library: …`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogDependency {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_duration: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollbackSettings {
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_threshold: Option<Scalar>,
}

/// A value written either as a number or as text (`95`, `"95%"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Integer(i64),
    Number(f64),
    Text(String),
}

/// `config/services.yaml`: the service catalog (Trainyard's addition to
/// seed 002's two files), so trains can name their participants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicesFile {
    pub services: Vec<crate::domain::service::ServiceInput>,
}

/// `config/environments.yaml`: the environments in their order, each the
/// body of `POST /api/v1/environments` with its whole policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentsFile {
    pub environments: Vec<crate::domain::environment_input::EnvironmentInput>,
}

/// `config/gate-templates.yaml`: the gate templates, each the body of
/// `POST /api/v1/gate-templates`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateTemplatesFile {
    pub gate_templates: Vec<crate::domain::gates::template::GateTemplateInput>,
}

/// `config/tracks.yaml`: the tracks, each the body of `POST /api/v1/tracks`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TracksFile {
    pub tracks: Vec<crate::domain::track_input::TrackInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliciesFile {
    pub release_trains: ReleaseTrainPolicies,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseTrainPolicies {
    pub quality_gates: QualityGatesPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<NotificationPolicy>,
}

/// Written with integers where the value is whole, as the seed writes them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityGatesPolicy {
    pub min_quality_score: Limit,
    pub max_critical_vulns: Limit,
    pub min_coverage: Limit,
    pub max_failure_rate: Limit,
}

impl QualityGatesPolicy {
    pub fn limits(&self) -> QualityLimits {
        QualityLimits {
            min_quality_score: self.min_quality_score.0,
            max_critical_vulns: self.max_critical_vulns.0,
            min_coverage: self.min_coverage.0,
            max_failure_rate: self.max_failure_rate.0,
        }
    }
}

/// A limit that prints `80`, not `80.0`, when it is whole.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct Limit(pub f64);

impl Serialize for Limit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationPolicy {
    pub health_check_timeout: u64,
    pub dependency_check_timeout: u64,
    pub rollback_timeout: u64,
}
