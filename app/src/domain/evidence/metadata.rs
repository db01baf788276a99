//! The release metadata document (seed 000: train identifier, semantic
//! version, change scope, commits, pipeline run and verification outcomes),
//! checked against the schema the project ships.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The JSON Schema (draft 2020-12) every release metadata document must
/// pass; served at `/api/v1/schemas/release-metadata.json`.
pub const RELEASE_METADATA_SCHEMA: &str = include_str!("release-metadata.schema.json");

/// The schema's `$id`; a new major version gets a new id.
pub const RELEASE_METADATA_SCHEMA_ID: &str =
    "https://trainyard.dev/schemas/release-metadata/v1.json";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    Failed,
    Skipped,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Self::Passed => "Passed",
            Self::Failed => "Failed",
            Self::Skipped => "Skipped",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChangeScope {
    pub summary: String,
    pub services: Vec<String>,
    pub breaking: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommitRef {
    pub repository: String,
    pub sha: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Verification {
    pub check: String,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MetadataArtifact {
    pub name: String,
    pub sha256: String,
}

/// A release metadata document that passed the schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MetadataView {
    pub schema_version: String,
    pub train_id: String,
    pub version: String,
    pub tag: String,
    pub change_scope: ChangeScope,
    pub commits: Vec<CommitRef>,
    pub pipeline_run_id: String,
    pub verification: Vec<Verification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<MetadataArtifact>,
}

impl MetadataView {
    /// How many checks passed, failed and were skipped.
    pub fn outcome_counts(&self) -> (usize, usize, usize) {
        let count = |o| self.verification.iter().filter(|v| v.outcome == o).count();
        (
            count(Outcome::Passed),
            count(Outcome::Failed),
            count(Outcome::Skipped),
        )
    }

    pub fn failed_checks(&self) -> impl Iterator<Item = &Verification> {
        self.verification
            .iter()
            .filter(|v| v.outcome == Outcome::Failed)
    }
}

#[cfg(feature = "ssr")]
pub(crate) use validate::validate;

#[cfg(feature = "ssr")]
mod validate {
    use super::super::{json, EvidenceError, EvidenceKind, Violation};
    use super::{MetadataView, RELEASE_METADATA_SCHEMA};
    use std::sync::LazyLock;

    /// Compiled once; the schema is part of the binary, so a failure here is
    /// a bug caught by the tests, not a runtime condition.
    static VALIDATOR: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
        let schema: serde_json::Value = serde_json::from_str(RELEASE_METADATA_SCHEMA)
            .expect("the shipped release-metadata schema is JSON");
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the shipped release-metadata schema compiles")
    });

    /// Every place the document breaks the schema, in document order.
    pub(crate) fn violations(document: &serde_json::Value) -> Vec<Violation> {
        let mut found: Vec<Violation> = VALIDATOR
            .iter_errors(document)
            .map(|e| Violation {
                pointer: e.instance_path().as_str().to_owned(),
                message: e.to_string(),
            })
            .collect();
        found.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        found.dedup();
        found
    }

    pub(crate) fn validate(bytes: &[u8]) -> Result<MetadataView, EvidenceError> {
        let kind = EvidenceKind::ReleaseMetadata;
        let document = json(kind, bytes)?;
        let violations = violations(&document);
        if !violations.is_empty() {
            return Err(EvidenceError::Schema { violations });
        }
        serde_json::from_value(document).map_err(|e| {
            // The schema and the view disagree: a bug, reported as such.
            EvidenceError::wrong_kind(kind, format!("the document passed the schema but {e}"))
        })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::super::EvidenceError;
    use super::validate::violations;
    use super::*;

    const VALID: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/release-metadata.json");
    const INVALID: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/release-metadata.invalid.json");

    #[test]
    fn the_shipped_schema_names_its_version_and_describes_every_property() {
        let schema: serde_json::Value = serde_json::from_str(RELEASE_METADATA_SCHEMA).unwrap();
        assert_eq!(schema["$id"], RELEASE_METADATA_SCHEMA_ID);
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        fn described(node: &serde_json::Value, path: &str) {
            if let Some(props) = node.get("properties").and_then(|p| p.as_object()) {
                for (name, prop) in props {
                    let here = format!("{path}/{name}");
                    assert!(
                        prop.get("description").is_some(),
                        "{here} has no description"
                    );
                    described(prop, &here);
                    if let Some(items) = prop.get("items") {
                        described(items, &format!("{here}[]"));
                    }
                }
            }
        }
        described(&schema, "");
    }

    #[test]
    fn a_valid_document_becomes_a_readable_summary() {
        let view = validate(VALID).unwrap();
        assert_eq!(view.train_id, "2025.09-wk3");
        assert_eq!(view.version, "1.2.0");
        assert_eq!(view.tag, "v1.2.0");
        assert_eq!(view.change_scope.services, ["curve", "backtesting"]);
        assert!(!view.change_scope.breaking);
        assert_eq!(view.commits.len(), 2);
        assert_eq!(view.pipeline_run_id, "10923847561");
        assert_eq!(view.outcome_counts(), (3, 0, 1));
        assert_eq!(view.failed_checks().count(), 0);
        assert!(view.created_at.is_some());
    }

    #[test]
    fn an_invalid_document_lists_every_violation_by_json_pointer() {
        let err = validate(INVALID).unwrap_err();
        let pointers: Vec<&str> = err
            .violations()
            .iter()
            .map(|v| v.pointer.as_str())
            .collect();
        for expected in [
            "",
            "/commits/0/sha",
            "/tag",
            "/verification/0/outcome",
            "/version",
        ] {
            assert!(
                pointers.contains(&expected),
                "{expected:?} missing from {pointers:?}"
            );
        }
        let message = err.to_string();
        assert!(
            message.starts_with("release metadata violates the schema: "),
            "{message}"
        );
        assert!(
            message.contains("/version: \"1.2\" does not match"),
            "{message}"
        );
        assert!(
            message.contains("(document): \"pipeline_run_id\" is a required property"),
            "{message}"
        );
    }

    #[test]
    fn a_malformed_creation_time_is_a_violation() {
        let mut doc: serde_json::Value = serde_json::from_slice(VALID).unwrap();
        doc["created_at"] = "next tuesday".into();
        let found = violations(&doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pointer, "/created_at");
    }

    #[test]
    fn a_v_prefixed_version_and_an_uppercase_sha_are_violations() {
        let mut doc: serde_json::Value = serde_json::from_slice(VALID).unwrap();
        doc["version"] = "v1.2.0".into();
        doc["commits"][1]["sha"] = "ABCDEF0123456789ABCDEF0123456789ABCDEF01".into();
        let pointers: Vec<String> = violations(&doc).into_iter().map(|v| v.pointer).collect();
        assert_eq!(pointers, ["/commits/1/sha", "/version"]);
    }

    #[test]
    fn metadata_that_is_not_json_is_refused_before_the_schema() {
        let err = validate(b"train_id: 2025.09-wk3\n").unwrap_err();
        assert!(matches!(err, EvidenceError::Json { line: 1, .. }), "{err}");
    }
}
