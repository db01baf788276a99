use super::{EvidenceKind, Sha256Digest};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One place where a document breaks the release-metadata schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Violation {
    /// JSON pointer into the document (`/commits/0/sha`); empty for the
    /// document itself.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(document)"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {}", self.message)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvidenceError {
    #[error(
        "unknown evidence kind {0:?} (expected one of cyclonedx_sbom, spdx_sbom, junit, \
         provenance, checksums, signature, migrations, summary, release_metadata, \
         release_notes)"
    )]
    UnknownKind(String),
    #[error(
        "unknown evidence requirement {0:?} (expected one of sbom_per_participant, test_results, \
         provenance, release_metadata, checksums)"
    )]
    UnknownRequirement(String),
    #[error("{value:?} is not a SHA-256 digest: {reason}")]
    Digest { value: String, reason: &'static str },
    #[error("artifact name {name:?} is not allowed: {reason}")]
    Name { name: String, reason: &'static str },
    #[error(
        "the declared SHA-256 {declared} does not match the uploaded bytes, which hash to {actual}"
    )]
    DigestMismatch {
        declared: Sha256Digest,
        actual: Sha256Digest,
    },
    #[error("declared {} but the file is empty", .kind.as_str())]
    Empty { kind: EvidenceKind },
    #[error("declared {} but the file is not UTF-8 text (invalid byte at offset {offset})", .kind.as_str())]
    NotText { kind: EvidenceKind, offset: usize },
    #[error("declared {} but the document is not valid JSON at line {line} column {column}: {reason}", .kind.as_str())]
    Json {
        kind: EvidenceKind,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error(
        "declared {} but the document is not well-formed XML \
         at line {line} column {column}: {reason}",
        .kind.as_str()
    )]
    Xml {
        kind: EvidenceKind,
        line: usize,
        column: usize,
        reason: String,
    },
    /// The file parses, but is not what it was declared to be.
    #[error("declared {} but {reason}", .kind.as_str())]
    WrongKind { kind: EvidenceKind, reason: String },
    #[error("release metadata violates the schema: {}", join(.violations))]
    Schema { violations: Vec<Violation> },
    #[error("SHA256SUMS line {line}: {reason}")]
    ChecksumLine { line: usize, reason: String },
    #[error("the bundle holds two artifacts named {0:?} (names must differ even ignoring case)")]
    DuplicateName(String),
    #[error("artifact {name:?}: {reason}")]
    ArchiveContent { name: String, reason: String },
    #[error("could not write the evidence archive: {0}")]
    Archive(String),
}

impl EvidenceError {
    pub(crate) fn wrong_kind(kind: EvidenceKind, reason: impl Into<String>) -> Self {
        Self::WrongKind {
            kind,
            reason: reason.into(),
        }
    }

    /// The schema violations, when that is what the error is.
    pub fn violations(&self) -> &[Violation] {
        match self {
            Self::Schema { violations } => violations,
            _ => &[],
        }
    }
}

fn join(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(Violation::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
