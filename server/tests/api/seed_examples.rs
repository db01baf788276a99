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
