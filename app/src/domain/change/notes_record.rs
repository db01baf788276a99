//! The changes to a train's release communications (its release notes,
//! change announcement and post-release notes), and what the audit trail
//! and the timeline keep of them: the text of each, who wrote it, and why.

use super::{Change, NotesEvent, TimelineEntry, TimelineEvent};
use serde_json::{json, Value};

/// The variants of [`Change::Notes`].
#[derive(Clone, Debug, PartialEq)]
pub enum NotesChange {
    /// The release-notes draft saved (its `revision`, counting up).
    Drafted { revision: i32, markdown: String },
    /// The change-announcement draft saved.
    AnnouncementDrafted { revision: i32, markdown: String },
    /// A version of the release notes published; it went into the
    /// evidence bundle unless the bundle was sealed already.
    Published {
        version: i32,
        sha256: String,
        markdown: String,
        in_evidence: bool,
        reason: Option<String>,
    },
    /// Seed 001's post-release notes, written as the train completed.
    PostRelease { sha256: String, markdown: String },
}

impl NotesChange {
    pub(super) fn before_and_after(&self) -> (Option<Value>, Option<Value>) {
        let after = match self {
            Self::Drafted { revision, markdown }
            | Self::AnnouncementDrafted { revision, markdown } => {
                json!({ "revision": revision, "markdown": markdown })
            }
            Self::Published {
                version,
                sha256,
                markdown,
                in_evidence,
                ..
            } => json!({
                "version": version,
                "sha256": sha256,
                "markdown": markdown,
                "in_evidence": in_evidence,
            }),
            Self::PostRelease { sha256, markdown } => {
                json!({ "sha256": sha256, "markdown": markdown })
            }
        };
        (None, Some(after))
    }

    fn event(&self) -> NotesEvent {
        match self {
            Self::Drafted { revision, .. } => NotesEvent::Drafted {
                drafted_revision: *revision,
            },
            Self::AnnouncementDrafted { revision, .. } => NotesEvent::AnnouncementDrafted {
                announcement_revision: *revision,
            },
            Self::Published {
                version,
                in_evidence,
                ..
            } => NotesEvent::Published {
                published_version: *version,
                in_evidence: *in_evidence,
            },
            Self::PostRelease { sha256, .. } => NotesEvent::PostRelease {
                post_release_sha256: sha256.clone(),
            },
        }
    }
}

impl Change {
    pub(super) fn notes_entries(&self) -> Vec<TimelineEntry> {
        let Self::Notes { train, change } = self else {
            unreachable!("only changes to release notes are told here")
        };
        vec![TimelineEntry {
            train_id: train.id,
            event: TimelineEvent::Notes(change.event()),
            states: None,
            reason: self.reason().map(str::to_owned),
        }]
    }
}
