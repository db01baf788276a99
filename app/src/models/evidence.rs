//! Evidence bundles as the API, the server functions and the pages see them.

use crate::domain::evidence::{
    ArtifactName, Completeness, EvidenceKind, EvidenceRequirement, Inspection, Sha256Digest,
};
use crate::domain::TrainState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One artifact of a bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArtifactView {
    pub name: ArtifactName,
    pub kind: EvidenceKind,
    /// The participant (service) it belongs to; none for the whole train.
    pub participant: Option<String>,
    pub size: u64,
    pub sha256: Sha256Digest,
    /// The `Content-Type` its raw download is served with.
    pub media_type: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A sealed bundle's seal: when, by whom, and the manifest's own hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SealView {
    pub sealed_at: DateTime<Utc>,
    pub sealed_by: String,
    /// SHA-256 of the manifest's canonical `manifest.json`.
    pub manifest_sha256: Sha256Digest,
    pub artifacts: usize,
}

/// A train's evidence bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BundleView {
    pub train: String,
    pub tag: Option<String>,
    pub state: TrainState,
    /// The train's participants in release order.
    pub participants: Vec<String>,
    /// Sorted by name.
    pub artifacts: Vec<ArtifactView>,
    pub total_size: u64,
    /// Set once the train has completed; nothing changes after.
    pub seal: Option<SealView>,
    /// What the track's policy requires of every bundle.
    pub requirements: Vec<EvidenceRequirement>,
    pub completeness: Completeness,
    /// The upload size limit (`TRAINYARD_EVIDENCE_MAX_BYTES`).
    pub max_bytes: u64,
    /// Whether the viewer may upload and remove artifacts.
    pub may_upload: bool,
}

/// One line of `/evidence`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BundleRow {
    pub train: String,
    pub tag: Option<String>,
    pub state: TrainState,
    pub artifacts: usize,
    pub total_size: u64,
    pub sealed_at: Option<DateTime<Utc>>,
    pub completeness: Completeness,
    /// When the bundle last changed: an upload, a replacement, a removal,
    /// the seal.
    pub last_change: Option<DateTime<Utc>>,
}

/// A page of `/evidence`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleListing {
    pub bundles: Vec<BundleRow>,
    pub links: crate::domain::keyset::PageLinks,
}

/// One artifact with what its viewer shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArtifactDetail {
    pub train: String,
    pub tag: Option<String>,
    pub sealed: bool,
    pub artifact: ArtifactView,
    pub inspection: Inspection,
    /// The file's text for migration sets and summaries, cut at
    /// [`TEXT_PREVIEW_LIMIT`] bytes.
    pub text: Option<String>,
    pub text_truncated: bool,
    /// The other artifacts of the bundle, for the checksums viewer to
    /// compare against.
    pub others: Vec<ArtifactView>,
}

/// How much of a text artifact its viewer shows.
pub const TEXT_PREVIEW_LIMIT: usize = 64 * 1024;

/// What an upload did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UploadOutcome {
    /// A new artifact.
    Created,
    /// New bytes under an existing name (the old digest is in the audit trail).
    Replaced,
    /// The same bytes, kind and participant again: nothing changed.
    Unchanged,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UploadReceipt {
    pub outcome: UploadOutcome,
    pub artifact: ArtifactView,
    /// The digest the artifact had before it was replaced.
    pub replaced_sha256: Option<Sha256Digest>,
}
