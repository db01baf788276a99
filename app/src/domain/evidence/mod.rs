//! Evidence bundles (seed 000 "GA & Evidence", seed 001 "Artifact strategy"):
//! what each uploaded file is, how it is checked on upload, what the viewers
//! show, the sealed manifest and the downloadable archive.
//!
//! The kinds, names, digests and view models are shared with the browser.
//! Inspecting bytes (JSON Schema, XML, hashing, tar.gz) is server-only and
//! sits behind the `ssr` feature.

#[cfg(feature = "ssr")]
pub mod archive;
pub mod checksums;
pub mod completeness;
mod error;
pub mod junit;
mod kind;
pub mod manifest;
pub mod metadata;
mod name;
pub mod provenance;
pub mod sbom;

pub use checksums::{ChecksumEntry, ChecksumsView};
pub use completeness::{completeness, Completeness, EvidenceRequirement, Missing};
pub use error::{EvidenceError, Violation};
pub use junit::{FailingCase, FailureKind, JunitView};
pub use kind::EvidenceKind;
pub use manifest::{sha256sums, Manifest, ManifestEntry};
pub use metadata::{MetadataView, RELEASE_METADATA_SCHEMA, RELEASE_METADATA_SCHEMA_ID};
pub use name::{ArtifactName, Sha256Digest, MAX_NAME_LEN};
pub use provenance::{ProvenanceView, Subject};
pub use sbom::{Component, SbomCounts, SbomFormat, SbomView};

#[cfg(feature = "ssr")]
pub use archive::build_archive;
#[cfg(feature = "ssr")]
pub use name::{check_declared_digest, digest_of};

use serde::{Deserialize, Serialize};

/// What the viewers show of an uploaded file, extracted when it was checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "view", content = "data", rename_all = "snake_case")]
pub enum Inspection {
    Sbom(SbomView),
    Junit(JunitView),
    Provenance(ProvenanceView),
    Checksums(ChecksumsView),
    ReleaseMetadata(MetadataView),
    /// Migration sets and summaries: UTF-8 text, kept as uploaded.
    Text {
        lines: usize,
    },
    /// Signatures: any bytes, kept as uploaded; verifying them comes later.
    Opaque,
}

/// Checks that `bytes` really are the declared `kind` and extracts what the
/// viewers show; the error says what is wrong with the file.
#[cfg(feature = "ssr")]
pub fn inspect(kind: EvidenceKind, bytes: &[u8]) -> Result<Inspection, EvidenceError> {
    if bytes.is_empty() {
        return Err(EvidenceError::Empty { kind });
    }
    Ok(match kind {
        EvidenceKind::CyclonedxSbom => Inspection::Sbom(sbom::parse_cyclonedx(bytes)?),
        EvidenceKind::SpdxSbom => Inspection::Sbom(sbom::parse_spdx(bytes)?),
        EvidenceKind::Junit => Inspection::Junit(junit::parse(bytes)?),
        EvidenceKind::Provenance => Inspection::Provenance(provenance::parse(bytes)?),
        EvidenceKind::Checksums => Inspection::Checksums(checksums::parse(text(kind, bytes)?)?),
        EvidenceKind::ReleaseMetadata => Inspection::ReleaseMetadata(metadata::validate(bytes)?),
        EvidenceKind::Migrations | EvidenceKind::Summary | EvidenceKind::ReleaseNotes => {
            Inspection::Text {
                lines: text(kind, bytes)?.lines().count(),
            }
        }
        EvidenceKind::Signature => Inspection::Opaque,
    })
}

/// The bytes as UTF-8 text (a leading byte-order mark is dropped).
#[cfg(feature = "ssr")]
pub(crate) fn text(kind: EvidenceKind, bytes: &[u8]) -> Result<&str, EvidenceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| EvidenceError::NotText {
        kind,
        offset: e.valid_up_to(),
    })
}

/// The bytes as a JSON value; a syntax error names its line and column.
#[cfg(feature = "ssr")]
pub(crate) fn json(kind: EvidenceKind, bytes: &[u8]) -> Result<serde_json::Value, EvidenceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| EvidenceError::Json {
        kind,
        line: e.line(),
        column: e.column(),
        reason: json_reason(&e),
    })
}

/// serde_json's message without its trailing " at line L column C".
#[cfg(feature = "ssr")]
fn json_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// A string field of a JSON object, if present and a string.
#[cfg(feature = "ssr")]
pub(crate) fn str_at<'v>(value: &'v serde_json::Value, pointer: &str) -> Option<&'v str> {
    value.pointer(pointer).and_then(serde_json::Value::as_str)
}

#[cfg(test)]
mod tests;
