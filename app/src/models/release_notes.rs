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

/// A train's release-notes draft as an editor opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotesDraftView {
    pub train: String,
    /// The saved draft, or the generated notes when nobody saved one.
    pub markdown: String,
    /// 0 when nobody saved a draft; counts up with each save.
    pub revision: i32,
    pub edited_by: Option<String>,
    pub edited_at: Option<DateTime<Utc>>,
    /// What the reported changes give now, to compare or start over from.
    pub generated: String,
    /// Published versions, newest first.
    pub versions: Vec<NotesVersionView>,
}

/// `PUT /api/v1/release-trains/{name}/release-notes/draft`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotesDraftInput {
    /// The whole draft, Markdown, at most 100,000 characters.
    pub markdown: String,
    /// The revision the edit started from (0 for the generated notes): a
    /// draft saved since is not overwritten, the request gets 409.
    pub revision: i32,
}

/// `POST /api/v1/release-trains/{name}/release-notes/publish`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishNotesInput {
    /// Why this version (kept with it and in the audit trail).
    #[serde(default)]
    pub reason: Option<String>,
    /// The draft revision the publisher read; when given, a draft saved
    /// since is not published, the request gets 409.
    #[serde(default)]
    pub revision: Option<i32>,
}

/// A published version of a train's release notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotesVersionView {
    pub version: i32,
    pub sha256: String,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    pub reason: Option<String>,
    /// Whether it went into the evidence bundle (not when the bundle was
    /// sealed already).
    pub in_evidence: bool,
    pub markdown: String,
}

/// The train before this one that shipped a service (it completed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShippedBefore {
    pub train: String,
    pub tag: Option<String>,
    pub version: Option<String>,
}

/// What a participant's version brings since the last train that shipped
/// the service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceChanges {
    pub service: String,
    pub version: Option<String>,
    pub previous_version: Option<String>,
    /// `None` when no earlier train shipped it.
    pub since: Option<ShippedBefore>,
    /// Newest first, each with its section.
    pub changes: Vec<ChangeView>,
}

/// The Changes tab of a train: what each participant brings, and the
/// release notes as drafted and published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainChangesView {
    pub train: String,
    pub tag: Option<String>,
    pub state: crate::domain::TrainState,
    pub services: Vec<ServiceChanges>,
    pub notes: NotesDraftView,
    pub announcement: AnnouncementView,
    /// Written when the train completed.
    pub post_release: Option<PostReleaseNotesView>,
    /// Whether the reader may edit and publish the notes.
    pub may_edit: bool,
    /// Whether the evidence bundle is sealed (a version published now stays
    /// out of it).
    pub sealed: bool,
}

impl From<ChangeView> for crate::domain::release_notes::NoteChange {
    fn from(c: ChangeView) -> Self {
        Self {
            participant: c.participant,
            sha: c.sha,
            title: c.title,
            body: c.body,
            author: c.author,
            committed_at: c.committed_at,
            pr_number: c.pr_number,
            pr_url: c.pr_url,
            labels: c.labels,
            breaking: c.breaking,
        }
    }
}

/// A train's change announcement as an editor opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AnnouncementView {
    pub train: String,
    /// The saved announcement, or the one drafted from the train.
    pub markdown: String,
    /// 0 when nobody saved one; counts up with each save.
    pub revision: i32,
    pub edited_by: Option<String>,
    pub edited_at: Option<DateTime<Utc>>,
    /// What the train's facts draft now.
    pub generated: String,
}

/// Seed 001's post-release notes of a completed train.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostReleaseNotesView {
    pub markdown: String,
    pub sha256: String,
    pub generated_at: DateTime<Utc>,
}
