//! CI tokens limited to the trains of some tracks, or to some trains by
//! name, through HTTP: such a token acts on its trains, is refused (naming
//! its reach) on every other train and on what all tracks share, and still
//! reads everything. Each test builds its own organisation: two tracks,
//! north and south, one service and a few trains.

use crate::api_client::{config_job, create, transition};
use crate::calendar_edit::post_form;
use crate::helpers::{spawn_app, TestApp};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use app::services::actor::Actor;
use reqwest::Method;
use serde_json::{json, Value};

/// A train of `track` (with its tag) or of none.
fn train(name: &str, slot: Option<(&str, &str)>) -> Value {
    let mut train = json!({ "name": name, "participants": ["ledger"] });
    if let Some((track, tag)) = slot {
        train["track"] = json!(track);
        train["tag"] = json!(tag);
    }
    train
}

/// Tracks north and south, service ledger, and trains n-1 and n-2 on
/// north, s-1 on south and loose-1 on no track.
async fn organisation(app: &TestApp) {
    let config = config_job(app).await;
    for (path, body) in [
        ("/api/v1/tracks", json!({ "name": "north" })),
        ("/api/v1/tracks", json!({ "name": "south" })),
        ("/api/v1/services", json!({ "name": "ledger" })),
    ] {
        let (code, answer) = config.api(Method::POST, path, Some(body)).await;
        assert_eq!(code, 201, "{path}: {answer}");
    }
    for body in [
        train("n-1", Some(("north", "v1.0.0-north.1"))),
        train("n-2", Some(("north", "v1.0.0-north.2"))),
        train("s-1", Some(("south", "v1.0.0-south.1"))),
        train("loose-1", None),
    ] {
        let (code, created) = create(app, body).await;
        assert_eq!(code, 201, "{created}");
    }
}

/// The app as a CI job holding a new token with `scopes`, limited to
/// `tracks` and `trains` (comma-separated; both blank: every train).
async fn job(app: &TestApp, name: &str, scopes: &str, tracks: &str, trains: &str) -> TestApp {
    let token = app::services::tokens::create_token(
        &app.pool,
        &Actor::new("test"),
        name,
        scopes,
        tracks,
        trains,
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    app.with_bearer(&token.secret)
}

async fn report_gate(who: &TestApp, train: &str) -> (u16, Value) {
    who.api(
        Method::POST,
        &format!("/api/v1/release-trains/{train}/gate-results"),
        Some(json!({ "results": [{ "participant": "ledger", "gate": "quality_score", "value": 91 }] })),
    )
    .await
}

/// Asserts a 403 whose reason says what the token may act on.
fn refused(outcome: (u16, Value), reach: &str) {
    let (code, body) = outcome;
    assert_eq!(code, 403, "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("this token may act only on {reach}; it may not")),
        "the refusal names the reach: {body}"
    );
}

#[tokio::test]
async fn a_token_limited_to_a_track_acts_on_its_trains_and_on_no_other() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    organisation(&app).await;
    let north = job(&app, "ci-north", "gates:write,trains:write", "north", "").await;
    let reach = "the trains of track north";

    assert_eq!(report_gate(&north, "n-1").await.0, 200);
    let (code, moved) = transition(&north, "n-1", "validating").await;
    assert_eq!(code, 200, "{moved}");
    refused(report_gate(&north, "s-1").await, reach);
    refused(transition(&north, "s-1", "validating").await, reach);
    // A train on no track is reached only by name.
    refused(report_gate(&north, "loose-1").await, reach);

    // A new train is judged by the track its input names.
    let (code, created) = create(&north, train("n-3", Some(("north", "v1.0.0-north.3")))).await;
    assert_eq!(code, 201, "{created}");
    refused(
        create(&north, train("s-2", Some(("south", "v1.0.0-south.2")))).await,
        reach,
    );
    refused(create(&north, train("loose-2", None)).await, reach);

    // Replacing gates is checked before the body by the route's extractor.
    let gates = |train: &str| {
        let (north, path) = (
            north.clone(),
            format!("/api/v1/release-trains/{train}/gates"),
        );
        async move {
            north
                .api(
                    Method::PUT,
                    &path,
                    Some(json!({ "gates": ["no_open_critical_vulns"] })),
                )
                .await
        }
    };
    let (code, set) = gates("n-2").await;
    assert_eq!(code, 200, "{set}");
    refused(gates("s-1").await, reach);

    let states: Vec<(String, String)> =
        sqlx::query_as("SELECT name, state FROM train ORDER BY name")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let state = |name: &str| {
        states
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_str())
    };
    assert_eq!(state("n-1"), Some("validating"));
    assert_eq!(state("s-1"), Some("planning"), "south is untouched");
    assert_eq!(state("s-2"), None, "no train was created on south");
}

#[tokio::test]
async fn a_token_limited_to_a_train_by_name_acts_on_it_and_on_no_other() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    organisation(&app).await;
    let one = job(&app, "ci-n1", "gates:write", "", "n-1").await;
    assert_eq!(report_gate(&one, "n-1").await.0, 200);
    refused(report_gate(&one, "n-2").await, "train n-1");
    refused(report_gate(&one, "s-1").await, "train n-1");

    // A train may be named before it exists, and then created and run.
    let later = job(&app, "ci-later", "trains:write", "", "later-1").await;
    let (code, created) = create(&later, train("later-1", None)).await;
    assert_eq!(code, 201, "{created}");
    assert_eq!(transition(&later, "later-1", "validating").await.0, 200);
    refused(
        transition(&later, "loose-1", "validating").await,
        "train later-1",
    );
}

#[tokio::test]
async fn a_limited_token_uploads_evidence_to_its_trains_only_and_before_the_body() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    organisation(&app).await;
    let north = job(&app, "ci-north", "evidence:write", "north", "").await;
    let summary = b"every gate passed\n".to_vec();
    let digest = app::domain::evidence::digest_of(&summary).to_string();
    let upload = |train: &str| {
        let path = format!(
            "/api/v1/release-trains/{train}/evidence/summary.md?kind=summary&sha256={digest}"
        );
        let (north, summary) = (north.clone(), summary.clone());
        async move {
            let response = north
                .request(Method::PUT, &path)
                .body(summary)
                .send()
                .await
                .unwrap();
            let code = response.status().as_u16();
            (code, response.json::<Value>().await.unwrap_or_default())
        }
    };
    let (code, stored) = upload("n-1").await;
    assert_eq!(code, 201, "{stored}");
    refused(upload("s-1").await, "the trains of track north");
    let refusals: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_record WHERE resource = 'train:s-1' AND action LIKE 'evidence.%'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        refusals, 0,
        "a caller refused at the door is not an upload refused"
    );
}

#[tokio::test]
async fn a_limited_token_may_not_change_what_every_track_shares() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    organisation(&app).await;
    let north = job(&app, "ci-north", "config:write,trains:write", "north", "").await;
    let reach = "the trains of track north";
    for (method, path, body) in [
        (Method::POST, "/api/v1/services", json!({ "name": "extra" })),
        (
            Method::PUT,
            "/api/v1/services/ledger",
            json!({ "description": "changed" }),
        ),
        (
            Method::PUT,
            "/api/v1/services/ledger/status",
            json!({ "status": "deploying", "version": "1.0.0" }),
        ),
        (Method::POST, "/api/v1/tracks", json!({ "name": "east" })),
        (
            Method::POST,
            "/api/v1/gate-templates",
            json!({ "name": "mine", "gates": ["no_open_critical_vulns"] }),
        ),
    ] {
        let outcome = north.api(method.clone(), path, Some(body)).await;
        assert_eq!(outcome.0, 403, "{method} {path}: {}", outcome.1);
        refused(outcome, reach);
    }
    let services: Vec<String> = sqlx::query_scalar("SELECT name FROM service ORDER BY name")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(services, ["ledger"]);
}

#[tokio::test]
async fn a_limited_token_still_reads_everything() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    organisation(&app).await;
    let north = job(&app, "ci-north", "gates:write", "north", "").await;
    let (code, trains) = north.api(Method::GET, "/api/v1/release-trains", None).await;
    assert_eq!(code, 200, "{trains}");
    for name in ["n-1", "s-1", "loose-1"] {
        assert!(
            trains.to_string().contains(&format!("\"{name}\"")),
            "{trains}"
        );
    }
    for path in [
        "/api/v1/release-trains/s-1",
        "/api/v1/release-trains/loose-1",
        "/api/v1/services",
        "/api/v1/tracks",
    ] {
        let (code, body) = north.api(Method::GET, path, None).await;
        assert_eq!(code, 200, "{path}: {body}");
    }
}

#[tokio::test]
async fn an_admin_limits_a_token_to_known_tracks_and_the_audit_trail_names_its_reach() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    organisation(&app).await;
    let adam = sign_in(&app, "adam").await;
    let form = |name: &'static str, tracks: &'static str| {
        [
            ("name", name),
            ("gates_write", "on"),
            ("tracks", tracks),
            ("trains", "n-1"),
        ]
    };

    let (code, body) = post_form(
        &adam,
        "admin/tokens/create",
        &form("ci-typo", "north, nowhere"),
    )
    .await;
    assert_eq!(code, 422, "{body}");
    let refusal = body.as_object().and_then(|o| o.values().next()).cloned();
    let refusal = refusal.unwrap_or_default();
    assert_eq!(refusal["field"], "tracks", "{body}");
    let message = refusal["message"].as_str().unwrap_or_default();
    assert!(message.contains("no track named nowhere"), "{message}");
    assert!(
        message.contains("known tracks are north, south"),
        "{message}"
    );
    let stored: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM api_token WHERE name = 'ci-typo')
              + (SELECT count(*) FROM audit_record WHERE resource = 'token:ci-typo')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stored, 0, "a refused token leaves nothing behind");

    let (code, body) = post_form(&adam, "admin/tokens/create", &form("ci-north", "north")).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["token"]["tracks"], json!(["north"]), "{body}");
    assert_eq!(body["token"]["trains"], json!(["n-1"]), "{body}");
    let after: Value = sqlx::query_scalar(
        "SELECT after FROM audit_record WHERE action = 'token.create' AND resource = 'token:ci-north'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(after["tracks"], json!(["north"]), "{after}");
    assert_eq!(after["trains"], json!(["n-1"]), "{after}");

    let (code, listed) = post_form(&adam, "admin/tokens", &[]).await;
    assert_eq!(code, 200, "{listed}");
    let everywhere = listed
        .as_array()
        .and_then(|l| l.iter().find(|t| t["name"] == "test-ci"));
    assert_eq!(
        everywhere.map(|t| (t["tracks"].clone(), t["trains"].clone())),
        Some((json!([]), json!([]))),
        "the tests' own token reaches every train: {listed}"
    );
    let html = adam.page("/admin").await;
    assert!(
        html.contains("the trains of track north and train n-1"),
        "{html}"
    );
    assert!(html.contains(">everywhere<"), "{html}");
}
