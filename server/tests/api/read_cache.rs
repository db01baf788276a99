//! Read models are shared while nothing changes, and never outlive a change:
//! a write answered by this instance shows on its very next read, and one
//! answered by another instance as soon as its notice arrives.

use crate::helpers::{spawn_app, spawn_second_instance_with, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn quality(app: &TestApp) -> Value {
    let status = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.1-rollout/status",
            None,
        )
        .await
        .1;
    let matrix = &status["gates"];
    let index = |list: &Value, wanted: &str, field: Option<&str>| {
        list.as_array()
            .and_then(|items| {
                items.iter().position(|i| match field {
                    Some(f) => i[f] == wanted,
                    None => i == wanted,
                })
            })
            .expect("in the matrix")
    };
    let p = index(&matrix["participants"], "backtesting", None);
    let g = index(&matrix["gates"], "quality", Some("name"));
    matrix["cells"][p][g]["observed"].clone()
}

async fn report(app: &TestApp, value: f64) {
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains/curve-2.1-rollout/gate-results",
            Some(json!({"results": [{"participant": "backtesting", "gate": "quality_score", "value": value}]})),
        )
        .await;
    assert_eq!(code, 200, "{body}");
}

#[tokio::test]
async fn a_write_shows_on_the_next_read_here_and_on_another_instance_once_it_hears() {
    let a = spawn_app(&[("TRAINYARD_READ_CACHE_TTL", "1h")]).await;
    // Entries that would live an hour: only the change notice can end them.
    let b = spawn_second_instance_with(&a, &[("TRAINYARD_READ_CACHE_TTL", "1h")]).await;
    let before = quality(&a).await;
    assert_eq!(quality(&a).await, before, "shared while nothing changes");
    assert_eq!(quality(&b).await, before);

    report(&a, 81.0).await;
    assert_eq!(
        quality(&a).await,
        json!("81"),
        "at once on the instance that wrote"
    );

    report(&a, 82.0).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while quality(&b).await != json!("82") {
        assert!(
            Instant::now() < deadline,
            "the other instance still answers from before the change"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
