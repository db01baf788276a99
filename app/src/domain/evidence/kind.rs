use super::EvidenceError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an uploaded evidence file is declared to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A CycloneDX JSON software bill of materials.
    CyclonedxSbom,
    /// An SPDX JSON software bill of materials.
    SpdxSbom,
    /// Test results as JUnit XML.
    Junit,
    /// Build provenance: an in-toto statement with a SLSA predicate.
    Provenance,
    /// A `SHA256SUMS` file as `sha256sum` writes it.
    Checksums,
    /// A detached signature (cosign, minisign, GPG…), kept as uploaded.
    Signature,
    /// The migration set shipped with the release, as text.
    Migrations,
    /// A policy or test summary, as text.
    Summary,
    /// The release metadata document, checked against the shipped schema.
    ReleaseMetadata,
    /// The published release notes, as Markdown.
    ReleaseNotes,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 10] = [
        Self::CyclonedxSbom,
        Self::SpdxSbom,
        Self::Junit,
        Self::Provenance,
        Self::Checksums,
        Self::Signature,
        Self::Migrations,
        Self::Summary,
        Self::ReleaseMetadata,
        Self::ReleaseNotes,
    ];

    /// The value stored in the database and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CyclonedxSbom => "cyclonedx_sbom",
            Self::SpdxSbom => "spdx_sbom",
            Self::Junit => "junit",
            Self::Provenance => "provenance",
            Self::Checksums => "checksums",
            Self::Signature => "signature",
            Self::Migrations => "migrations",
            Self::Summary => "summary",
            Self::ReleaseMetadata => "release_metadata",
            Self::ReleaseNotes => "release_notes",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, EvidenceError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| EvidenceError::UnknownKind(raw.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::CyclonedxSbom => "SBOM (CycloneDX)",
            Self::SpdxSbom => "SBOM (SPDX)",
            Self::Junit => "Test results (JUnit)",
            Self::Provenance => "Build provenance",
            Self::Checksums => "Checksums",
            Self::Signature => "Signature",
            Self::Migrations => "Migration set",
            Self::Summary => "Policy/test summary",
            Self::ReleaseMetadata => "Release metadata",
            Self::ReleaseNotes => "Release notes",
        }
    }

    pub fn is_sbom(self) -> bool {
        matches!(self, Self::CyclonedxSbom | Self::SpdxSbom)
    }

    /// The `Content-Type` the file is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::CyclonedxSbom => "application/vnd.cyclonedx+json",
            Self::SpdxSbom => "application/spdx+json",
            Self::Junit => "application/xml",
            Self::Provenance | Self::ReleaseMetadata => "application/json",
            Self::Checksums | Self::Migrations | Self::Summary => "text/plain; charset=utf-8",
            Self::Signature => "application/octet-stream",
            Self::ReleaseNotes => "text/markdown; charset=utf-8",
        }
    }
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_stored_form_and_serde() {
        for kind in EvidenceKind::ALL {
            assert_eq!(EvidenceKind::parse(kind.as_str()), Ok(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn an_unknown_kind_is_refused_with_the_accepted_list() {
        let err = EvidenceKind::parse("sbom").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"sbom\""), "{message}");
        assert!(message.contains("cyclonedx_sbom"), "{message}");
    }
}
