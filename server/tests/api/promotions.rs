//! Promotions through HTTP, as people click them: who may approve, what a
//! repeated or stale approval does (freezes and break-glass are in
//! `promotion_freezes.rs`).

use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;
use serde_json::{json, Value};

pub const TRAIN: &str = "backtesting-3.0-rollout";

/// A JSON write as a signed-in person makes it from the app's own pages.
pub async fn act(who: &TestApp, path: &str, body: Value, key: Option<&str>) -> (u16, Value) {
    let mut request = who
        .request(
            Method::POST,
            &format!("/api/v1/release-trains/{TRAIN}/promotions{path}"),
        )
        .header("origin", &who.address)
        .json(&body);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.expect("a response");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn panel(app: &TestApp) -> Value {
    app.api(
        Method::GET,
        &format!("/api/v1/release-trains/{TRAIN}/promotions"),
        None,
    )
    .await
    .1
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn an_approver_sends_the_demo_train_to_stage_and_its_release_runs_there() {
    let app = spawn_app_with_sign_in(&[]).await;
    let before = panel(&app).await;
    assert_eq!(before["request"]["environment"], "stage");
    assert_eq!(before["request"]["state"], "open");
    assert_eq!(before["next"], "stage");

    let ana = sign_in(&app, "ana").await;
    let (code, body) = act(
        &ana,
        "/approve",
        json!({ "note": "smoke and k6 green" }),
        None,
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body, json!({ "Approved": { "promoted": true } }));

    let after = panel(&app).await;
    assert_eq!(after["request"]["state"], "promoted");
    let stage = after["pipeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["environment"] == "stage")
        .unwrap()
        .clone();
    assert!(stage["deployed_at"].is_string(), "{after}");
    assert_eq!(after["next"], "prod");
    let versions: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.name, r.version FROM environment_release r JOIN service s USING (service_id)
         WHERE r.environment = 'stage' ORDER BY s.name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        versions.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
        ["3.0.0", "3.0.0", "3.0.0"]
    );
    let promoted = "SELECT count(*) FROM audit_record
                    WHERE action = 'promotion.promote' AND after->>'promoted' = 'stage'";
    assert_eq!(count(&app, promoted).await, 1);
    let approved = "SELECT count(*) FROM audit_record
                    WHERE action = 'promotion.approve' AND actor = 'ana'";
    assert_eq!(count(&app, approved).await, 1);
}

#[tokio::test]
async fn the_captain_the_wrong_role_and_viewers_are_refused_with_the_reason() {
    let app = spawn_app_with_sign_in(&[]).await;
    for (user, words) in [
        // Anyone signed in may try (a service's owner may review); the
        // request says which role its environment needs.
        ("carl", "needs the approver:stage role"),
        ("ben", "needs the approver:stage role"),
        ("val", "needs the approver:stage role"),
        ("olivia", "needs the approver:stage role"),
    ] {
        let who = sign_in(&app, user).await;
        let (code, body) = act(&who, "/approve", json!({}), None).await;
        assert_eq!(code, 403, "{user}: {body}");
        assert!(body.to_string().contains(words), "{user}: {body}");
    }
    let (code, _) = act(&app.anonymous(), "/approve", json!({}), None).await;
    assert_eq!(code, 401);
    let (code, body) = act(&app, "/approve", json!({}), None).await;
    assert_eq!(code, 403, "a CI token never approves: {body}");
    assert_eq!(count(&app, "SELECT count(*) FROM approval").await, 0);
}

#[tokio::test]
async fn approving_twice_counts_once_and_a_rejection_needs_a_comment_and_ends_the_request() {
    let app = spawn_app_with_sign_in(&[]).await;
    // Stage needs one approval; make it two so that one leaves it open.
    app::services::promotions::store_policy(
        &app.pool,
        &app::services::actor::Actor::new("test"),
        serde_json::from_value(json!({
            "environment": "stage", "required_approvals": 2, "approver_role": "approver:stage",
            "requester_may_approve": false, "wait_timer_secs": 0, "require_gates": true,
            "soak_secs": null, "freeze_blocks": true, "auto_rollback": false
        }))
        .unwrap(),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let ana = sign_in(&app, "ana").await;
    assert_eq!(
        act(&ana, "/approve", json!({}), Some("click-0001")).await.1,
        json!({ "Approved": { "promoted": false } })
    );
    assert_eq!(
        act(&ana, "/approve", json!({}), Some("click-0002")).await.1,
        json!("AlreadyApproved")
    );
    assert_eq!(
        act(&ana, "/approve", json!({}), Some("click-0001")).await.1,
        json!({ "Approved": { "promoted": false } }),
        "a retry with the first key gets the first answer"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM approval").await, 1);
    assert_eq!(
        panel(&app).await["request"]["evaluation"]["approvals_needed"],
        1
    );

    let (code, body) = act(&ana, "/reject", json!({ "note": "  " }), None).await;
    assert_eq!(code, 422, "{body}");
    assert!(body.to_string().contains("needs a comment"), "{body}");
    let (code, body) = act(&ana, "/reject", json!({ "note": "k6 p95 regressed" }), None).await;
    assert_eq!(code, 200, "{body}");
    let after = panel(&app).await;
    assert_eq!(after["request"]["state"], "rejected");
    assert_eq!(after["request"]["decision_comment"], "k6 p95 regressed");
    let (code, body) = act(&ana, "/approve", json!({}), None).await;
    assert_eq!(
        code, 404,
        "a rejected request cannot be approved any more: {body}"
    );
    let carl = sign_in(&app, "carl").await;
    let (code, body) = act(
        &carl,
        "",
        json!({ "note": "fixed the k6 regression" }),
        None,
    )
    .await;
    assert_eq!(code, 200, "a new request may follow a rejection: {body}");
}

#[tokio::test]
async fn a_changed_version_dismisses_the_approvals_given_before_it() {
    let app = spawn_app_with_sign_in(&[]).await;
    let ana = sign_in(&app, "ana").await;
    assert_eq!(act(&ana, "/approve", json!({}), None).await.0, 200);
    let carl = sign_in(&app, "carl").await;
    assert_eq!(
        act(&carl, "", json!({ "note": "to prod" }), None).await.0,
        200
    );
    assert_eq!(
        act(&ana, "/approve", json!({ "note": "ok for prod" }), None)
            .await
            .0,
        200
    );

    let (code, body) = carl
        .request(
            Method::PUT,
            &format!("/api/v1/release-trains/{TRAIN}/participants/scenario"),
        )
        .header("origin", &carl.address)
        .json(&json!({ "target_version": "3.0.1" }))
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .unwrap();
    assert_eq!(code, 200, "{:?}", body.text().await);

    let request = panel(&app).await["request"].clone();
    assert_eq!(request["evaluation"]["approvals_needed"], 2);
    let ana_approval = &request["approvals"][0];
    assert_eq!(ana_approval["status"], "dismissed");
    assert!(
        ana_approval["why"]
            .as_str()
            .unwrap()
            .contains("scenario 3.0.0 → 3.0.1"),
        "{request}"
    );
    assert_eq!(
        request["evaluation"]["changes_since_request"],
        json!(["scenario 3.0.0 → 3.0.1"])
    );
    let (_, body) = act(&ana, "/approve", json!({}), None).await;
    assert_eq!(
        body,
        json!({ "Approved": { "promoted": false } }),
        "approving what is there now counts again"
    );
}

#[tokio::test]
async fn where_an_admin_requires_complete_evidence_an_incomplete_bundle_blocks_the_promotion() {
    let app = spawn_app_with_sign_in(&[]).await;
    let mut stage = serde_json::to_value(app::domain::promotion::EnvironmentPolicy::defaults_for(
        &app::domain::promotion::Environment::parse("stage").unwrap(),
        app::domain::promotion::EnvironmentKind::PreProduction,
    ))
    .unwrap();
    stage["require_evidence"] = json!(true);
    let adam = sign_in(&app, "adam").await;
    let response = adam
        .request(Method::PUT, "/api/v1/promotion-policies/stage")
        .header("origin", &adam.address)
        .json(&stage)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    let ana = sign_in(&app, "ana").await;
    let (_, body) = act(&ana, "/approve", json!({}), None).await;
    assert_eq!(body, json!({ "Approved": { "promoted": false } }));
    let blockers = panel(&app).await["request"]["evaluation"]["blockers"].to_string();
    assert!(blockers.contains("missing_evidence"), "{blockers}");
    assert!(
        blockers.contains("no SBOM for participant curve"),
        "the missing items are named: {blockers}"
    );
    assert_eq!(panel(&app).await["next_requires_evidence"], json!(true));
    let html = app.page(&format!("/trains/{TRAIN}")).await;
    assert!(
        html.contains("promotion to stage waits until it is there."),
        "the blocked panel says which promotion the missing evidence holds: {html}"
    );
}

#[tokio::test]
async fn a_refused_policy_form_names_its_environment() {
    let app = spawn_app_with_sign_in(&[]).await;
    let adam = sign_in(&app, "adam").await;
    let (status, body) = crate::calendar_edit::post_form(
        &adam,
        "promotions/policies/save",
        &[
            ("environment", "prod"),
            ("required_approvals", "11"),
            ("approver_role", "approver:prod"),
            ("wait_timer", "600"),
            ("soak_hours", ""),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("prod: "), "{body}");
}
