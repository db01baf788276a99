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

#[tokio::test]
async fn readyz_names_the_identity_provider_it_signs_in_with() {
    let app = crate::oidc::spawn_app_with_sign_in(&[]).await;
    let body: Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["sign_in"]["status"], "ok");
    assert_eq!(
        body["sign_in"]["issuer"],
        format!("{}/", crate::oidc::issuer())
    );
}

#[tokio::test]
async fn an_unreachable_identity_provider_stops_start_up_with_the_variable_named() {
    let (_, url, _) = crate::helpers::fresh_database().await;
    let evidence = crate::helpers::evidence_dir();
    let vars = std::collections::HashMap::from([
        ("DATABASE_URL", url),
        ("TRAINYARD_ADDR", "127.0.0.1:0".to_owned()),
        ("OIDC_ISSUER_URL", "http://127.0.0.1:9".to_owned()),
        (
            "TRAINYARD_EVIDENCE_STORE",
            evidence.path().display().to_string(),
        ),
    ]);
    let settings = server::config::Settings::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let Err(error) = server::Application::build(settings).await else {
        panic!("started without its identity provider");
    };
    let message = format!("{error:#}");
    assert!(
        message.contains("OIDC_ISSUER_URL=http://127.0.0.1:9"),
        "{message}"
    );
}
