//! CI pushes evidence: every kind uploads, is listed with its digest and is
//! served back as uploaded; the same bytes again change nothing, new bytes
//! replace, and every change is audited.

use crate::api_client::create;
use crate::helpers::spawn_app;
use crate::helpers::TestApp;
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/evidence/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn sha256(bytes: &[u8]) -> String {
    app::domain::evidence::digest_of(bytes).to_string()
}

/// A multipart upload declaring `declared` as the file's SHA-256.
pub async fn upload_declaring(
    app: &TestApp,
    train: &str,
    kind: &str,
    file_name: &str,
    participant: Option<&str>,
    bytes: Vec<u8>,
    declared: &str,
) -> (u16, Value) {
    let mut form = Form::new()
        .text("kind", kind.to_owned())
        .text("sha256", declared.to_owned());
    if let Some(p) = participant {
        form = form.text("participant", p.to_owned());
    }
    let form = form.part("file", Part::bytes(bytes).file_name(file_name.to_owned()));
    let response = app
        .request(
            Method::POST,
            &format!("/api/v1/release-trains/{train}/evidence"),
        )
        .multipart(form)
        .send()
        .await
        .expect("a response");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// A multipart upload declaring the file's true digest.
pub async fn upload(
    app: &TestApp,
    train: &str,
    kind: &str,
    file_name: &str,
    participant: Option<&str>,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let digest = sha256(&bytes);
    upload_declaring(app, train, kind, file_name, participant, bytes, &digest).await
}

/// A train with two participants and no gates, so it can run to the end.
pub async fn evidence_train(app: &TestApp, name: &str) {
    let (code, body) = create(
        app,
        json!({ "name": name, "participants": ["curve", "backtesting"], "gates": [] }),
    )
    .await;
    assert_eq!(code, 201, "{body}");
}

/// `(file, kind, participant, fixture)` for every kind of evidence.
pub const EVERY_KIND: [(&str, &str, Option<&str>, &str); 10] = [
    (
        "curve.cdx.json",
        "cyclonedx_sbom",
        Some("curve"),
        "curve.cdx.json",
    ),
    (
        "backtesting.spdx.json",
        "spdx_sbom",
        Some("backtesting"),
        "backtesting.spdx.json",
    ),
    ("junit.xml", "junit", Some("curve"), "junit.xml"),
    (
        "provenance.intoto.json",
        "provenance",
        None,
        "provenance.intoto.json",
    ),
    (
        "provenance.dsse.json",
        "provenance",
        None,
        "provenance.dsse.json",
    ),
    ("SHA256SUMS.dist", "checksums", None, "SHA256SUMS"),
    (
        "curve-linux-amd64.tar.gz.sig",
        "signature",
        Some("curve"),
        "curve-linux-amd64.tar.gz.sig",
    ),
    (
        "curve-migrations.sql",
        "migrations",
        Some("curve"),
        "curve-migrations.sql",
    ),
    ("policy-summary.md", "summary", None, "policy-summary.md"),
    (
        "release-metadata.json",
        "release_metadata",
        None,
        "release-metadata.json",
    ),
];

pub async fn upload_every_kind(app: &TestApp, train: &str) {
    for (name, kind, participant, file) in EVERY_KIND {
        let (code, body) = upload(app, train, kind, name, participant, fixture(file)).await;
        assert_eq!(code, 201, "{kind} {name}: {body}");
        assert_eq!(body["outcome"], "created");
        assert_eq!(body["artifact"]["sha256"], sha256(&fixture(file)));
    }
}

async fn audit_actions(app: &TestApp, train: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT action FROM audit_record WHERE resource = $1 AND action LIKE 'evidence.%' ORDER BY audit_record_id",
    )
    .bind(format!("train:{train}"))
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn every_kind_of_evidence_uploads_and_the_bundle_lists_it_complete_with_digests() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "ev").await;
    upload_every_kind(&app, "ev").await;

    let (code, bundle) = app
        .api(Method::GET, "/api/v1/release-trains/ev/evidence", None)
        .await;
    assert_eq!(code, 200, "{bundle}");
    let artifacts = bundle["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), EVERY_KIND.len());
    let junit = artifacts.iter().find(|a| a["name"] == "junit.xml").unwrap();
    assert_eq!(junit["kind"], "junit");
    assert_eq!(junit["participant"], "curve");
    assert_eq!(junit["size"], fixture("junit.xml").len());
    assert_eq!(junit["media_type"], "application/xml");
    assert_eq!(junit["uploaded_by"], "test-ci");
    assert_eq!(
        bundle["completeness"],
        json!({ "complete": true, "missing": [] })
    );
    assert_eq!(bundle["seal"], Value::Null);
    assert_eq!(
        audit_actions(&app, "ev").await,
        vec!["evidence.upload"; EVERY_KIND.len()]
    );
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM train_event e JOIN train t USING (train_id) WHERE t.name = 'ev' AND e.kind = 'evidence'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        events,
        EVERY_KIND.len() as i64,
        "each upload is on the timeline"
    );
}

#[tokio::test]
async fn a_raw_put_stores_the_body_and_the_download_returns_it_with_its_type_and_name() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "raw").await;
    let bytes = fixture("backtesting.spdx.json");
    let response = app
        .request(
            Method::PUT,
            &format!(
                "/api/v1/release-trains/raw/evidence/bt.spdx.json?kind=spdx_sbom&participant=backtesting&sha256={}",
                sha256(&bytes).to_uppercase()
            ),
        )
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["location"],
        "/api/v1/release-trains/raw/evidence/bt.spdx.json"
    );

    let download = app
        .anonymous()
        .get("/api/v1/release-trains/raw/evidence/bt.spdx.json")
        .await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/spdx+json");
    assert_eq!(
        download.headers()["content-disposition"],
        "attachment; filename=\"bt.spdx.json\""
    );
    assert_eq!(download.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let missing = app
        .get("/api/v1/release-trains/raw/evidence/nope.json")
        .await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_same_bytes_again_change_nothing_and_new_bytes_replace_with_both_digests_audited() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "again").await;
    let first = fixture("junit.xml");
    let (code, _) = upload(&app, "again", "junit", "tests.xml", None, first.clone()).await;
    assert_eq!(code, 201);
    let (code, body) = upload(&app, "again", "junit", "tests.xml", None, first.clone()).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["outcome"], "unchanged");

    let second = fixture("junit-green.xml");
    let (code, body) = upload(&app, "again", "junit", "tests.xml", None, second.clone()).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["outcome"], "replaced");
    assert_eq!(body["replaced_sha256"], sha256(&first));
    assert_eq!(body["artifact"]["sha256"], sha256(&second));

    let (before, after): (Value, Value) = sqlx::query_as(
        "SELECT before, after FROM audit_record WHERE action = 'evidence.replace' AND resource = 'train:again'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(before["sha256"], sha256(&first));
    assert_eq!(after["sha256"], sha256(&second));
    assert_eq!(
        audit_actions(&app, "again").await,
        ["evidence.upload", "evidence.replace"]
    );

    let (code, body) = upload(&app, "again", "junit", "TESTS.xml", None, first).await;
    assert_eq!(code, 409, "names differing only in case collide: {body}");
}

#[tokio::test]
async fn an_artifact_of_an_unsealed_bundle_can_be_removed_and_the_removal_is_audited() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "rm").await;
    let bytes = fixture("policy-summary.md");
    assert_eq!(
        upload(&app, "rm", "summary", "summary.md", None, bytes)
            .await
            .0,
        201
    );
    let (code, _) = app
        .api(
            Method::DELETE,
            "/api/v1/release-trains/rm/evidence/summary.md",
            None,
        )
        .await;
    assert_eq!(code, 204);
    let (code, bundle) = app
        .api(Method::GET, "/api/v1/release-trains/rm/evidence", None)
        .await;
    assert_eq!(code, 200);
    assert_eq!(bundle["artifacts"], json!([]));
    assert_eq!(
        audit_actions(&app, "rm").await,
        ["evidence.upload", "evidence.remove"]
    );
    let (code, _) = app
        .api(
            Method::DELETE,
            "/api/v1/release-trains/rm/evidence/summary.md",
            None,
        )
        .await;
    assert_eq!(code, 404);
}
