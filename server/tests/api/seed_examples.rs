//! Seed 002's request examples, as written: what works works, and what
//! cannot (a progress set by hand) is a 422 that says what to do instead.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn seed_002s_update_example_is_refused_saying_how_progress_is_reported() {
    let app = spawn_app(&[]).await;
    let url = format!("{}/api/v1/release-trains/Q4-curve-upgrade", app.address);
    let response = app
        .client
        .put(&url)
        .bearer_auth(app.bearer.clone().unwrap())
        .json(&json!({ "status": "executing", "progress": 45.5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["field"], "progress", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/services/{name}/status"),
        "{body}"
    );
    let state: String =
        sqlx::query_scalar("SELECT state FROM train WHERE name = 'Q4-curve-upgrade'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(state, "planning", "nothing changed");
    // Without progress, the state is what the state machine says.
    let response = app
        .client
        .put(&url)
        .bearer_auth(app.bearer.clone().unwrap())
        .json(&json!({ "status": "executing" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409, "planning cannot jump to executing");
}

/// Seed 002's "Release Train Management", "Service Management" and
/// "Rollback" examples, in the order a reader would try them, with the
/// bodies exactly as the seed prints them. (Its monitoring routes come
/// with the metrics work.)
#[tokio::test]
async fn every_seed_002_request_example_is_answered_as_documented() {
    let app = spawn_app(&[]).await;
    let train = "/api/v1/release-trains/Q4-curve-upgrade";
    let call = |method: &str, path: &str, body: Option<serde_json::Value>| {
        let request = app.request(method.parse().unwrap(), path);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            (status, serde_json::from_str(&text).unwrap_or(json!(text)))
        }
    };
    // The demo plans this train; the delete example removes it so that the
    // create example can make it again.
    assert_eq!(call("DELETE", train, None).await.0, 204);
    let (code, body) = call(
        "POST",
        "/api/v1/release-trains",
        Some(json!({
          "name": "Q4-curve-upgrade",
          "target_version": "curve-service:2.0.0",
          "participants": ["curve", "backtesting", "scenario"],
          "dependencies": [{"spec": "curves-api", "version": ">=2.0.0"}],
          "gates": ["all_participants_quality >=80", "no_open_critical_vulns"]
        })),
    )
    .await;
    assert_eq!(code, 201, "{body}");
    let (code, status) = call("GET", &format!("{train}/status"), None).await;
    assert_eq!(
        (code, status["state"].as_str()),
        (200, Some("planning")),
        "{status}"
    );
    assert_eq!(status["target_version"], "curve-service:2.0.0");
    let (code, body) = call(
        "PUT",
        train,
        Some(json!({ "status": "executing", "progress": 45.5 })),
    )
    .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("progress"))
    );
    let (code, _) = call("GET", "/api/v1/services/curve/status", None).await;
    assert_eq!(code, 200);
    let (code, body) = call(
        "PUT",
        "/api/v1/services/curve/status",
        Some(json!({ "status": "deployed", "version": "2.0.0", "health_status": "healthy" })),
    )
    .await;
    assert_eq!(
        (code, body["version"].as_str()),
        (200, Some("2.0.0")),
        "{body}"
    );
    // Nothing of a train still being planned has been released: the
    // rollback example is refused saying so, and there is no rollback.
    let (code, body) = call(
        "POST",
        &format!("{train}/rollback"),
        Some(json!({ "reason": "Performance regression detected", "force": false })),
    )
    .await;
    assert_eq!(code, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("planning"),
        "{body}"
    );
    let (code, body) = call("GET", &format!("{train}/rollback/status"), None).await;
    assert_eq!(code, 404, "{body}");
    assert_eq!(call("DELETE", train, None).await.0, 204);
    assert_eq!(call("GET", &format!("{train}/status"), None).await.0, 404);
}
