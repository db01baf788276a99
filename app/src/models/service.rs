//! The service catalog as pages and the API show it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A service of the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceView {
    pub name: String,
    pub description: String,
    /// Where its code lives.
    pub repository: Option<String>,
    /// People's user names, or `group:<name>` for a group of the identity provider.
    pub owners: Vec<String>,
    /// The services released before it.
    pub depends_on: Vec<String>,
    /// The catalog's services that depend on it (retired ones left out).
    pub dependents: Vec<String>,
    /// What it last reported (`/services/{name}/status`).
    pub status: String,
    pub deployed_version: Option<String>,
    /// Set once retired: no new train may include it.
    pub retired_at: Option<DateTime<Utc>>,
    /// How many trains in planning or in flight include it.
    pub open_trains: i64,
}

/// The catalog page: every service, and whether the viewer may change it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCatalog {
    pub services: Vec<ServiceView>,
    pub may_manage: bool,
}

/// A service's page (or the page that adds one, without a service).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePage {
    pub service: Option<ServiceView>,
    /// The open trains that include it, newest first, at most [`ServicePage::TRAINS`].
    pub open_trains: Vec<String>,
    /// Every other active service: what it may depend on.
    pub others: Vec<String>,
    pub may_manage: bool,
}

impl ServicePage {
    pub const TRAINS: i64 = 20;
}
