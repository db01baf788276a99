//! The ICS feed calendar clients subscribe to, and the live channel that
//! tells open pages a change was committed.

use crate::api_client::error_code;
use crate::calendar_edit::{next_open_train, post_form};
use crate::helpers::spawn_app;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn the_ics_feed_has_one_event_per_train_with_a_stable_uid_and_shows_edits() {
    let app = spawn_app_with_sign_in(&[]).await;
    let response = app.get("/calendar.ics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let feed = response.text().await.unwrap();
    assert!(feed.starts_with("BEGIN:VCALENDAR"), "{feed}");
    let (train, _) = next_open_train(&app).await;
    let uid = format!("UID:train-{train}@127.0.0.1");
    assert_eq!(feed.matches(&uid).count(), 1, "{feed}");

    let olivia = sign_in(&app, "olivia").await;
    let (code, body) = post_form(
        &olivia,
        "calendar/skip",
        &[("name", &train), ("reason", "chain ops re-roll")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let feed = app.get("/calendar.ics").await.text().await.unwrap();
    let event = feed
        .split("BEGIN:VEVENT")
        .find(|e| e.contains(&uid))
        .expect("the train keeps its UID after the edit");
    assert!(event.contains("STATUS:CANCELLED"), "{event}");
    assert!(event.contains("chain ops re-roll"), "{event}");

    let staging = app
        .get("/calendar.ics?track=staging")
        .await
        .text()
        .await
        .unwrap();
    assert!(staging.contains("SUMMARY:staging train"));
    assert!(!staging.contains("SUMMARY:dev train"));
    assert_eq!(app.get("/calendar.ics?track=nightly").await.status(), 404);
}

#[tokio::test]
async fn the_ics_feed_is_closed_when_anonymous_reading_is_off() {
    let app = spawn_app(&[("TRAINYARD_ANONYMOUS_READ", "0")]).await;
    assert_eq!(app.anonymous().get("/calendar.ics").await.status(), 401);
    assert_eq!(app.anonymous().get("/events").await.status(), 401);
}

/// Reads the event stream until a `change` for `resource` arrives.
async fn wait_for_change(mut stream: reqwest::Response, resource: &str) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no change for {resource} within 10 s; saw {seen}"))
            .expect("the stream stays open")
            .expect("the stream does not end");
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(line) = seen
            .lines()
            .find(|l| l.starts_with("data:") && l.contains(resource))
        {
            return line.to_owned();
        }
    }
}

#[tokio::test]
async fn a_committed_gate_result_reaches_every_open_event_stream_of_every_instance() {
    let app = spawn_app(&[]).await;
    // A second server on the same database: changes travel through Postgres.
    let other = crate::helpers::spawn_second_instance(&app).await;
    let streams = [
        app.anonymous()
            .request(Method::GET, "/events")
            .send()
            .await
            .unwrap(),
        other
            .anonymous()
            .request(Method::GET, "/events")
            .send()
            .await
            .unwrap(),
    ];
    for s in &streams {
        assert_eq!(s.status(), 200);
        assert!(s.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
    }
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains/curve-2.1-rollout/gate-results",
            Some(json!({ "results": [{ "participant": "backtesting", "gate": "quality_score", "value": 83 }] })),
        )
        .await;
    assert_eq!(code, 200, "{}", error_code(&body));
    for stream in streams {
        let line = wait_for_change(stream, "train:curve-2.1-rollout").await;
        assert!(line.contains("gate_results.record"), "{line}");
    }
}
