//! Build provenance: an in-toto Statement carrying a SLSA provenance
//! predicate (v0.2 or v1), bare or wrapped in a DSSE envelope.

use super::Sha256Digest;
use serde::{Deserialize, Serialize};

pub const STATEMENT_V01: &str = "https://in-toto.io/Statement/v0.1";
pub const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";
pub const SLSA_V02: &str = "https://slsa.dev/provenance/v0.2";
pub const SLSA_V1: &str = "https://slsa.dev/provenance/v1";
pub const DSSE_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// An artifact the statement speaks about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Subject {
    pub name: String,
    /// `None` when the subject names only other digest algorithms.
    pub sha256: Option<Sha256Digest>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProvenanceView {
    pub predicate_type: String,
    pub builder_id: Option<String>,
    pub build_type: Option<String>,
    /// The source repository (`https://github.com/acme/curve`), without a
    /// `git+` prefix or `@ref` suffix.
    pub source_repo: Option<String>,
    /// The git ref the build ran from (`refs/tags/v1.2.0`).
    pub source_ref: Option<String>,
    pub commit: Option<String>,
    /// What was run: the workflow file or entry point.
    pub invocation: Option<String>,
    pub subjects: Vec<Subject>,
    /// Signatures on the DSSE envelope; `None` for a bare statement. They
    /// are shown, not verified.
    pub envelope_signatures: Option<usize>,
}

#[cfg(feature = "ssr")]
mod parse;
#[cfg(feature = "ssr")]
pub(crate) use parse::parse;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use base64::Engine;

    const STATEMENT: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/provenance.intoto.json");
    const ENVELOPE: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/provenance.dsse.json");

    #[test]
    fn a_slsa_v1_statement_shows_builder_source_commit_and_invocation() {
        let view = parse(STATEMENT).unwrap();
        assert_eq!(view.predicate_type, SLSA_V1);
        assert_eq!(
            view.builder_id.as_deref(),
            Some(concat!(
                "https://github.com/slsa-framework/slsa-github-generator",
                "/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0"
            ))
        );
        assert_eq!(
            view.source_repo.as_deref(),
            Some("https://github.com/acme/curve")
        );
        assert_eq!(view.source_ref.as_deref(), Some("refs/tags/v1.2.0"));
        assert_eq!(
            view.commit.as_deref(),
            Some("4f6e1c2b9a7d3e5f8a0b1c2d3e4f5a6b7c8d9e0f")
        );
        assert_eq!(
            view.invocation.as_deref(),
            Some(".github/workflows/release.yml")
        );
        assert_eq!(view.subjects.len(), 2);
        assert_eq!(view.subjects[0].name, "curve-linux-amd64.tar.gz");
        assert!(view.subjects[0].sha256.is_some());
        assert_eq!(view.envelope_signatures, None);
    }

    #[test]
    fn the_same_statement_in_a_dsse_envelope_shows_the_same_and_counts_signatures() {
        let bare = parse(STATEMENT).unwrap();
        let wrapped = parse(ENVELOPE).unwrap();
        assert_eq!(wrapped.envelope_signatures, Some(1));
        assert_eq!(
            ProvenanceView {
                envelope_signatures: None,
                ..wrapped
            },
            bare
        );
    }

    #[test]
    fn a_slsa_v02_statement_reads_builder_and_config_source() {
        let doc = serde_json::json!({
            "_type": STATEMENT_V01,
            "subject": [{"name": "app", "digest": {"sha256": "AB".repeat(32)}}],
            "predicateType": SLSA_V02,
            "predicate": {
                "builder": {"id": "https://github.com/actions/runner"},
                "buildType": "https://github.com/Attestations/GitHubActionsWorkflow@v1",
                "invocation": {"configSource": {
                    "uri": "git+https://github.com/acme/backtesting@refs/heads/main",
                    "digest": {"sha1": "0123456789abcdef0123456789abcdef01234567"},
                    "entryPoint": ".github/workflows/build.yml"
                }},
                "materials": []
            }
        });
        let view = parse(doc.to_string().as_bytes()).unwrap();
        assert_eq!(
            view.builder_id.as_deref(),
            Some("https://github.com/actions/runner")
        );
        assert_eq!(
            view.source_repo.as_deref(),
            Some("https://github.com/acme/backtesting")
        );
        assert_eq!(view.source_ref.as_deref(), Some("refs/heads/main"));
        assert_eq!(
            view.commit.as_deref(),
            Some("0123456789abcdef0123456789abcdef01234567")
        );
        assert_eq!(
            view.invocation.as_deref(),
            Some(".github/workflows/build.yml")
        );
        assert_eq!(
            view.subjects[0].sha256.as_ref().unwrap().as_str(),
            "ab".repeat(32)
        );
    }

    #[test]
    fn a_statement_with_another_predicate_is_refused_naming_it() {
        let doc = serde_json::json!({
            "_type": STATEMENT_V1,
            "subject": [],
            "predicateType": "https://spdx.dev/Document",
            "predicate": {}
        });
        let err = parse(doc.to_string().as_bytes()).unwrap_err().to_string();
        assert!(err.contains("\"https://spdx.dev/Document\""), "{err}");
        assert!(err.contains("not SLSA provenance"), "{err}");
    }

    #[test]
    fn a_json_document_that_is_no_statement_is_refused() {
        let err = parse(br#"{"bomFormat": "CycloneDX"}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "declared provenance but the document is not an in-toto Statement (no _type)"
        );
    }

    #[test]
    fn an_envelope_of_another_payload_type_or_bad_base64_is_refused() {
        let payload = base64::engine::general_purpose::STANDARD.encode(b"{}");
        let other =
            serde_json::json!({"payloadType": "text/plain", "payload": payload, "signatures": []});
        let err = parse(other.to_string().as_bytes()).unwrap_err().to_string();
        assert!(err.contains("payloadType \"text/plain\""), "{err}");
        let broken = serde_json::json!({"payloadType": DSSE_PAYLOAD_TYPE, "payload": "%%%", "signatures": []});
        let err = parse(broken.to_string().as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains("not valid base64"), "{err}");
    }

    #[test]
    fn a_malformed_subject_digest_is_refused_naming_the_subject() {
        let doc = serde_json::json!({
            "_type": STATEMENT_V1,
            "subject": [{"name": "app", "digest": {"sha256": "123"}}],
            "predicateType": SLSA_V1,
            "predicate": {}
        });
        let err = parse(doc.to_string().as_bytes()).unwrap_err().to_string();
        assert!(err.contains("subject 0 (\"app\")"), "{err}");
    }
}
