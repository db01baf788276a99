//! Every refused upload says why, and leaves nothing behind but its
//! `evidence.refuse` audit record: no artifact row, nothing in the bundle.

use crate::api_client::{error_code, transition};
use crate::evidence_upload::{evidence_train, fixture, sha256, upload, upload_declaring};
use crate::helpers::{spawn_app, TestApp};
use app::services::actor::Actor;
use reqwest::Method;
use serde_json::Value;

async fn refusals(app: &TestApp, train: &str) -> Vec<(Option<String>, Value)> {
    sqlx::query_as(
        "SELECT reason, after FROM audit_record
         WHERE action = 'evidence.refuse' AND resource = $1 ORDER BY audit_record_id",
    )
    .bind(format!("train:{train}"))
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

async fn artifact_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM evidence_artifact a JOIN train t USING (train_id) WHERE t.name = 'refused'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// The refusal left no artifact and exactly one more refusal record.
async fn assert_no_trace_but_one_refusal(app: &TestApp, before: usize, status: u16) -> Value {
    assert_eq!(
        artifact_rows(app).await,
        0,
        "a refused upload stores nothing"
    );
    let records = refusals(app, "refused").await;
    assert_eq!(records.len(), before + 1, "exactly one refusal record");
    let (reason, after) = records.last().unwrap().clone();
    assert!(reason.is_some_and(|r| !r.is_empty()), "the record says why");
    assert_eq!(after["status"], status);
    after
}

#[tokio::test]
async fn a_declared_checksum_that_differs_from_the_bytes_is_refused_naming_sha256() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "refused").await;
    let bytes = fixture("curve.cdx.json");
    let wrong = sha256(b"something else");
    let (code, body) = upload_declaring(
        &app,
        "refused",
        "cyclonedx_sbom",
        "curve.cdx.json",
        Some("curve"),
        bytes.clone(),
        &wrong,
    )
    .await;
    assert_eq!(code, 422, "{body}");
    assert_eq!(body["error"]["field"], "sha256");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&wrong) && message.contains(&sha256(&bytes)),
        "{message}"
    );
    let after = assert_no_trace_but_one_refusal(&app, 0, 422).await;
    assert_eq!(after["name"], "curve.cdx.json");
    assert_eq!(after["sha256"], wrong);

    let (code, body) = upload_declaring(
        &app,
        "refused",
        "junit",
        "junit.xml",
        None,
        fixture("junit.xml"),
        "not-a-digest",
    )
    .await;
    assert_eq!(code, 422, "{body}");
    assert_eq!(body["error"]["field"], "sha256");
    assert_no_trace_but_one_refusal(&app, 1, 422).await;
}

#[tokio::test]
async fn a_file_that_is_not_its_declared_kind_is_refused_with_the_reason() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "refused").await;
    let (code, body) = upload(
        &app,
        "refused",
        "cyclonedx_sbom",
        "sbom.json",
        Some("curve"),
        fixture("not-cyclonedx.json"),
    )
    .await;
    assert_eq!(code, 422, "{body}");
    assert_eq!(body["error"]["field"], "file");
    assert_eq!(
        body["error"]["message"],
        "declared cyclonedx_sbom but the document has no bomFormat \"CycloneDX\""
    );
    assert_no_trace_but_one_refusal(&app, 0, 422).await;

    let (code, body) = upload(
        &app,
        "refused",
        "junit",
        "junit.xml",
        None,
        fixture("curve.cdx.json"),
    )
    .await;
    assert_eq!(code, 422, "JSON is not JUnit XML: {body}");
    assert_no_trace_but_one_refusal(&app, 1, 422).await;

    let (code, body) = upload(
        &app,
        "refused",
        "sbom",
        "x.json",
        None,
        fixture("curve.cdx.json"),
    )
    .await;
    assert_eq!(code, 422, "an unknown kind: {body}");
    assert_eq!(body["error"]["field"], "kind");
    assert_no_trace_but_one_refusal(&app, 2, 422).await;

    let (code, body) = upload(
        &app,
        "refused",
        "cyclonedx_sbom",
        "curve.cdx.json",
        Some("scenario"),
        fixture("curve.cdx.json"),
    )
    .await;
    assert_eq!(
        code, 422,
        "scenario is no participant of this train: {body}"
    );
    assert_eq!(body["error"]["field"], "participant");
    assert_no_trace_but_one_refusal(&app, 3, 422).await;
}

#[tokio::test]
async fn release_metadata_that_breaks_the_schema_is_refused_with_every_violation_by_pointer() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "refused").await;
    let (code, body) = upload(
        &app,
        "refused",
        "release_metadata",
        "release-metadata.json",
        None,
        fixture("release-metadata.invalid.json"),
    )
    .await;
    assert_eq!(code, 422, "{body}");
    assert_eq!(error_code(&body), "schema_violation");
    let pointers: Vec<&str> = body["error"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["pointer"].as_str().unwrap())
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
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("release metadata violates the schema: "),
        "{message}"
    );
    assert!(message.contains("/version: "), "{message}");
    let (reason, _) = refusals(&app, "refused").await.pop().unwrap();
    assert!(
        reason.unwrap().contains("/commits/0/sha"),
        "the audit record keeps the pointers"
    );
    assert_no_trace_but_one_refusal(&app, 0, 422).await;
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_with_413_while_it_streams() {
    let app = spawn_app(&[("TRAINYARD_EVIDENCE_MAX_BYTES", "1KiB")]).await;
    evidence_train(&app, "refused").await;
    let big = fixture("junit.xml");
    assert!(big.len() > 1024);
    let (code, body) = upload(&app, "refused", "junit", "junit.xml", None, big.clone()).await;
    assert_eq!(code, 413, "{body}");
    assert_eq!(error_code(&body), "payload_too_large");
    assert_eq!(
        body["error"]["message"],
        "the upload exceeds the 1 KiB limit (TRAINYARD_EVIDENCE_MAX_BYTES)"
    );
    assert_no_trace_but_one_refusal(&app, 0, 413).await;

    // A chunked body declares no length: the running count stops it.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(300).map(|c| Ok(c.to_vec())).collect();
    let response = app
        .request(
            Method::PUT,
            &format!(
                "/api/v1/release-trains/refused/evidence/junit.xml?kind=junit&sha256={}",
                sha256(&big)
            ),
        )
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(response.headers().get("content-length").is_some());
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "payload_too_large");
    assert_no_trace_but_one_refusal(&app, 1, 413).await;

    let small = fixture("curve-linux-amd64.tar.gz.sig");
    let (code, body) = upload(&app, "refused", "signature", "c.sig", None, small).await;
    assert_eq!(code, 201, "what fits is stored: {body}");
}

#[tokio::test]
async fn uploading_needs_the_evidence_write_scope_and_a_refused_caller_is_not_recorded() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "refused").await;
    let gates_only = app::services::tokens::create_token(
        &app.pool,
        &Actor::new("test"),
        "gates-only",
        "gates:write",
        "",
        "",
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let bytes = fixture("junit.xml");
    let caller = app.with_bearer(&gates_only.secret);
    let (code, body) = upload(
        &caller,
        "refused",
        "junit",
        "junit.xml",
        None,
        bytes.clone(),
    )
    .await;
    assert_eq!(code, 403, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("evidence:write"),
        "{body}"
    );
    let (code, body) = upload(
        &app.anonymous(),
        "refused",
        "junit",
        "junit.xml",
        None,
        bytes,
    )
    .await;
    assert_eq!(code, 401, "{body}");
    assert_eq!(artifact_rows(&app).await, 0);
    assert!(refusals(&app, "refused").await.is_empty());
}

#[tokio::test]
async fn a_sealed_bundle_refuses_additions_replacements_and_removals_with_409() {
    let app = spawn_app(&[]).await;
    evidence_train(&app, "refused").await;
    let (code, _) = upload(
        &app,
        "refused",
        "junit",
        "junit.xml",
        None,
        fixture("junit.xml"),
    )
    .await;
    assert_eq!(code, 201);
    for to in [
        "validating",
        "staging",
        "executing",
        "verifying",
        "completed",
    ] {
        let (code, body) = transition(&app, "refused", to).await;
        assert_eq!(code, 200, "{to}: {body}");
    }
    for sql in [
        "DELETE FROM evidence_artifact WHERE name = 'junit.xml'",
        "UPDATE evidence_artifact SET size = 1 WHERE name = 'junit.xml'",
        "DELETE FROM evidence_seal",
    ] {
        let refused = sqlx::query(sql).execute(&app.pool).await;
        let err = refused.expect_err("the database itself refuses to change a sealed bundle");
        assert!(err.to_string().contains("refused"), "{sql}: {err}");
    }
    let before = refusals(&app, "refused").await.len();

    for (name, file) in [("junit.xml", "junit-green.xml"), ("more.xml", "junit.xml")] {
        let (code, body) = upload(&app, "refused", "junit", name, None, fixture(file)).await;
        assert_eq!(code, 409, "{name}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("sealed")
                && message.contains("no artifact can be added, replaced or removed"),
            "{message}"
        );
    }
    assert_eq!(refusals(&app, "refused").await.len(), before + 2);
    let (code, body) = app
        .api(
            Method::DELETE,
            "/api/v1/release-trains/refused/evidence/junit.xml",
            None,
        )
        .await;
    assert_eq!(code, 409, "{body}");
    let (code, bundle) = app
        .api(Method::GET, "/api/v1/release-trains/refused/evidence", None)
        .await;
    assert_eq!(code, 200);
    assert_eq!(
        bundle["artifacts"][0]["sha256"],
        sha256(&fixture("junit.xml"))
    );
}
