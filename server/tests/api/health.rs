use crate::helpers::{admin_execute, spawn_app};
use serde_json::Value;

#[tokio::test]
async fn healthz_says_the_process_is_alive() {
    let app = spawn_app(&[]).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_reports_the_database_and_every_migration_applied() {
    let app = spawn_app(&[]).await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], "ok");
    assert_eq!(
        body["migrations"]["applied"],
        body["migrations"]["expected"]
    );
    assert!(body["migrations"]["expected"].as_i64().unwrap() >= 1);
}

#[tokio::test]
async fn readyz_is_unavailable_when_the_database_refuses_connections() {
    let app = spawn_app(&[]).await;
    app.pool.close().await;
    let db = &app.db_name;
    admin_execute(&format!(
        r#"ALTER DATABASE "{db}" WITH ALLOW_CONNECTIONS false"#
    ))
    .await;
    admin_execute(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"
    ))
    .await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["database"], "unreachable");
    // The process itself is still alive.
    assert_eq!(app.get("/healthz").await.status(), 200);
}
