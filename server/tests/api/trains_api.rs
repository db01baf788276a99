use crate::helpers::{spawn_app, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn create(app: &TestApp, body: Value) -> (u16, Value) {
    app.api(Method::POST, "/api/v1/release-trains", Some(body))
        .await
}

async fn transition(app: &TestApp, train: &str, to: &str) -> (u16, Value) {
    app.api(
        Method::PUT,
        &format!("/api/v1/release-trains/{train}"),
        Some(json!({ "status": to })),
    )
    .await
}

fn seed_train(name: &str) -> Value {
    json!({
        "name": name,
        "target_version": "curve-service:2.0.0",
        "participants": [
            "scenario",
            { "service": "curve", "target_version": "2.0.0", "previous_version": "1.9.3" },
            "backtesting"
        ],
        "dependencies": [{ "spec": "curves-api", "version": ">=2.0.0" }],
        "gates": ["all_participants_quality >=80", "no_open_critical_vulns", { "custom": "performance_regression < 10%" }]
    })
}

async fn report_all_green(app: &TestApp, train: &str) {
    let mut results = Vec::new();
    for p in ["curve", "backtesting", "scenario"] {
        results.push(json!({ "participant": p, "gate": "quality_score", "value": 90, "source": "ci", "url": format!("https://ci.example/{p}") }));
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

fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_train_is_planned_validated_executed_in_dependency_order_and_completed_through_the_api() {
    let app = spawn_app(&[]).await;
    let (code, body) = create(&app, seed_train("curve-2.0-rollout")).await;
    assert_eq!(code, 201, "{body}");
    let order: Vec<&str> = body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["service"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["curve", "backtesting", "scenario"]);
    assert_eq!(body["state"], "planning");
    assert_eq!(body["requirements"][0]["name"], "curves-api");

    assert_eq!(
        transition(&app, "curve-2.0-rollout", "validating").await.0,
        200
    );
    let (code, body) = transition(&app, "curve-2.0-rollout", "staging").await;
    assert_eq!(code, 409, "gates are still pending");
    assert_eq!(
        body["error"]["message"],
        "validating → staging needs every blocking gate to pass"
    );
    let status = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.0-rollout/status",
            None,
        )
        .await
        .1;
    assert_eq!(
        status["blockers"].as_array().unwrap().len(),
        9,
        "3 participants × 3 gates pending"
    );

    report_all_green(&app, "curve-2.0-rollout").await;
    let status = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.0-rollout/status",
            None,
        )
        .await
        .1;
    assert_eq!(status["blockers"], json!([]));
    assert_eq!(status["gates"]["cells"][0][0]["status"], "passed");
    assert_eq!(
        status["gates"]["cells"][0][0]["url"],
        "https://ci.example/curve"
    );
    assert_eq!(
        transition(&app, "curve-2.0-rollout", "staging").await.0,
        200
    );
    assert_eq!(
        transition(&app, "curve-2.0-rollout", "executing").await.0,
        200
    );

    // Services are released in dependency order: scenario must wait.
    let deployed = |v: &str| json!({ "status": "deployed", "version": v });
    let (code, body) = app
        .api(
            Method::PUT,
            "/api/v1/services/scenario/status",
            Some(deployed("2.0.0")),
        )
        .await;
    assert_eq!(code, 409);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("curve comes first"),
        "{body}"
    );
    for service in ["curve", "backtesting", "scenario"] {
        let (code, body) = app
            .api(
                Method::PUT,
                &format!("/api/v1/services/{service}/status"),
                Some(deployed("2.0.0")),
            )
            .await;
        assert_eq!(code, 200, "{service}: {body}");
    }
    let status = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.0-rollout/status",
            None,
        )
        .await
        .1;
    assert_eq!(status["progress"], 100.0);
    assert_eq!(
        transition(&app, "curve-2.0-rollout", "verifying").await.0,
        200
    );
    let (code, body) = transition(&app, "curve-2.0-rollout", "completed").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["state"], "completed");

    let detail = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.0-rollout",
            None,
        )
        .await
        .1;
    let steps: Vec<String> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "transition")
        .map(|e| {
            format!(
                "{}→{}",
                e["from_state"].as_str().unwrap(),
                e["to_state"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "planning→validating",
            "validating→staging",
            "staging→executing",
            "executing→verifying",
            "verifying→completed"
        ]
    );
    let kinds: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"created"));
    assert_eq!(kinds.iter().filter(|k| **k == "participant").count(), 3);
    assert!(kinds.contains(&"gate_results"));
}

#[tokio::test]
async fn a_rollback_is_previewed_in_reverse_order_then_executed_with_its_reason() {
    let app = spawn_app(&[]).await;
    assert_eq!(create(&app, seed_train("rb")).await.0, 201);
    report_all_green(&app, "rb").await;
    for to in ["validating", "staging", "executing"] {
        assert_eq!(transition(&app, "rb", to).await.0, 200, "{to}");
    }
    let path = "/api/v1/release-trains/rb/rollback";
    let (code, body) = app
        .api(Method::POST, path, Some(json!({ "reason": "  " })))
        .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("reason"))
    );

    let (code, plan) = app
        .api(
            Method::POST,
            path,
            Some(json!({ "reason": "p95 regression", "dry_run": true })),
        )
        .await;
    assert_eq!(code, 200, "{plan}");
    let services: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["scenario", "backtesting", "curve"]);
    assert_eq!(plan["steps"][2]["from_version"], "2.0.0");
    assert_eq!(plan["steps"][2]["to_version"], "1.9.3");
    let state = app
        .api(Method::GET, "/api/v1/release-trains/rb/status", None)
        .await
        .1["state"]
        .clone();
    assert_eq!(state, "executing", "a dry run changes nothing");
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/release-trains/rb/rollback/status",
            None
        )
        .await
        .0,
        404
    );

    let (code, done) = app
        .api(
            Method::POST,
            path,
            Some(json!({ "reason": "p95 regression" })),
        )
        .await;
    assert_eq!(code, 200, "{done}");
    let status = app
        .api(Method::GET, "/api/v1/release-trains/rb/status", None)
        .await
        .1;
    assert_eq!(status["state"], "rolled_back");
    assert_eq!(status["status_reason"], "p95 regression");
    assert!(status["participants"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["status"] == "rolled_back"));
    let recorded = app
        .api(
            Method::GET,
            "/api/v1/release-trains/rb/rollback/status",
            None,
        )
        .await
        .1;
    assert_eq!(recorded["steps"], done["steps"]);
    assert_eq!(recorded["reason"], "p95 regression");
    let (code, body) = app
        .api(Method::POST, path, Some(json!({ "reason": "again" })))
        .await;
    assert_eq!(code, 409);
    assert_eq!(
        body["error"]["message"],
        "a train cannot go from rolled_back to rolled_back"
    );
}

#[tokio::test]
async fn every_error_class_has_its_status_and_a_json_body() {
    let app = spawn_app(&[]).await;
    let raw = app
        .client
        .post(format!("{}/api/v1/release-trains", app.address))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    assert_eq!(error_code(&raw.json().await.unwrap()), "bad_request");

    let (code, body) = create(&app, json!({ "name": "x", "colour": "red" })).await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("colour")),
        "unknown fields are refused"
    );
    let (code, body) = create(&app, json!({ "name": "bad name!" })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (400, Some("name")));
    let (code, body) = create(
        &app,
        json!({ "name": "t", "participants": ["curve", "nope"] }),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("participants[1]"))
    );
    let (code, body) = create(&app, json!({ "name": "t", "gates": [{ "custom": "a <" }] })).await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("gates[0]"))
    );
    let (code, body) = create(
        &app,
        json!({ "name": "t", "dependencies": [{ "spec": "x", "version": ">=two" }] }),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("dependencies[0]"))
    );

    assert_eq!(
        create(&app, json!({ "name": "t", "participants": ["curve"] }))
            .await
            .0,
        201
    );
    let (code, body) = create(&app, json!({ "name": "t" })).await;
    assert_eq!((code, error_code(&body)), (409, "conflict"));
    let (code, body) = transition(&app, "t", "completed").await;
    assert_eq!(code, 409);
    assert_eq!(
        body["error"]["message"],
        "a train cannot go from planning to completed"
    );
    let (code, body) = app
        .api(Method::GET, "/api/v1/release-trains/missing/status", None)
        .await;
    assert_eq!((code, error_code(&body)), (404, "not_found"));
    assert_eq!(
        app.api(Method::GET, "/api/v1/no-such-route", None).await.0,
        404
    );

    // A dependency cycle among participants is a semantic error naming the services.
    for name in ["alpha", "beta"] {
        sqlx::query("INSERT INTO service (name) VALUES ($1)")
            .bind(name)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO service_dependency SELECT a.service_id, b.service_id FROM service a, service b
         WHERE (a.name, b.name) IN (('alpha', 'beta'), ('beta', 'alpha'))",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let (code, body) = create(
        &app,
        json!({ "name": "cyclic", "participants": ["alpha", "beta"] }),
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(
        body["error"]["message"],
        "dependency cycle between alpha → beta → alpha"
    );
    let trains: i64 = sqlx::query_scalar("SELECT count(*) FROM train WHERE name = 'cyclic'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(trains, 0, "a refused create writes nothing");
}

#[tokio::test]
async fn only_a_train_in_planning_can_be_deleted() {
    let app = spawn_app(&[]).await;
    assert_eq!(
        create(&app, json!({ "name": "d1", "participants": ["curve"] }))
            .await
            .0,
        201
    );
    assert_eq!(transition(&app, "d1", "validating").await.0, 200);
    let (code, body) = app
        .api(Method::DELETE, "/api/v1/release-trains/d1", None)
        .await;
    assert_eq!(code, 409);
    assert_eq!(
        body["error"]["message"],
        "only a train in planning can be deleted; d1 is validating"
    );
    assert_eq!(create(&app, json!({ "name": "d2" })).await.0, 201);
    assert_eq!(
        app.send(Method::DELETE, "/api/v1/release-trains/d2", None)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/release-trains/d2", None)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn gate_results_are_all_or_nothing_and_the_newest_wins() {
    let app = spawn_app(&[]).await;
    assert_eq!(
        create(
            &app,
            json!({ "name": "g", "participants": ["curve"], "gates": [{ "check": "unit-tests" }] })
        )
        .await
        .0,
        201
    );
    let path = "/api/v1/release-trains/g/gate-results";
    let (code, body) = app
        .api(
            Method::POST,
            path,
            Some(json!({ "results": [
            { "participant": "curve", "gate": "unit-tests", "passed": true },
            { "participant": "scenario", "gate": "unit-tests", "passed": true }
        ] })),
        )
        .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("results[1].participant"))
    );
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM gate_result")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "the valid first result was not kept either");
    let (code, body) =
        app.api(Method::POST, path, Some(json!({ "results": [{ "participant": "curve", "gate": "x", "value": 1, "passed": true }] }))).await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("results[0]"))
    );

    for passed in [false, true] {
        let r = json!({ "results": [{ "participant": "curve", "gate": "unit-tests", "passed": passed }] });
        assert_eq!(app.api(Method::POST, path, Some(r)).await.0, 200);
    }
    let status = app
        .api(Method::GET, "/api/v1/release-trains/g/status", None)
        .await
        .1;
    assert_eq!(status["gates"]["cells"][0][0]["status"], "passed");
    assert_eq!(status["blockers"], json!([]));
}

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
