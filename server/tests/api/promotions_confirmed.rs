//! Promotions that really happen: where an environment's deploys are
//! confirmed by CD, an approved promotion leaves the release `deploying`
//! there until CD reports every participant's deploy succeeded, and a
//! failed deploy fails the promotion. Elsewhere a promotion is recorded
//! as done at once (`promotions.rs`).

use crate::api_client::token_for;
use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::promotions::{act, panel, TRAIN};
use reqwest::Method;
use serde_json::{json, Value};

/// Turns CD confirmation on for `env` through the policy API.
pub async fn confirm_deploys_in(app: &TestApp, env: &str) {
    let (code, policies) = app
        .api(Method::GET, "/api/v1/promotion-policies", None)
        .await;
    assert_eq!(code, 200, "{policies}");
    let mut policy = policies
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.get("policy").unwrap_or(p).clone())
        .find(|p| p["environment"] == env)
        .unwrap_or_else(|| panic!("no policy of {env}: {policies}"));
    assert_eq!(policy["confirmed_by_cd"], false, "record only unless asked");
    policy["confirmed_by_cd"] = json!(true);
    let path = format!("/api/v1/promotion-policies/{env}");
    let admin = token_for(app, "policy-admin", "config:write").await;
    let (code, body) = admin.api(Method::PUT, &path, Some(policy)).await;
    assert_eq!(code, 204, "{body}");
}

fn step(panel: &Value, env: &str) -> Value {
    panel["pipeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["environment"] == env)
        .cloned()
        .unwrap()
}

/// The train's participants and the versions it promotes.
async fn participants(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT s.name, p.target_version FROM participant p JOIN service s USING (service_id)
         JOIN train t USING (train_id) WHERE t.name = $1 ORDER BY p.release_position",
    )
    .bind(TRAIN)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// CD's report of a deploy to stage; its answer.
pub async fn report(cd: &TestApp, service: &str, version: &str, status: &str, run: &str) -> Value {
    let body = json!({ "service": service, "version": version, "environment": "stage",
                       "status": status, "pipeline_run_id": run });
    let (code, answer) = cd
        .api(Method::POST, "/api/v1/deployments", Some(body))
        .await;
    assert_eq!(code, 201, "{answer}");
    answer
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

/// The demo train's timeline, as the API serves it.
pub async fn timeline(app: &TestApp) -> Value {
    let path = format!("/api/v1/release-trains/{TRAIN}/events");
    let (code, events) = app.api(Method::GET, &path, None).await;
    assert_eq!(code, 200, "{events}");
    events
}

#[tokio::test]
async fn a_promotion_deploys_until_cd_confirms_it_and_fails_with_a_failed_deploy() {
    let app = spawn_app_with_sign_in(&[]).await;
    confirm_deploys_in(&app, "stage").await;
    let cd = token_for(&app, "cd", "deployments:write").await;
    let (ana, carl) = (sign_in(&app, "ana").await, sign_in(&app, "carl").await);
    let all = participants(&app).await;

    // A failed deploy fails the promotion; a later success of the same
    // version does not revive it: the train is promoted again.
    let (code, body) = act(&ana, "/approve", json!({ "note": "green" }), None).await;
    assert_eq!(
        (code, &body),
        (200, &json!({ "Approved": { "promoted": true } })),
        "{body}"
    );
    let deploying = panel(&app).await;
    let stage = step(&deploying, "stage");
    assert_eq!(stage["status"], "deploying", "{deploying:#}");
    assert_eq!(
        stage["deployed_at"],
        Value::Null,
        "not running until CD says so"
    );
    assert_eq!(
        deploying["next"],
        Value::Null,
        "nothing further while it deploys"
    );
    // The pages say so: the train's pipeline, and which mode each
    // environment is in.
    let train_page = carl.page(&format!("/trains/{TRAIN}")).await;
    assert!(
        train_page.contains("deploying (waiting for CD)"),
        "the train page shows the release deploying"
    );
    let policies = sign_in(&app, "adam").await.page("/admin/policies").await;
    assert!(policies.contains("deploys confirmed by CD"), "stage's mode");
    assert!(
        policies.contains("record only (no CD confirmation)"),
        "the others' mode"
    );
    let (code, refused) = act(&carl, "", json!({ "note": "again" }), None).await;
    assert_eq!(code, 409, "{refused}");
    assert!(
        refused.to_string().contains("deploying to stage"),
        "{refused}"
    );
    report(&cd, &all[0].0, &all[0].1, "failed", "run-bad").await;
    let failed = panel(&app).await;
    assert_eq!(step(&failed, "stage")["status"], "failed", "{failed:#}");
    assert_eq!(step(&failed, "stage")["deployed_at"], Value::Null);
    assert_eq!(failed["next"], "stage");
    report(&cd, &all[0].0, &all[0].1, "succeeded", "run-retry").await;
    assert_eq!(step(&panel(&app).await, "stage")["status"], "failed");
    let settled = "SELECT count(*) FROM audit_record
                   WHERE action = 'promotion.settle' AND reason LIKE '%failed%'";
    assert_eq!(count(&app, settled).await, 1);

    // Promoted again: deploying until every participant's deploy succeeded.
    let (code, body) = act(&carl, "", json!({ "note": "the fix is in" }), None).await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = act(&ana, "/approve", json!({ "note": "green" }), None).await;
    assert_eq!(
        (code, &body),
        (200, &json!({ "Approved": { "promoted": true } })),
        "{body}"
    );
    assert_eq!(step(&panel(&app).await, "stage")["status"], "deploying");
    let (last, first) = all.split_last().unwrap();
    for (i, (service, version)) in first.iter().enumerate() {
        report(&cd, service, version, "succeeded", &format!("run-{i}")).await;
    }
    assert_eq!(step(&panel(&app).await, "stage")["status"], "deploying");
    // Another version of the last service settles nothing.
    report(&cd, &last.0, "0.0.1", "failed", "run-other").await;
    assert_eq!(step(&panel(&app).await, "stage")["status"], "deploying");

    report(&cd, &last.0, &last.1, "succeeded", "run-last").await;
    let after = panel(&app).await;
    let stage = step(&after, "stage");
    assert_eq!(stage["status"], "deployed", "{after:#}");
    assert!(stage["deployed_at"].is_string());
    assert_eq!(after["next"], "prod");
    let running: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.name, r.version FROM environment_release r JOIN service s USING (service_id)
         WHERE r.environment = 'stage' AND r.deployment_id IS NOT NULL ORDER BY s.name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(running.len(), all.len(), "what runs is what CD reported");
    let deployed = "SELECT count(*) FROM audit_record
                    WHERE action = 'promotion.settle' AND reason LIKE '%runs in stage%'
                       OR action = 'promotion.settle' AND reason LIKE '%run in stage%'";
    assert_eq!(count(&app, deployed).await, 1);
    let events = timeline(&app).await;
    assert!(
        events.to_string().contains("\"settled\":\"stage\""),
        "the timeline says so: {events}"
    );
}
