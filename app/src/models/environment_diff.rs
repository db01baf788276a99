//! What changed between two environments: per service, the version each
//! runs, the trains in between and the changes CI reported for them.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/running/compare?from=…&to=…`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnvironmentDiff {
    /// The environment releases come from (`stage`).
    pub from: String,
    /// The environment they go to (`prod`).
    pub to: String,
    /// Services whose versions differ, then those that are the same.
    pub services: Vec<ServiceDiff>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Drift {
    /// Both run the same version.
    Same,
    /// `from` runs a newer train's version: promoting brings `changes`.
    Ahead,
    /// `to` runs a newer train's version than `from`.
    Behind,
    /// The versions differ but no train tells which is newer.
    Differs,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceDiff {
    pub service: String,
    pub drift: Drift,
    pub from_version: Option<String>,
    pub from_train: Option<String>,
    pub to_version: Option<String>,
    pub to_train: Option<String>,
    /// The trains after the older one up to the newer one that carry it.
    pub trains: Vec<String>,
    /// Their changes to this service, each once, newest train first (at
    /// most 200).
    pub changes: Vec<DiffChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiffChange {
    pub sha: String,
    pub title: String,
    pub author: String,
    pub breaking: bool,
    pub train: String,
    pub pr_url: Option<String>,
}
