//! A bundle is sealed when its train completes, its manifest's hash goes
//! into the audit trail, and its archive verifies offline with the system's
//! own `tar` and `sha256sum -c`.

use crate::api_client::transition;
use crate::evidence_upload::{evidence_train, sha256, upload_every_kind, EVERY_KIND};
use crate::helpers::{spawn_app, TestApp};
use reqwest::Method;
use serde_json::Value;
use std::process::Command;

/// Downloads the train's archive, unpacks it with `tar` into a fresh
/// directory and runs `sha256sum -c SHA256SUMS` there; returns the response
/// headers' manifest digest and provisional flag, and the unpacked directory.
async fn download_and_verify(app: &TestApp, train: &str) -> (String, String, tempfile::TempDir) {
    let response = app
        .anonymous()
        .get(&format!("/api/v1/release-trains/{train}/evidence.tar.gz"))
        .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/gzip");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{train}-evidence.tar.gz\"").as_str()
    );
    let bytes = response.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("bundle.tar.gz");
    std::fs::write(&archive, &bytes).unwrap();
    let tar = Command::new("tar")
        .arg("xzf")
        .arg(&archive)
        .current_dir(dir.path())
        .output()
        .expect("tar runs");
    assert!(
        tar.status.success(),
        "tar: {}",
        String::from_utf8_lossy(&tar.stderr)
    );
    let check = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(dir.path().join(format!("{train}-evidence")))
        .output()
        .expect("sha256sum runs");
    let stdout = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(
        check.status.success(),
        "sha256sum -c: {stdout}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.ends_with(": OK")).count(),
        EVERY_KIND.len() + 1,
        "every artifact and manifest.json are checked: {stdout}"
    );
    let header = |name: &str| headers[name].to_str().unwrap().to_owned();
    (
        header("x-trainyard-manifest-sha256"),
        header("x-trainyard-provisional"),
        dir,
    )
}

#[tokio::test]
async fn the_archive_of_a_sealed_bundle_verifies_offline_with_sha256sum_check() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "ga").await;
    upload_every_kind(&app, "ga").await;

    // Before completion the archive is provisional, and verifies all the same.
    let (_, provisional, _) = download_and_verify(&app, "ga").await;
    assert_eq!(provisional, "true");

    for to in [
        "validating",
        "staging",
        "executing",
        "verifying",
        "completed",
    ] {
        let (code, body) = transition(&app, "ga", to).await;
        assert_eq!(code, 200, "{to}: {body}");
    }
    let (manifest_sha256, provisional, dir) = download_and_verify(&app, "ga").await;
    assert_eq!(provisional, "false");
    let manifest_json = std::fs::read(dir.path().join("ga-evidence/manifest.json")).unwrap();
    assert_eq!(sha256(&manifest_json), manifest_sha256);
    let manifest: Value = serde_json::from_slice(&manifest_json).unwrap();
    assert_eq!(manifest["train"], "ga");
    let entries = manifest["entries"].as_array().unwrap();
    assert_eq!(entries.len(), EVERY_KIND.len());
    for entry in entries {
        let file = dir
            .path()
            .join("ga-evidence")
            .join(entry["name"].as_str().unwrap());
        let bytes = std::fs::read(file).unwrap();
        assert_eq!(entry["size"], bytes.len());
        assert_eq!(entry["sha256"], sha256(&bytes));
        assert!(entry["kind"].is_string());
    }

    // The manifest's hash is in the audit trail, and the seal holds it.
    let (after,): (Value,) = sqlx::query_as(
        "SELECT after FROM audit_record WHERE action = 'evidence.seal' AND resource = 'train:ga'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(after["manifest_sha256"], manifest_sha256);
    assert_eq!(after["artifacts"], EVERY_KIND.len());
    let (code, bundle) = app
        .api(Method::GET, "/api/v1/release-trains/ga/evidence", None)
        .await;
    assert_eq!(code, 200);
    assert_eq!(bundle["seal"]["manifest_sha256"], manifest_sha256);

    // A sealed bundle's archive is the same bytes on every download.
    let once = app
        .get("/api/v1/release-trains/ga/evidence.tar.gz")
        .await
        .bytes()
        .await
        .unwrap();
    let twice = app
        .get("/api/v1/release-trains/ga/evidence.tar.gz")
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(once, twice);
}

#[tokio::test]
async fn completing_a_train_without_evidence_seals_an_empty_bundle_in_the_same_transaction() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "bare").await;
    for to in [
        "validating",
        "staging",
        "executing",
        "verifying",
        "completed",
    ] {
        assert_eq!(transition(&app, "bare", to).await.0, 200);
    }
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_record WHERE resource = 'train:bare' ORDER BY audit_record_id DESC LIMIT 3",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "evidence.seal",
            "train.post_release_notes",
            "train.transition"
        ]
    );
    let (code, bundle) = app
        .api(Method::GET, "/api/v1/release-trains/bare/evidence", None)
        .await;
    assert_eq!(code, 200);
    assert_eq!(bundle["seal"]["artifacts"], 0);
    assert_eq!(bundle["completeness"]["complete"], false);
}

#[tokio::test]
async fn the_release_metadata_schema_is_served_as_a_json_schema() {
    let app = spawn_app(&[]).await;
    let response = app
        .anonymous()
        .get("/api/v1/schemas/release-metadata.json")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/schema+json"
    );
    let schema: Value = response.json().await.unwrap();
    assert_eq!(
        schema["$id"],
        app::domain::evidence::RELEASE_METADATA_SCHEMA_ID
    );
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let (_, openapi) = app.api(Method::GET, "/api/v1/openapi.json", None).await;
    for path in [
        "/api/v1/release-trains/{name}/evidence",
        "/api/v1/release-trains/{name}/evidence/{artifact}",
        "/api/v1/release-trains/{name}/evidence.tar.gz",
        "/api/v1/schemas/release-metadata.json",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path} is documented");
    }
}

#[tokio::test]
async fn the_demo_holds_a_complete_sealed_bundle_and_an_incomplete_one() {
    let app = spawn_app(&[]).await;
    let (code, rows) = app.api(Method::GET, "/api/v1/evidence", None).await;
    assert_eq!(code, 200, "{rows}");
    let row = |train: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["train"] == train)
            .unwrap_or_else(|| panic!("{train} is listed: {rows}"))
            .clone()
    };
    let released = row("curve-1.9.3-release");
    assert_eq!(released["state"], "completed");
    assert!(released["sealed_at"].is_string());
    assert_eq!(released["completeness"]["complete"], true);
    assert_eq!(released["artifacts"], 10);
    let open = row("curve-2.1-rollout");
    assert_eq!(open["sealed_at"], Value::Null);
    let missing: Vec<&str> = open["completeness"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        missing,
        [
            "no SBOM for participant backtesting",
            "no SBOM for participant scenario",
            "no build provenance (SLSA statement)",
            "no release metadata document",
        ]
    );
    let response = app
        .get("/api/v1/release-trains/curve-1.9.3-release/evidence.tar.gz")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-trainyard-provisional"], "false");
    let digest = response.headers()["x-trainyard-manifest-sha256"]
        .to_str()
        .unwrap()
        .to_owned();
    let audited: Value = sqlx::query_scalar(
        "SELECT after FROM audit_record WHERE action = 'evidence.seal' AND resource = 'train:curve-1.9.3-release'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited["manifest_sha256"], digest);
}
