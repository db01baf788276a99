//! The service catalog through the API, from an empty install: services are
//! added with owners and dependencies, changed, refused with the field or
//! the cycle named, and retired only when nothing open needs them. Every
//! change leaves its audit record, and a refused one leaves nothing.

use crate::api_client::{config_job, create};
use crate::helpers::{spawn_app, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

/// An empty install, and a CI job's token that may set it up.
async fn empty_install() -> (TestApp, TestApp) {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let config = config_job(&app).await;
    (app, config)
}

async fn add(config: &TestApp, body: Value) -> (u16, Value) {
    config
        .api(Method::POST, "/api/v1/services", Some(body))
        .await
}

async fn audited(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_record WHERE action = $1")
        .bind(action)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// db ← api ← web, with owners and a repository.
async fn three_services(config: &TestApp) {
    for body in [
        json!({ "name": "db", "description": "Postgres proxy", "owners": ["group:platform"] }),
        json!({ "name": "api", "depends_on": ["db"], "owners": ["alice", "group:backend"],
                "repository": "git@github.com:acme/api.git" }),
        json!({ "name": "web", "depends_on": ["api", "db"] }),
    ] {
        let (code, created) = add(config, body).await;
        assert_eq!(code, 201, "{created}");
    }
}

#[tokio::test]
async fn an_empty_install_gets_its_catalog_through_the_api() {
    let (app, config) = empty_install().await;
    let (code, empty) = app.api(Method::GET, "/api/v1/services", None).await;
    assert_eq!((code, empty), (200, json!([])));
    three_services(&config).await;

    let (code, api) = app.api(Method::GET, "/api/v1/services/api", None).await;
    assert_eq!(code, 200, "{api}");
    assert_eq!(api["depends_on"], json!(["db"]));
    assert_eq!(api["dependents"], json!(["web"]));
    assert_eq!(api["owners"], json!(["alice", "group:backend"]));
    assert_eq!(api["repository"], "git@github.com:acme/api.git");
    let (_, list) = app.api(Method::GET, "/api/v1/services", None).await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["api", "db", "web"]);

    let (code, changed) = config
        .api(
            Method::PUT,
            "/api/v1/services/web",
            Some(json!({ "description": "The shop", "depends_on": ["api"] })),
        )
        .await;
    assert_eq!(code, 200, "{changed}");
    assert_eq!(changed["depends_on"], json!(["api"]));
    assert_eq!(changed["description"], "The shop");
    assert_eq!(audited(&app, "service.register").await, 3);
    assert_eq!(audited(&app, "service.update").await, 1);

    // A train over the new catalog releases it in dependency order.
    let train = json!({ "name": "first", "participants": ["web", "db", "api"] });
    let (code, created) = create(&app, train).await;
    assert_eq!(code, 201, "{created}");
    let order: Vec<&str> = created["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["service"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["db", "api", "web"]);
}

#[tokio::test]
async fn bad_services_are_refused_naming_the_field_or_the_cycle_and_change_nothing() {
    let (app, config) = empty_install().await;
    three_services(&config).await;
    let records = audited(&app, "service.register").await;

    let cases = [
        (json!({ "name": "api" }), 409, None),
        (json!({ "name": "Bad Name" }), 422, Some("name")),
        (
            json!({ "name": "x", "description": "nul \u{0} here" }),
            400,
            Some("description"),
        ),
        (
            json!({ "name": "x", "repository": "ftp://h/x" }),
            422,
            Some("repository"),
        ),
        (
            json!({ "name": "x", "owners": ["group:"] }),
            422,
            Some("owners[0]"),
        ),
        (
            json!({ "name": "x", "depends_on": ["nope"] }),
            422,
            Some("depends_on[0]"),
        ),
        (json!({ "name": "x", "colour": "red" }), 400, Some("colour")),
    ];
    for (body, status, field) in cases {
        let (code, error) = add(&config, body.clone()).await;
        assert_eq!(code, status, "{body}: {error}");
        if let Some(field) = field {
            assert_eq!(error["error"]["field"], field, "{body}: {error}");
        }
    }

    let (code, cycle) = config
        .api(
            Method::PUT,
            "/api/v1/services/db",
            Some(json!({ "depends_on": ["web"] })),
        )
        .await;
    assert_eq!(code, 422, "{cycle}");
    let message = cycle["error"]["message"].as_str().unwrap();
    for service in ["db", "api", "web"] {
        assert!(
            message.contains(service),
            "the cycle names {service}: {message}"
        );
    }
    let (code, renamed) = config
        .api(
            Method::PUT,
            "/api/v1/services/db",
            Some(json!({ "name": "database" })),
        )
        .await;
    assert_eq!(
        (code, renamed["error"]["field"].as_str()),
        (422, Some("name")),
        "{renamed}"
    );

    let (_, db) = app.api(Method::GET, "/api/v1/services/db", None).await;
    assert_eq!(
        db["depends_on"],
        json!([]),
        "a refused change changes nothing"
    );
    assert_eq!(audited(&app, "service.register").await, records);
    assert_eq!(audited(&app, "service.update").await, 0);
    let (code, _) = app.api(Method::GET, "/api/v1/services/x", None).await;
    assert_eq!(code, 404);
}

#[tokio::test]
async fn a_service_retires_only_when_no_open_train_or_service_needs_it() {
    let (app, config) = empty_install().await;
    three_services(&config).await;
    let (code, created) = create(
        &app,
        json!({ "name": "open-one", "participants": ["api", "db"] }),
    )
    .await;
    assert_eq!(code, 201, "{created}");

    let retire = |name: &str, reason: &str| {
        let path = format!("/api/v1/services/{name}?reason={reason}");
        let config = config.clone();
        async move { config.api(Method::DELETE, &path, None).await }
    };
    let (code, refused) = retire("db", "moved").await;
    assert_eq!(code, 409, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("api, web depend on db"),
        "{refused}"
    );
    let (code, refused) = config
        .api(Method::DELETE, "/api/v1/services/web", None)
        .await;
    assert_eq!(code, 400, "a retirement says why: {refused}");

    let (code, retired) = retire("web", "replaced%20by%20the%20app").await;
    assert_eq!(code, 200, "{retired}");
    assert!(retired["retired_at"].is_string(), "{retired}");
    let (code, refused) = retire("api", "moved").await;
    assert_eq!(code, 409, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("open-one"),
        "{refused}"
    );

    let (code, refused) = create(&app, json!({ "name": "late", "participants": ["web"] })).await;
    assert_eq!(code, 422, "a retired service joins no new train: {refused}");
    let (_, active) = app.api(Method::GET, "/api/v1/services", None).await;
    assert_eq!(active.as_array().unwrap().len(), 2, "{active}");
    let (_, all) = app
        .api(Method::GET, "/api/v1/services?retired=true", None)
        .await;
    assert_eq!(all.as_array().unwrap().len(), 3, "{all}");
    let (code, back) = add(&config, json!({ "name": "web", "depends_on": ["api"] })).await;
    assert_eq!(code, 201, "a retired service can be added again: {back}");
    assert!(back["retired_at"].is_null(), "{back}");
    let (_, record): (i64, Option<String>) = sqlx::query_as(
        "SELECT count(*), max(reason) FROM audit_record WHERE action = 'service.retire'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(record.as_deref(), Some("replaced by the app"));
    assert_eq!(
        app::services::audit::verify_chain(&app.pool).await.ok(),
        Some(
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_record")
                .fetch_one(&app.pool)
                .await
                .unwrap() as usize
        )
    );
}

#[tokio::test]
async fn a_caller_who_may_not_manage_services_is_refused_before_the_body_is_read() {
    let (app, _) = empty_install().await;
    for (who, expected) in [(app.anonymous(), 401), (app.clone(), 403)] {
        let response = who
            .request(Method::POST, "/api/v1/services")
            .header("content-type", "application/json")
            .body("{ this is not json")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), expected);
    }
}
