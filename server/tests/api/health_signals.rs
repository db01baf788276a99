//! Health signals against seed 001's rollback criteria: a breach in prod
//! rolls the train back by itself; elsewhere it is a recommendation.

use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::promotions::{act, TRAIN};
use reqwest::Method;
use serde_json::{json, Value};

/// p95 samples every 30 s over `minutes`, ending `ago` minutes before now.
fn p95_at(ms: f64, minutes: i64, ago: i64) -> Value {
    let now = chrono::Utc::now() - chrono::Duration::minutes(ago);
    let samples: Vec<Value> = (0..=minutes * 2)
        .map(|i| {
            let at = now - chrono::Duration::seconds(30 * i);
            json!({ "at": at.to_rfc3339(), "metric": "p95_latency_ms", "value": ms })
        })
        .collect();
    json!(samples)
}

/// p95 samples every 30 s over the last `minutes`.
fn p95(ms: f64, minutes: i64) -> Value {
    p95_at(ms, minutes, 0)
}

#[tokio::test]
async fn a_p95_breach_in_stage_recommends_a_rollback_and_in_prod_rolls_the_train_back() {
    let app = spawn_app_with_sign_in(&[]).await;
    let ana = sign_in(&app, "ana").await;
    assert_eq!(
        act(&ana, "/approve", json!({}), None).await.0,
        200,
        "to stage"
    );

    let report = |env: &str, samples: Value| json!({ "environment": env, "samples": samples });
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/services/curve/health",
            Some(report("stage", p95_at(400.0, 6, 20))),
        )
        .await;
    assert_eq!(
        (code, body["rollback"].clone()),
        (200, Value::Null),
        "healthy: {body}"
    );
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/services/curve/health",
            Some(report("stage", p95(1900.0, 6))),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["train"], TRAIN);
    assert_eq!(body["rollback"], "recommended");
    assert!(
        body["breaches"][0]
            .as_str()
            .unwrap()
            .contains("p95 latency"),
        "{body}"
    );
    let state: String = sqlx::query_scalar("SELECT state FROM train WHERE name = $1")
        .bind(TRAIN)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "staging", "stage only recommends");
    let html = app.page(&format!("/trains/{TRAIN}")).await;
    assert!(
        html.contains("rollback recommended"),
        "the train page shows it"
    );
    assert!(
        app.page("/").await.contains("Rollback signals"),
        "and the dashboard"
    );

    // Into prod (no wait for the test), executing, then a breach there.
    let mut prod: Value =
        serde_json::to_value(app::domain::promotion::EnvironmentPolicy::defaults_for(
            &app::domain::promotion::Environment::parse("prod").unwrap(),
            app::domain::promotion::EnvironmentKind::Production,
        ))
        .unwrap();
    prod["wait_timer_secs"] = json!(0);
    app::services::promotions::store_policy(
        &app.pool,
        &app::services::actor::Actor::new("test"),
        serde_json::from_value(prod).unwrap(),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let carl = sign_in(&app, "carl").await;
    assert_eq!(
        act(&carl, "", json!({ "note": "to prod" }), None).await.0,
        200
    );
    let ben = sign_in(&app, "ben").await;
    assert_eq!(act(&ana, "/approve", json!({}), None).await.0, 200);
    assert_eq!(
        act(&ben, "/approve", json!({}), None).await.1,
        json!({ "Approved": { "promoted": true } })
    );
    assert_eq!(
        crate::api_client::transition(&app, TRAIN, "executing")
            .await
            .0,
        200
    );

    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/services/scenario/health",
            Some(report("prod", p95(2300.0, 7))),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["rollback"], "rolled_back");
    let (state, reason): (String, Option<String>) =
        sqlx::query_as("SELECT state, status_reason FROM train WHERE name = $1")
            .bind(TRAIN)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(state, "rolled_back");
    assert!(
        reason.unwrap().contains("p95 latency above 1.5 s"),
        "the breach is the recorded reason"
    );
    let prod_versions: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT version FROM environment_release WHERE environment = 'prod' ORDER BY service_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(
        prod_versions.iter().all(|v| v.as_deref() == Some("2.4.1")),
        "{prod_versions:?}"
    );
    let (code, status) = app
        .api(
            Method::GET,
            &format!("/api/v1/release-trains/{TRAIN}/rollback/status"),
            None,
        )
        .await;
    assert_eq!(code, 200);
    assert_eq!(status["requested_by"], "health-monitor");

    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/services/curve/health",
            Some(
                json!({ "environment": "prod", "samples": [{ "metric": "latency", "value": 1 }] }),
            ),
        )
        .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("samples[0].metric"))
    );
}

#[tokio::test]
async fn a_captain_previews_then_rolls_back_one_environment_with_a_reason() {
    let app = spawn_app_with_sign_in(&[]).await;
    let carl = sign_in(&app, "carl").await;
    let rollback = |body: Value| {
        let carl = carl.clone();
        async move {
            let r = carl
                .request(
                    Method::POST,
                    &format!("/api/v1/release-trains/{TRAIN}/rollback"),
                )
                .header("origin", &carl.address)
                .json(&body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (code, plan) =
        rollback(json!({ "reason": "k6 regressed in dev", "environment": "dev", "dry_run": true }))
            .await;
    assert_eq!(code, 200, "{plan}");
    assert_eq!(plan["status"], "preview");
    let order: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["scenario", "backtesting", "curve"],
        "reverse dependency order"
    );
    let (code, done) =
        rollback(json!({ "reason": "k6 regressed in dev", "environment": "dev" })).await;
    assert_eq!((code, done["status"].as_str()), (200, Some("completed")));
    let (code, again) = rollback(json!({ "reason": "again", "environment": "dev" })).await;
    assert_eq!(code, 409, "{again}");
    let timeline = app.page(&format!("/trains/{TRAIN}")).await;
    assert!(
        timeline.contains("curve rolled back 3.0.0 → 2.4.1 in dev"),
        "the timeline shows each step"
    );
    let audited: (String, Option<String>) = sqlx::query_as(
        "SELECT action, reason FROM audit_record WHERE action LIKE 'train.rollback%'
         ORDER BY audit_record_id DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        audited,
        (
            "train.rollback_environment".into(),
            Some("k6 regressed in dev".into())
        )
    );
}
