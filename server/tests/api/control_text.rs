//! Issue 17's 500s from bad text: a NUL or another control character in
//! any JSON string, path or query is a 400 naming where it is, and nothing
//! reaches the database.

use crate::helpers::spawn_app;
use serde_json::{json, Value};

async fn send(
    app: &crate::helpers::TestApp,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method.parse().unwrap(), format!("{}{path}", app.address))
        .bearer_auth(app.bearer.clone().unwrap());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn control_characters_are_refused_naming_the_field_never_a_500() {
    let app = spawn_app(&[]).await;
    let trains_before: i64 = sqlx::query_scalar("SELECT count(*) FROM train")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (code, body) = send(
        &app,
        "POST",
        "/api/v1/release-trains",
        Some(json!({ "name": "t", "participants": ["a\u{0}b"] })),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("participants[0]")),
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("U+0000"),
        "{body}"
    );

    let (code, body) = send(
        &app,
        "POST",
        "/api/v1/release-trains/curve-2.1-rollout/gate-results",
        Some(json!({ "results": [{ "participant": "curve", "gate": "x\u{0}", "value": 1 }] })),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("results[0].gate")),
        "{body}"
    );

    let (code, body) = send(
        &app,
        "PUT",
        "/api/v1/release-trains/curve-2.1-rollout",
        Some(json!({ "captain": "\u{7}\u{8}" })),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("captain")),
        "{body}"
    );

    let (code, body) = send(&app, "GET", "/api/v1/release-trains/a%00b", None).await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("path")),
        "{body}"
    );
    let (code, body) = send(&app, "GET", "/api/v1/release-trains?state=%1b", None).await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (400, Some("query")),
        "{body}"
    );

    // Line breaks in prose (a reason) are text, not control characters;
    // a one-line field (a gate result's source) refuses them.
    let (code, body) = send(
        &app,
        "PUT",
        "/api/v1/release-trains/Q4-curve-upgrade",
        Some(json!({ "captain": "Carl", "reason": "handed over:\nCarl is back" })),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = send(
        &app,
        "POST",
        "/api/v1/release-trains/curve-2.1-rollout/gate-results",
        Some(json!({ "results": [{ "participant": "curve", "gate": "quality_score", "value": 90, "source": "ci\nrun 7" }] })),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("results[0].source")),
        "{body}"
    );
    let trains_after: i64 = sqlx::query_scalar("SELECT count(*) FROM train")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(trains_before, trains_after);
}

/// Each kind of text has its parser, whichever path the text takes; a
/// finished train's record stays as it was; and the database itself
/// refuses what a future path might forget to parse.
#[tokio::test]
async fn people_versions_and_records_are_parsed_and_backed_by_the_database() {
    let app = spawn_app(&[]).await;
    let planned = "/api/v1/release-trains/Q4-curve-upgrade";
    let (code, body) = send(
        &app,
        "PUT",
        planned,
        Some(json!({ "captain": "x".repeat(201) })),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("captain")),
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most 200"),
        "{body}"
    );
    let (code, body) = send(
        &app,
        "PUT",
        planned,
        Some(json!({ "target_version": "2.0 beta" })),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("target_version")),
        "{body}"
    );
    let (code, body) = send(
        &app,
        "PUT",
        planned,
        Some(json!({ "captain": "  Carl Captain " })),
    )
    .await;
    assert_eq!(
        (code, body["captain"].as_str()),
        (200, Some("Carl Captain")),
        "{body}"
    );

    let finished: String =
        sqlx::query_scalar("SELECT name FROM train WHERE state = 'completed' LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let path = format!("/api/v1/release-trains/{finished}");
    let (code, body) = send(
        &app,
        "PUT",
        &path,
        Some(json!({ "target_version": "9.9.9" })),
    )
    .await;
    assert_eq!(code, 409, "{body}");

    // A page's form: refused before any server function reads it.
    let response = app
        .client
        .post(format!("{}/sfn/calendar/skip", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("train=x&reason=a%07b")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "reason", "{body}");

    let refused =
        sqlx::query("UPDATE train SET captain = E'a\\x01b' WHERE name = 'Q4-curve-upgrade'")
            .execute(&app.pool)
            .await
            .unwrap_err();
    assert!(
        refused.to_string().contains("train_captain_one_line"),
        "{refused}"
    );
}
