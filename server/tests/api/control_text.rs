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
        (400, Some("results[0].source")),
        "{body}"
    );
    let trains_after: i64 = sqlx::query_scalar("SELECT count(*) FROM train")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(trains_before, trains_after);
}
