//! A train's gates change with the train: its captain sets them while it is
//! in planning; once it runs only an admin does, with a reason, and every
//! change is in the audit trail.

use crate::api_client::{seed_train, transition};
use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;
use serde_json::{json, Value};

async fn put_gates(who: &TestApp, body: Value) -> (u16, Value) {
    let response = who
        .request(Method::PUT, "/api/v1/release-trains/gated/gates")
        .header("origin", &who.address)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn gates(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT g.name FROM gate_definition g JOIN train t USING (train_id)
         WHERE t.name = 'gated' ORDER BY g.position",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_captain_sets_gates_in_planning_and_an_admin_with_a_reason_after() {
    let app = spawn_app_with_sign_in(&[]).await;
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains",
            Some(seed_train("gated")),
        )
        .await;
    assert_eq!(code, 201, "{body}");
    let (carl, adam, val) = (
        sign_in(&app, "carl").await,
        sign_in(&app, "adam").await,
        sign_in(&app, "val").await,
    );

    let checks = json!({ "gates": [{ "check": "build" }, { "check": "unit-tests" }] });
    assert_eq!(put_gates(&val, checks.clone()).await.0, 403, "a viewer");
    assert_eq!(put_gates(&app.anonymous(), checks.clone()).await.0, 401);
    let (code, refused) = put_gates(&carl, json!({ "gates": ["fastest_wins"] })).await;
    assert_eq!(
        (code, refused["error"]["field"].clone()),
        (422, json!("gates[0]"))
    );
    let (code, status) = put_gates(&carl, checks).await;
    assert_eq!(code, 200, "{status}");
    assert_eq!(gates(&app).await, ["build", "unit-tests"]);

    assert_eq!(transition(&app, "gated", "validating").await.0, 200);
    let more = json!({ "gates": [{ "check": "build" }] });
    let (code, body) = put_gates(&carl, more.clone()).await;
    assert_eq!(code, 403, "the captain, after planning: {body}");
    assert!(body.to_string().contains("only an admin"), "{body}");
    let (code, body) = put_gates(&adam, more.clone()).await;
    assert_eq!(
        (code, body["error"]["field"].clone()),
        (422, json!("reason"))
    );
    let with_reason =
        json!({ "gates": [{ "check": "build" }], "reason": "unit tests moved into build" });
    assert_eq!(put_gates(&adam, with_reason).await.0, 200);
    assert_eq!(gates(&app).await, ["build"]);

    let trail: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT actor, reason FROM audit_record WHERE action = 'train.gates' ORDER BY audit_record_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        trail,
        [
            ("carl".to_owned(), None),
            (
                "adam".to_owned(),
                Some("unit tests moved into build".to_owned())
            )
        ]
    );
    let page = carl.page("/trains/gated").await;
    assert!(page.contains("gates set: build"), "the timeline says so");
}
