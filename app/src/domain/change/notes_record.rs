//! What the audit trail and the timeline keep of a train's release notes:
//! the text of each draft and published version, who wrote it, and why.

use super::{Change, NotesEvent, TimelineEntry, TimelineEvent};
use serde_json::{json, Value};

impl Change {
    pub(super) fn notes_before_and_after(&self) -> (Option<Value>, Option<Value>) {
        match self {
            Self::ReleaseNotesDrafted {
                revision, markdown, ..
            }
            | Self::AnnouncementDrafted {
                revision, markdown, ..
            } => (
                None,
                Some(json!({ "revision": revision, "markdown": markdown })),
            ),
            Self::ReleaseNotesPublished {
                version,
                sha256,
                markdown,
                in_evidence,
                ..
            } => (
                None,
                Some(json!({
                    "version": version,
                    "sha256": sha256,
                    "markdown": markdown,
                    "in_evidence": in_evidence,
                })),
            ),
            Self::PostReleaseNotesWritten {
                sha256, markdown, ..
            } => (
                None,
                Some(json!({ "sha256": sha256, "markdown": markdown })),
            ),
            _ => unreachable!("only changes to release notes are recorded here"),
        }
    }

    pub(super) fn notes_entries(&self) -> Vec<TimelineEntry> {
        let (train, event, reason) = match self {
            Self::ReleaseNotesDrafted {
                train, revision, ..
            } => (
                train,
                NotesEvent::Drafted {
                    drafted_revision: *revision,
                },
                None,
            ),
            Self::PostReleaseNotesWritten { train, sha256, .. } => (
                train,
                NotesEvent::PostRelease {
                    post_release_sha256: sha256.clone(),
                },
                None,
            ),
            Self::AnnouncementDrafted {
                train, revision, ..
            } => (
                train,
                NotesEvent::AnnouncementDrafted {
                    announcement_revision: *revision,
                },
                None,
            ),
            Self::ReleaseNotesPublished {
                train,
                version,
                in_evidence,
                reason,
                ..
            } => (
                train,
                NotesEvent::Published {
                    published_version: *version,
                    in_evidence: *in_evidence,
                },
                reason.clone(),
            ),
            _ => unreachable!("only changes to release notes are told here"),
        };
        vec![TimelineEntry {
            train_id: train.id,
            event: TimelineEvent::Notes(event),
            states: None,
            reason,
        }]
    }
}
