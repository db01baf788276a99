//! Rollbacks that really happen: where an environment's deploys are
//! confirmed by CD, a rollback's steps stay requested until CD reports each
//! service's redeploy of its previous version, its status names the step
//! that waits, the track's timeout marks it stuck (and says so to webhook
//! subscribers), a late confirmation still completes it, and `force`
//! records the rest as done. Elsewhere `force` is refused.

use crate::api_client::token_for;
use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::promotions::{act, panel, TRAIN};
use crate::promotions_confirmed::{confirm_deploys_in, count, report, timeline};
use app::services::scheduler::run_due;
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

/// Promotes the demo train to stage and has CD confirm every deploy.
async fn promote_to_stage(app: &TestApp, cd: &TestApp) {
    let ana = sign_in(app, "ana").await;
    let (code, body) = act(&ana, "/approve", json!({ "note": "green" }), None).await;
    assert_eq!(code, 200, "{body}");
    let versions: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.name, p.target_version FROM participant p JOIN service s USING (service_id)
         JOIN train t USING (train_id) WHERE t.name = $1 ORDER BY p.release_position",
    )
    .bind(TRAIN)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (i, (service, version)) in versions.iter().enumerate() {
        report(cd, service, version, "succeeded", &format!("promote-{i}")).await;
    }
    let stage = panel(app).await;
    assert!(stage.to_string().contains("\"deployed\""), "{stage:#}");
}

async fn roll_back(app: &TestApp, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/release-trains/{TRAIN}/rollback");
    app.api(Method::POST, &path, Some(body)).await
}

async fn status(app: &TestApp) -> Value {
    let path = format!("/api/v1/release-trains/{TRAIN}/rollback/status");
    let (code, body) = app.api(Method::GET, &path, None).await;
    assert_eq!(code, 200, "{body}");
    body
}

/// What runs in stage for each service the steps name: (version, train).
async fn running(app: &TestApp, service: &str) -> (String, Option<String>) {
    sqlx::query_as(
        "SELECT r.version, t.name FROM environment_release r JOIN service s USING (service_id)
         LEFT JOIN train t ON t.train_id = r.train_id
         WHERE r.environment = 'stage' AND s.name = $1",
    )
    .bind(service)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// Runs the scheduler at `at` until it is the instance that acted.
async fn tick(app: &TestApp, at: chrono::DateTime<Utc>) -> Vec<String> {
    loop {
        let ran = run_due(&app.pool, at).await.unwrap();
        if ran.acted {
            return ran.stuck;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_rollback_waits_for_each_redeploy_gets_stuck_and_completes_late() {
    let app = spawn_app_with_sign_in(&[]).await;
    confirm_deploys_in(&app, "stage").await;
    let cd = token_for(&app, "cd", "deployments:write").await;
    promote_to_stage(&app, &cd).await;

    // Record only elsewhere: forcing there is refused, not ignored.
    let (code, refused) = roll_back(
        &app,
        json!({ "reason": "slow", "environment": "dev", "force": true }),
    )
    .await;
    assert_eq!((code, &refused["error"]["field"]), (422, &json!("force")));

    let (code, plan) = roll_back(&app, json!({ "reason": "p95", "environment": "stage" })).await;
    assert_eq!(code, 200, "{plan}");
    assert_eq!(plan["status"], "in_progress", "{plan:#}");
    let steps: Vec<(String, String, String)> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["to_version"].is_string())
        .map(|s| {
            assert_eq!(s["status"], "requested");
            assert_eq!(s["waiting_in"], json!(["stage"]));
            let field = |f: &str| s[f].as_str().unwrap().to_owned();
            (field("service"), field("from_version"), field("to_version"))
        })
        .collect();
    assert!(steps.len() >= 2, "{plan:#}");
    let (first, second) = (&steps[0], &steps[1]);
    assert_eq!(
        plan["waiting"],
        format!(
            "waiting for CD to redeploy {} {} in stage",
            first.0, first.2
        )
    );
    assert!(plan["deadline"].is_string());
    assert_eq!(
        running(&app, &first.0).await,
        (first.1.clone(), Some(TRAIN.to_owned())),
        "what runs moves only when CD says so"
    );

    // The first step's redeploy belongs to the rollback, not a surprise.
    let redeploy = report(&cd, &first.0, &first.2, "succeeded", "rb-1").await;
    assert_eq!(
        redeploy["deployment"]["matched"], "rollback",
        "{redeploy:#}"
    );
    assert_eq!(running(&app, &first.0).await, (first.2.clone(), None));
    let now = status(&app).await;
    assert_eq!(now["steps"][0]["status"], "rolled_back", "{now:#}");
    assert_eq!(now["status"], "in_progress");
    assert!(now["waiting"].as_str().unwrap().contains(&second.0));
    report(&cd, &second.0, &second.2, "failed", "rb-2").await;
    let failed = status(&app).await;
    assert!(
        failed["waiting"]
            .as_str()
            .unwrap()
            .ends_with("(its last redeploy failed)"),
        "{failed:#}"
    );

    // The track's timeout (10 minutes unless it says otherwise) passes.
    assert!(tick(&app, Utc::now() + Duration::minutes(5))
        .await
        .is_empty());
    assert_eq!(
        tick(&app, Utc::now() + Duration::minutes(11)).await,
        [TRAIN]
    );
    assert_eq!(status(&app).await["status"], "stuck");
    let stuck = "SELECT count(*) FROM webhook_event WHERE event_type = 'rollback.stuck'
                 AND payload::text LIKE '%waiting for CD%'";
    assert_eq!(count(&app, stuck).await, 1, "subscribers hear of it");

    // A late confirmation of every step still completes it.
    for (i, (service, _, previous)) in steps.iter().enumerate().skip(1) {
        report(&cd, service, previous, "succeeded", &format!("rb-late-{i}")).await;
    }
    let done = status(&app).await;
    assert_eq!(done["status"], "completed", "{done:#}");
    assert_eq!(done["waiting"], Value::Null);
    for (service, _, previous) in &steps {
        assert_eq!(running(&app, service).await, (previous.clone(), None));
    }
    let completed = "SELECT count(*) FROM audit_record WHERE action = 'train.rollback_settle'
                     AND reason LIKE 'CD redeployed%'";
    assert_eq!(count(&app, completed).await, 1);
    let events = timeline(&app).await;
    assert!(events.to_string().contains("rollback_settled"), "{events}");
}

#[tokio::test]
async fn force_records_the_redeploys_cd_has_not_confirmed() {
    let app = spawn_app_with_sign_in(&[]).await;
    confirm_deploys_in(&app, "stage").await;
    let cd = token_for(&app, "cd", "deployments:write").await;
    promote_to_stage(&app, &cd).await;
    let (code, plan) = roll_back(&app, json!({ "reason": "p95", "environment": "stage" })).await;
    assert_eq!((code, &plan["status"]), (200, &json!("in_progress")));

    let (code, preview) = roll_back(
        &app,
        json!({ "reason": "CD is down", "force": true, "dry_run": true }),
    )
    .await;
    assert_eq!((code, &preview["status"]), (200, &json!("preview")));
    assert_eq!(status(&app).await["status"], "in_progress", "a preview");

    let (code, forced) = roll_back(&app, json!({ "reason": "CD is down", "force": true })).await;
    assert_eq!(code, 200, "{forced}");
    assert_eq!(forced["status"], "completed", "{forced:#}");
    for step in forced["steps"].as_array().unwrap() {
        assert_eq!(step["status"], "rolled_back");
        if let Some(previous) = step["to_version"].as_str() {
            let service = step["service"].as_str().unwrap();
            assert_eq!(running(&app, service).await, (previous.to_owned(), None));
        }
    }
    let by_force = "SELECT count(*) FROM audit_record WHERE action = 'train.rollback_settle'
                    AND reason LIKE 'recorded by force%CD is down%'";
    assert_eq!(count(&app, by_force).await, 1);
    let (code, again) = roll_back(&app, json!({ "reason": "again", "force": true })).await;
    assert_eq!(
        (code, &again["error"]["field"]),
        (422, &json!("force")),
        "nothing waits any more: {again}"
    );
}
