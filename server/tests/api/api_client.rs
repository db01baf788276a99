//! Requests the API tests share.

use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

pub async fn create(app: &TestApp, body: Value) -> (u16, Value) {
    app.api(Method::POST, "/api/v1/release-trains", Some(body))
        .await
}

pub async fn transition(app: &TestApp, train: &str, to: &str) -> (u16, Value) {
    app.api(
        Method::PUT,
        &format!("/api/v1/release-trains/{train}"),
        Some(json!({ "status": to })),
    )
    .await
}

pub fn seed_train(name: &str) -> Value {
    json!({
        "name": name,
        "target_version": "curve-service:2.0.0",
        "participants": [
            "scenario",
            { "service": "curve", "target_version": "2.0.0", "previous_version": "1.9.3" },
            "backtesting"
        ],
        "dependencies": [{ "spec": "curves-api", "version": ">=2.0.0" }],
        "gates": [
            "all_participants_quality >=80",
            "no_open_critical_vulns",
            { "custom": "performance_regression < 10%" }
        ]
    })
}

pub async fn report_all_green(app: &TestApp, train: &str) {
    let mut results = Vec::new();
    for p in ["curve", "backtesting", "scenario"] {
        results.push(json!({
            "participant": p,
            "gate": "quality_score",
            "value": 90,
            "source": "ci",
            "url": format!("https://ci.example/{p}")
        }));
        results.push(json!({ "participant": p, "gate": "critical_vulns", "value": 0 }));
        results.push(json!({ "participant": p, "gate": "performance_regression", "value": 2.5 }));
    }
    let (code, body) = app
        .api(
            Method::POST,
            &format!("/api/v1/release-trains/{train}/gate-results"),
            Some(json!({ "results": results })),
        )
        .await;
    assert_eq!(code, 200, "{body}");
}

pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

/// Prod's default policy without its 10-minute wait, so that a test's second
/// approval promotes at once.
pub async fn prod_without_wait(app: &TestApp) {
    let mut prod = serde_json::to_value(app::domain::promotion::EnvironmentPolicy::defaults_for(
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
}

/// A freeze of every track, from a few minutes ago for two hours.
pub async fn freeze_everything_now(app: &TestApp, reason: &str) {
    let now = chrono::Utc::now();
    let freeze = app::services::calendar_edit::FreezeForm {
        starts_at: (now - chrono::Duration::minutes(5)).to_rfc3339(),
        ends_at: (now + chrono::Duration::hours(2)).to_rfc3339(),
        reason: reason.into(),
        tracks: vec![],
        effect: "block".into(),
    };
    app::services::calendar_edit::save_freeze(
        &app.pool,
        &app::services::actor::Actor::new("test"),
        None,
        &freeze,
        now,
    )
    .await
    .unwrap();
}

/// The same server, asked by a CI job that keeps the organisation's set-up
/// as code (a `config:write` token).
pub async fn config_job(app: &TestApp) -> TestApp {
    token_for(app, "config-as-code", "config:write").await
}

/// The same server, asked with a new token `name` holding `scopes`
/// (comma-separated), for every train.
pub async fn token_for(app: &TestApp, name: &str, scopes: &str) -> TestApp {
    let token = app::services::tokens::create_token(
        &app.pool,
        &app::services::actor::Actor::new("test"),
        name,
        scopes,
        "",
        "",
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    app.with_bearer(&token.secret)
}
