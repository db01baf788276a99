use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn tracks_calendar_and_service_status_read_the_model() {
    let app = spawn_app(&[]).await;
    let tracks = app.api(Method::GET, "/api/v1/tracks", None).await.1;
    let names: Vec<&str> = tracks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dev", "staging", "hotfix"]);
    let (code, trains) = app
        .api(
            Method::GET,
            "/api/v1/calendar?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z",
            None,
        )
        .await;
    assert_eq!(code, 200);
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM train WHERE planned_start IS NOT NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(trains.as_array().unwrap().len() as i64, stored);
    let (code, body) = app
        .api(
            Method::GET,
            "/api/v1/calendar?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            None,
        )
        .await;
    assert_eq!((code, body["error"]["field"].as_str()), (400, Some("to")));
    assert_eq!(
        app.api(Method::GET, "/api/v1/calendar?from=yesterday", None)
            .await
            .0,
        400
    );

    let scenario = app
        .api(Method::GET, "/api/v1/services/scenario/status", None)
        .await
        .1;
    assert_eq!(scenario["depends_on"], json!(["backtesting", "curve"]));
    let (code, body) = app
        .api(
            Method::PUT,
            "/api/v1/services/curve/status",
            Some(json!({ "status": "sleeping" })),
        )
        .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("status"))
    );
    let (code, body) = app
        .api(
            Method::PUT,
            "/api/v1/services/curve/status",
            Some(json!({ "status": "deployed", "version": "2.0.1", "health_status": "healthy" })),
        )
        .await;
    assert_eq!(code, 200);
    assert_eq!(
        (body["version"].as_str(), body["health_status"].as_str()),
        (Some("2.0.1"), Some("healthy"))
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/services/nope/status", None)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app(&[]).await;
    let (code, doc) = app.api(Method::GET, "/api/v1/openapi.json", None).await;
    assert_eq!(code, 200);
    let mut paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/api/v1/calendar",
            "/api/v1/release-trains",
            "/api/v1/release-trains/{name}",
            "/api/v1/release-trains/{name}/events",
            "/api/v1/release-trains/{name}/gate-results",
            "/api/v1/release-trains/{name}/rollback",
            "/api/v1/release-trains/{name}/rollback/status",
            "/api/v1/release-trains/{name}/status",
            "/api/v1/services/{name}/status",
            "/api/v1/tracks",
        ]
    );
    let train = &doc["paths"]["/api/v1/release-trains/{name}"];
    for method in ["get", "put", "delete"] {
        assert!(train[method].is_object(), "{method} is documented");
    }
    let schemas = &doc["components"]["schemas"];
    for schema in [
        "NewTrain",
        "TrainStatus",
        "GateMatrix",
        "RollbackPlan",
        "ErrorBody",
        "TrainState",
    ] {
        assert!(schemas[schema].is_object(), "{schema} is in the document");
    }
    assert_eq!(
        schemas["NewTrain"]["additionalProperties"],
        json!(false),
        "unknown fields are refused"
    );
}
