//! What CI reports a train contains, and the release notes made of it.

use crate::domain::release_notes::CommitInput;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/release-trains/{name}/changes`: the commits one
/// participant's version brings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangesReport {
    /// A participant (service) of the train.
    pub participant: String,
    #[cfg_attr(feature = "ssr", schema(min_items = 1, max_items = 1000))]
    pub changes: Vec<CommitInput>,
}

/// How a report went: changes new to the train, and ones it already had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChangesRecorded {
    pub added: usize,
    pub already_known: usize,
}

/// A change of a train, and the section of the notes it goes to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChangeView {
    pub participant: String,
    pub sha: String,
    pub title: String,
    pub body: Option<String>,
    pub author: String,
    pub committed_at: DateTime<Utc>,
    pub pr_number: Option<u32>,
    pub pr_url: Option<String>,
    pub labels: Vec<String>,
    pub breaking: bool,
    /// `None`: left out of the notes by a label.
    pub section: Option<String>,
    pub reported_at: DateTime<Utc>,
}

/// A train's release notes as generated from its changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReleaseNotesView {
    pub train: String,
    pub tag: Option<String>,
    pub changes: usize,
    pub markdown: String,
}
