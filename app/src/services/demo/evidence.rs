//! The demo's evidence, uploaded as CI uploads it: a release that went GA
//! nine days ago with a complete bundle, sealed when it completed, and the
//! train now in validation with only some of its evidence so far.

use super::story::{results, to, train};
use crate::domain::evidence::digest_of;
use crate::domain::TrainState;
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::evidence::{upload_artifact, EvidenceStore, UploadRequest};
use crate::services::trains::{create_train, record_gate_results, update_train};
use bytes::Bytes;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::json;
use sqlx::PgPool;

/// The train whose bundle is complete and sealed.
pub const RELEASED: &str = "curve-1.9.3-release";
/// The train whose bundle is still missing items.
pub const IN_VALIDATION: &str = "curve-2.1-rollout";

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            "../../../../server/tests/fixtures/evidence/",
            $name
        ))
        .as_slice()
    };
}

struct Upload<'a> {
    name: &'a str,
    kind: &'a str,
    participant: Option<&'a str>,
    bytes: Bytes,
}

fn upload<'a>(
    name: &'a str,
    kind: &'a str,
    participant: Option<&'a str>,
    bytes: &'static [u8],
) -> Upload<'a> {
    Upload {
        name,
        kind,
        participant,
        bytes: Bytes::from_static(bytes),
    }
}

async fn push(
    pool: &PgPool,
    store: &EvidenceStore,
    ci: &Actor,
    train: &str,
    uploads: Vec<Upload<'_>>,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    for (i, u) in uploads.into_iter().enumerate() {
        // A deployment with a smaller limit gets a smaller demo.
        if u.bytes.len() as u64 > store.max_bytes() {
            tracing::warn!(
                artifact = u.name,
                "demo evidence over TRAINYARD_EVIDENCE_MAX_BYTES left out"
            );
            continue;
        }
        let request = UploadRequest {
            name: Some(u.name.to_owned()),
            file_name: None,
            kind: Some(u.kind.to_owned()),
            sha256: Some(digest_of(&u.bytes).to_string()),
            participant: u.participant.map(str::to_owned),
        };
        let when = at + Duration::seconds(i as i64 * 7);
        upload_artifact(pool, store, ci, train, request, u.bytes, when).await?;
    }
    Ok(())
}

/// Seed 000's release metadata for the released train.
fn release_metadata(created_at: DateTime<Utc>) -> Vec<u8> {
    let doc = json!({
        "schema_version": "1",
        "train_id": RELEASED,
        "version": "1.9.3",
        "tag": "v1.9.3",
        "change_scope": {
            "summary": "Par-swap quotes for curve; \
                        backtesting replays read curve snapshots from the replica; \
                        scenario runs the stress grid on the new quotes.",
            "services": ["curve", "backtesting", "scenario"],
            "breaking": false
        },
        "commits": [
            { "repository": "https://github.com/acme/curve", "sha": "4f6e1c2b9a7d3e5f8a0b1c2d3e4f5a6b7c8d9e0f" },
            { "repository": "https://github.com/acme/backtesting", "sha": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678" },
            { "repository": "https://github.com/acme/scenario", "sha": "0f9e8d7c6b5a49382716f5e4d3c2b1a098765432" }
        ],
        "pipeline_run_id": "10923847561",
        "verification": [
            { "check": "unit-tests", "outcome": "passed", "url": "https://ci.example/runs/10923847561/unit-tests" },
            { "check": "e2e-tests", "outcome": "passed" },
            { "check": "migrations-dry-run", "outcome": "passed" },
            { "check": "sbom-generate", "outcome": "passed" },
            { "check": "trivy-image-scan", "outcome": "passed" },
            { "check": "k6-slo (staging)", "outcome": "passed" },
            { "check": "terraform-plan", "outcome": "skipped" }
        ],
        "created_at": created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "artifacts": [
            {
                "name": "curve-linux-amd64.tar.gz",
                "sha256": "3b7d0c5e1f2a4b6c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e"
            },
            {
                "name": "curve-linux-arm64.tar.gz",
                "sha256": "9f1c4f3a1f0cf4a8a7b60c2e0d8f1e4a2b3c5d6e7f8091a2b3c4d5e6f7a8b9c0"
            }
        ]
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

pub(super) async fn load(
    pool: &PgPool,
    store: &EvidenceStore,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let demo = Actor::new("demo");
    let ci = Actor::new("ci-demo");

    // Went GA nine days ago; CI pushed the whole bundle on the way.
    let t = now - Duration::days(11);
    create_train(pool, &demo, train(RELEASED, "1.9.2", "1.9.3"), t).await?;
    update_train(pool, &demo, RELEASED, to(TrainState::Validating, None), t).await?;
    let green = [
        ("curve", 93.0, 0.0, 84.0, 0.5),
        ("backtesting", 89.0, 0.0, 80.0, 1.0),
        ("scenario", 91.0, 0.0, 82.0, 0.5),
    ];
    record_gate_results(
        pool,
        &ci,
        RELEASED,
        results(&green),
        t + Duration::minutes(20),
    )
    .await?;
    let metadata_at = t + Duration::hours(1);
    let bundle = vec![
        upload(
            "curve.cdx.json",
            "cyclonedx_sbom",
            Some("curve"),
            fixture!("curve.cdx.json"),
        ),
        upload(
            "backtesting.spdx.json",
            "spdx_sbom",
            Some("backtesting"),
            fixture!("backtesting.spdx.json"),
        ),
        upload(
            "scenario.cdx.json",
            "cyclonedx_sbom",
            Some("scenario"),
            fixture!("scenario.cdx.json"),
        ),
        upload("junit.xml", "junit", None, fixture!("junit-green.xml")),
        upload(
            "provenance.dsse.json",
            "provenance",
            None,
            fixture!("provenance.dsse.json"),
        ),
        upload(
            "SHA256SUMS.release",
            "checksums",
            None,
            fixture!("SHA256SUMS"),
        ),
        upload(
            "curve-linux-amd64.tar.gz.sig",
            "signature",
            Some("curve"),
            fixture!("curve-linux-amd64.tar.gz.sig"),
        ),
        upload(
            "curve-migrations.sql",
            "migrations",
            Some("curve"),
            fixture!("curve-migrations.sql"),
        ),
        upload(
            "policy-summary.md",
            "summary",
            None,
            fixture!("policy-summary.md"),
        ),
    ];
    push(pool, store, &ci, RELEASED, bundle, metadata_at).await?;
    let metadata = Upload {
        name: "release-metadata.json",
        kind: "release_metadata",
        participant: None,
        bytes: Bytes::from(release_metadata(metadata_at)),
    };
    let at = metadata_at + Duration::minutes(2);
    push(pool, store, &ci, RELEASED, vec![metadata], at).await?;
    for (state, at) in [
        (TrainState::Staging, t + Duration::hours(2)),
        (TrainState::Executing, t + Duration::days(1)),
        (
            TrainState::Verifying,
            t + Duration::days(1) + Duration::hours(3),
        ),
        (TrainState::Completed, t + Duration::days(2)),
    ] {
        update_train(pool, &demo, RELEASED, to(state, None), at).await?;
    }

    // In validation: one SBOM and test results with a failure so far.
    let partial = vec![
        upload(
            "curve.cdx.json",
            "cyclonedx_sbom",
            Some("curve"),
            fixture!("curve.cdx.json"),
        ),
        upload("junit.xml", "junit", Some("curve"), fixture!("junit.xml")),
    ];
    push(
        pool,
        store,
        &ci,
        IN_VALIDATION,
        partial,
        now - Duration::minutes(100),
    )
    .await
}
