use crate::api_client::*;
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn every_error_class_has_its_status_and_a_json_body() {
    let app = spawn_app(&[]).await;
    let raw = app
        .client
        .post(format!("{}/api/v1/release-trains", app.address))
        .bearer_auth(app.bearer.clone().unwrap())
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
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("name")));
    let (code, body) = create(
        &app,
        json!({ "name": "t", "participants": ["curve", "nope"] }),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("participants[1]"))
    );
    let (code, body) = create(
        &app,
        json!({ "name": "t", "gates": [{ "check": "unit-tests", "advisroy": true }] }),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("gates[0]")),
        "a misspelt key is refused, not dropped: {body}"
    );
    assert!(body.to_string().contains("advisroy"), "{body}");
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
        (422, Some("dependencies[0]"))
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
    let stored: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM gate_result JOIN train USING (train_id) WHERE train.name = 'g'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0, "the valid first result was not kept either");
    let result = json!({ "participant": "curve", "gate": "x", "value": 1, "passed": true });
    let (code, body) = app
        .api(Method::POST, path, Some(json!({ "results": [result] })))
        .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("results[0]"))
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
