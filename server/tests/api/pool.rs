//! A whole team opening the same page at the same moment: no render may hold
//! a pooled connection while it waits for another, so 64 concurrent renders
//! of any page share a pool of 4 without a time-out; and when the pool is
//! exhausted for longer than the acquire time-out, the answer is 503 with
//! `Retry-After`, never a 500.

use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::StatusCode;
use serde_json::Value;

const CLIENTS: usize = 64;

/// Every page and main API read of the demo, with the people who may see them.
async fn every_page(app: &TestApp) -> Vec<String> {
    let bundle: Value = app
        .get("/api/v1/release-trains/curve-1.9.3-release/evidence")
        .await
        .json()
        .await
        .expect("the sealed demo bundle");
    let artifact = bundle["artifacts"][0]["name"]
        .as_str()
        .expect("an artifact")
        .to_owned();
    let calendar: Value = app
        .get("/api/v1/calendar")
        .await
        .json()
        .await
        .expect("the calendar");
    let planned = calendar
        .as_array()
        .and_then(|entries| entries.iter().find_map(|e| e["train"].as_str()))
        .expect("a planned train")
        .to_owned();
    let mut pages: Vec<String> = [
        "/",
        "/calendar",
        "/calendar?view=month",
        "/calendar/freezes/new",
        "/calendar/hotfixes/new",
        "/calendar/tracks/dev",
        "/calendar/rotation",
        "/calendar.ics",
        "/trains",
        "/trains?state=validating",
        "/trains/curve-2.1-rollout",
        "/trains/backtesting-3.0-rollout",
        "/trains/curve-2.1-rollout/evidence",
        "/evidence",
        "/audit",
        "/audit?train=curve-2.1-rollout",
        "/admin",
        "/admin/policies",
        "/api/v1/release-trains",
        "/api/v1/release-trains/curve-2.1-rollout",
        "/api/v1/release-trains/curve-2.1-rollout/status",
        "/api/v1/release-trains/curve-2.1-rollout/promotions",
        "/api/v1/calendar",
        "/api/v1/tracks",
        "/api/v1/evidence",
        "/api/v1/promotion-policies",
    ]
    .map(str::to_owned)
    .to_vec();
    pages.push(format!("/calendar/trains/{planned}"));
    pages.push(format!("/trains/curve-1.9.3-release/evidence/{artifact}"));
    pages
}

#[tokio::test]
async fn sixty_four_concurrent_renders_of_every_page_share_a_pool_of_four_connections() {
    let app = spawn_app_with_sign_in(&[
        ("TRAINYARD_DB_MAX_CONNECTIONS", "4"),
        ("TRAINYARD_DB_ACQUIRE_TIMEOUT", "10s"),
        // Nothing shared: every one of the 64 requests renders its page.
        ("TRAINYARD_READ_CACHE_TTL", "0"),
    ])
    .await;
    // An admin sees every page (the owner's calendar forms read the same rows).
    let admin = sign_in(&app, "adam").await;
    for path in every_page(&app).await {
        let mut renders = tokio::task::JoinSet::new();
        for _ in 0..CLIENTS {
            let (admin, path) = (admin.clone(), path.clone());
            renders.spawn(async move { admin.get(&path).await.status() });
        }
        let answers = renders.join_all().await;
        let failed: Vec<_> = answers.iter().filter(|s| !s.is_success()).collect();
        assert!(
            failed.is_empty(),
            "{path}: {} of {CLIENTS} concurrent renders failed: {failed:?}",
            failed.len()
        );
    }
}

#[tokio::test]
async fn a_request_that_finds_every_connection_busy_is_answered_503_with_retry_after() {
    let app = crate::helpers::spawn_app(&[
        ("TRAINYARD_DB_MAX_CONNECTIONS", "1"),
        ("TRAINYARD_DB_ACQUIRE_TIMEOUT", "1s"),
    ])
    .await;
    // Hold the server's only connection: a write waits on a row this test
    // locks, so its transaction keeps the connection past the time-out.
    let mut blocker = app.pool.begin().await.expect("a transaction");
    sqlx::query("SELECT train_id FROM train WHERE name = 'curve-2.1-rollout' FOR UPDATE")
        .execute(&mut *blocker)
        .await
        .expect("lock the train");
    let stuck = {
        let app = app.clone();
        tokio::spawn(async move {
            app.api(
                reqwest::Method::POST,
                "/api/v1/release-trains/curve-2.1-rollout/gate-results",
                Some(serde_json::json!({"results": [{"participant": "curve", "gate": "quality_score", "value": 90}]})),
            )
            .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let api = app.get("/api/v1/release-trains").await;
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        api.headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap()),
        Some("1")
    );
    let body: Value = api.json().await.expect("a JSON error");
    assert_eq!(body["error"]["code"], "unavailable");
    let page = app.get("/trains").await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.headers().contains_key("retry-after"));
    blocker.rollback().await.expect("release the lock");
    let (code, _) = stuck.await.expect("the write finished");
    assert_eq!(
        code, 200,
        "the waiting write went through once the lock was released"
    );
}

/// A prepared statement planned once for all parameters cannot see how few
/// rows `= ANY($1)` picks; the server's connections plan every call, and
/// compile none (JIT costs more than the queries it would speed up).
#[tokio::test]
async fn the_servers_connections_plan_each_call_for_its_own_parameters_and_compile_none() {
    let (_, url, _pool) = super::helpers::fresh_database().await;
    let vars = std::collections::HashMap::from([("DATABASE_URL", url)]);
    let settings = server::config::Settings::from_lookup(|k| vars.get(k).cloned())
        .expect("settings from a database URL");
    for pool in [
        server::startup::connect(&settings).await.unwrap(),
        server::startup::connect_background(&settings)
            .await
            .unwrap(),
    ] {
        let mode: String = sqlx::query_scalar("SHOW plan_cache_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "force_custom_plan");
        let jit: String = sqlx::query_scalar("SHOW jit")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(jit, "off");
    }
}
