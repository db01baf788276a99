//! Whether a train's bundle holds what its track's policy requires.

use super::{EvidenceError, EvidenceKind};
use serde::{Deserialize, Serialize};

/// One item a track's policy requires of every train's evidence bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRequirement {
    /// A CycloneDX or SPDX SBOM for every participant.
    SbomPerParticipant,
    /// JUnit test results.
    TestResults,
    /// SLSA build provenance.
    Provenance,
    /// The release metadata document.
    ReleaseMetadata,
    /// A `SHA256SUMS` file from the pipeline.
    Checksums,
}

impl EvidenceRequirement {
    pub const ALL: [EvidenceRequirement; 5] = [
        Self::SbomPerParticipant,
        Self::TestResults,
        Self::Provenance,
        Self::ReleaseMetadata,
        Self::Checksums,
    ];

    /// What seed 000 says every release's bundle holds.
    pub const STANDARD: [EvidenceRequirement; 4] = [
        Self::SbomPerParticipant,
        Self::TestResults,
        Self::Provenance,
        Self::ReleaseMetadata,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SbomPerParticipant => "sbom_per_participant",
            Self::TestResults => "test_results",
            Self::Provenance => "provenance",
            Self::ReleaseMetadata => "release_metadata",
            Self::Checksums => "checksums",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, EvidenceError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw)
            .ok_or_else(|| EvidenceError::UnknownRequirement(raw.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SbomPerParticipant => "SBOM for every participant",
            Self::TestResults => "Test results",
            Self::Provenance => "Build provenance",
            Self::ReleaseMetadata => "Release metadata",
            Self::Checksums => "Checksums",
        }
    }

    fn satisfied_by(self, kind: EvidenceKind) -> bool {
        match self {
            Self::SbomPerParticipant => kind.is_sbom(),
            Self::TestResults => kind == EvidenceKind::Junit,
            Self::Provenance => kind == EvidenceKind::Provenance,
            Self::ReleaseMetadata => kind == EvidenceKind::ReleaseMetadata,
            Self::Checksums => kind == EvidenceKind::Checksums,
        }
    }

    fn missing_message(self) -> &'static str {
        match self {
            Self::SbomPerParticipant => "no SBOM for the train",
            Self::TestResults => "no test results (JUnit XML)",
            Self::Provenance => "no build provenance (SLSA statement)",
            Self::ReleaseMetadata => "no release metadata document",
            Self::Checksums => "no SHA256SUMS checksums file",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Missing {
    pub requirement: EvidenceRequirement,
    pub participant: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Completeness {
    pub complete: bool,
    pub missing: Vec<Missing>,
}

/// What of `required` the bundle lacks. `present` lists each artifact's kind
/// and participant (`None` for a train-wide artifact). An SBOM is needed for
/// each of `participants`, or for the train when it has none; the other
/// requirements are met by one artifact of their kind, whoever it belongs to.
pub fn completeness(
    required: &[EvidenceRequirement],
    participants: &[String],
    present: &[(EvidenceKind, Option<String>)],
) -> Completeness {
    let mut required = required.to_vec();
    required.sort();
    required.dedup();
    let has = |req: EvidenceRequirement, who: Option<&str>| {
        present.iter().any(|(kind, participant)| {
            req.satisfied_by(*kind) && who.is_none_or(|p| participant.as_deref() == Some(p))
        })
    };
    let mut missing = Vec::new();
    for req in required {
        if req == EvidenceRequirement::SbomPerParticipant && !participants.is_empty() {
            for p in participants.iter().filter(|p| !has(req, Some(p))) {
                missing.push(Missing {
                    requirement: req,
                    participant: Some(p.clone()),
                    message: format!("no SBOM for participant {p}"),
                });
            }
        } else if !has(req, None) {
            missing.push(Missing {
                requirement: req,
                participant: None,
                message: req.missing_message().to_owned(),
            });
        }
    }
    Completeness {
        complete: missing.is_empty(),
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn participants() -> Vec<String> {
        vec!["curve".into(), "backtesting".into()]
    }

    fn item(kind: EvidenceKind, participant: Option<&str>) -> (EvidenceKind, Option<String>) {
        (kind, participant.map(str::to_owned))
    }

    #[test]
    fn a_bundle_with_everything_the_standard_policy_asks_is_complete() {
        let present = [
            item(EvidenceKind::CyclonedxSbom, Some("curve")),
            item(EvidenceKind::SpdxSbom, Some("backtesting")),
            item(EvidenceKind::Junit, Some("curve")),
            item(EvidenceKind::Provenance, None),
            item(EvidenceKind::ReleaseMetadata, None),
        ];
        let result = completeness(&EvidenceRequirement::STANDARD, &participants(), &present);
        assert_eq!(
            result,
            Completeness {
                complete: true,
                missing: vec![]
            }
        );
    }

    #[test]
    fn each_missing_item_is_called_out_with_the_participant_it_concerns() {
        let present = [
            item(EvidenceKind::CyclonedxSbom, Some("backtesting")),
            item(EvidenceKind::CyclonedxSbom, None),
            item(EvidenceKind::Junit, None),
        ];
        let result = completeness(&EvidenceRequirement::ALL, &participants(), &present);
        assert!(!result.complete);
        let messages: Vec<&str> = result.missing.iter().map(|m| m.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "no SBOM for participant curve",
                "no build provenance (SLSA statement)",
                "no release metadata document",
                "no SHA256SUMS checksums file",
            ]
        );
        assert_eq!(result.missing[0].participant.as_deref(), Some("curve"));
    }

    #[test]
    fn a_train_without_participants_needs_one_sbom_of_its_own() {
        let none: [String; 0] = [];
        let req = [EvidenceRequirement::SbomPerParticipant];
        assert!(!completeness(&req, &none, &[]).complete);
        let present = [item(EvidenceKind::SpdxSbom, None)];
        assert!(completeness(&req, &none, &present).complete);
    }

    #[test]
    fn a_policy_that_names_a_requirement_twice_reports_it_once() {
        let req = [
            EvidenceRequirement::TestResults,
            EvidenceRequirement::TestResults,
        ];
        assert_eq!(completeness(&req, &participants(), &[]).missing.len(), 1);
    }

    #[test]
    fn every_requirement_round_trips_through_its_stored_form() {
        for req in EvidenceRequirement::ALL {
            assert_eq!(EvidenceRequirement::parse(req.as_str()), Ok(req));
        }
        assert!(EvidenceRequirement::parse("sbom").is_err());
    }
}
