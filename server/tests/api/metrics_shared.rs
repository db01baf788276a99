//! The metrics and what runs where are computed once per change for every
//! reader: kept for an hour here, they still show a deploy on the very next
//! read of everyone, and keeping them never lets in whom reading refuses.

use crate::api_client::token_for;
use crate::deployments::{deploy, set_up};
use crate::helpers::{spawn_app, TestApp};
use reqwest::Method;
use serde_json::Value;

const FREQUENCY: &str = "/api/v1/metrics/dora/deployment_frequency?environment=prod&days=7";

async fn read(who: &TestApp, path: &str) -> Value {
    let (code, body) = who.api(Method::GET, path, None).await;
    assert_eq!(code, 200, "{path}: {body}");
    body
}

/// Deploys to prod in the window, as `who` reads them.
async fn deploys(who: &TestApp) -> Value {
    read(who, FREQUENCY).await["counted"].clone()
}

/// The version of curve running in prod, as `who` reads it.
async fn curve_in_prod(who: &TestApp) -> Value {
    let matrix = read(who, "/api/v1/running").await;
    let column = matrix["environments"]
        .as_array()
        .and_then(|e| e.iter().position(|e| e == "prod"))
        .expect("prod is a column");
    let row = matrix["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["service"] == "curve"))
        .expect("curve is a row")
        .clone();
    row["cells"][column]["version"].clone()
}

#[tokio::test]
async fn every_reader_sees_a_deploy_on_their_next_read_of_what_is_kept_for_all() {
    let app = spawn_app(&[
        ("TRAINYARD_READ_CACHE_TTL", "1h"),
        ("TRAINYARD_ANONYMOUS_READ", "0"),
    ])
    .await;
    set_up(&app).await;
    let other = token_for(&app, "pager", "incidents:write").await;
    assert_eq!(deploys(&app).await, 0);
    assert_eq!(deploys(&other).await, 0);
    assert_eq!(curve_in_prod(&other).await, Value::Null);
    let success = read(&other, "/api/v1/metrics/success").await;

    let cd = token_for(&app, "cd", "deployments:write").await;
    let report = deploy("curve", "2.1.1", "prod", "succeeded", "run-shared-1");
    let (code, body) = cd
        .api(Method::POST, "/api/v1/deployments", Some(report))
        .await;
    assert_eq!(code, 201, "{body}");

    assert_eq!(
        deploys(&other).await,
        1,
        "the kept answer ends with a change"
    );
    assert_eq!(deploys(&app).await, 1);
    assert_eq!(curve_in_prod(&app).await, "2.1.1");
    assert_eq!(curve_in_prod(&other).await, "2.1.1");
    assert_ne!(read(&other, "/api/v1/metrics/success").await, success);

    for path in [FREQUENCY, "/api/v1/running", "/api/v1/metrics/success"] {
        let refused = app.anonymous().get(path).await;
        assert_eq!(
            refused.status(),
            401,
            "{path} is kept, yet not for a visitor"
        );
    }
}
