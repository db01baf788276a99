//! Deployments as a CD pipeline reports them over HTTP: matched to the
//! train that carries them (scheduled or hotfix) or flagged unscheduled
//! and announced; idempotent per pipeline run; moved forward only; and
//! only a success changes what runs where.

use crate::api_client::token_for;
use crate::helpers::TestApp;
use crate::webhook_receiver::Receiver;
use crate::webhooks_delivery::{subscribe, ARRIVES, FAST, SETTLE};
use reqwest::Method;
use serde_json::{json, Value};

fn fixture(path: &str) -> Value {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    json!({ "path": path, "text": std::fs::read_to_string(full).unwrap() })
}

/// An empty install set up from the seed files: services curve,
/// backtesting and scenario; environments preview, stage and prod; a
/// weekly track through all three and an on-demand hotfix track to prod.
pub async fn organisation() -> TestApp {
    let app = crate::helpers::spawn_app(&FAST).await;
    set_up(&app).await;
    app
}

/// Sets `app`'s empty install up as [`organisation`] says.
pub async fn set_up(app: &TestApp) {
    let files = json!({ "files": [
        fixture("config/services.yaml"),
        fixture("config/environments.yaml"),
        fixture("config/tracks.yaml"),
    ]});
    let setup = token_for(app, "setup", "config:write").await;
    let (code, body) = setup.api(Method::POST, "/api/v1/config", Some(files)).await;
    assert_eq!(code, 200, "{body}");
    for (name, track, tag, version) in [
        ("wk-1", "weekly", "v2.1.0-rc1", "2.1.0"),
        ("hf-1", "hotfix", "v2.1.1", "2.1.1"),
    ] {
        let train = json!({ "name": name, "track": track, "tag": tag, "gates": [],
            "participants": [{ "service": "curve", "target_version": version }] });
        let (code, body) = app
            .api(Method::POST, "/api/v1/release-trains", Some(train))
            .await;
        assert_eq!(code, 201, "{body}");
    }
}

pub fn deploy(service: &str, version: &str, env: &str, status: &str, run: &str) -> Value {
    json!({ "service": service, "version": version, "environment": env, "status": status,
            "pipeline_run_id": run, "commit_sha": "0a1b2c3d",
            "pipeline_url": format!("https://ci.example/runs/{run}") })
}

/// The cell of `service` in `env` of what runs where.
async fn running(app: &TestApp, service: &str, env: &str) -> Value {
    let (code, matrix) = app.api(Method::GET, "/api/v1/running", None).await;
    assert_eq!(code, 200, "{matrix}");
    let column = matrix["environments"]
        .as_array()
        .unwrap()
        .iter()
        .position(|e| e == env)
        .unwrap();
    let row = matrix["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["service"] == service)
        .cloned()
        .unwrap();
    row["cells"][column].clone()
}

#[tokio::test]
async fn a_deployment_is_matched_idempotent_moves_forward_and_only_success_runs() {
    let app = organisation().await;
    let cd = token_for(&app, "cd", "deployments:write").await;
    let endpoint = Receiver::start();
    subscribe(&app, &endpoint.url("/cd"), &["deployment.*"], &[]).await;

    // Trains' tokens may not report deployments, and are told before the body.
    let (code, refused) = app
        .api(
            Method::POST,
            "/api/v1/deployments",
            Some(json!({ "not": "read" })),
        )
        .await;
    assert_eq!(code, 403, "{refused}");
    assert!(
        refused.to_string().contains("deployments:write"),
        "{refused}"
    );

    let (code, first) = cd
        .api(
            Method::POST,
            "/api/v1/deployments",
            Some(deploy("curve", "v2.1.0", "stage", "in_progress", "r-1")),
        )
        .await;
    assert_eq!(code, 201, "{first}");
    let d = &first["deployment"];
    assert_eq!(
        (&d["matched"], &d["train"]),
        (&json!("scheduled"), &json!("wk-1"))
    );
    assert_eq!(d["in_freeze"], false);
    let id = d["id"].as_i64().unwrap();
    assert_eq!(
        running(&app, "curve", "stage").await,
        Value::Null,
        "in progress: nothing runs there yet"
    );

    let path = format!("/api/v1/deployments/{id}");
    let (code, done) = cd
        .api(Method::PATCH, &path, Some(json!({ "status": "succeeded" })))
        .await;
    assert_eq!(code, 200, "{done}");
    assert!(done["finished_at"].is_string(), "{done}");
    let cell = running(&app, "curve", "stage").await;
    assert_eq!(
        (
            &cell["version"],
            &cell["train"],
            &cell["tag"],
            &cell["deployment"]
        ),
        (
            &json!("v2.1.0"),
            &json!("wk-1"),
            &json!("v2.1.0-rc1"),
            &json!(id)
        ),
        "{cell}"
    );

    // The same run again is the same deployment; another version is not.
    let (code, again) = cd
        .api(
            Method::POST,
            "/api/v1/deployments",
            Some(deploy("curve", "v2.1.0", "stage", "succeeded", "r-1")),
        )
        .await;
    assert_eq!(code, 200, "{again}");
    assert_eq!(
        (&again["created"], &again["deployment"]["id"]),
        (&json!(false), &json!(id))
    );
    let (code, other) = cd
        .api(
            Method::POST,
            "/api/v1/deployments",
            Some(deploy("curve", "v2.1.5", "stage", "succeeded", "r-1")),
        )
        .await;
    assert_eq!(code, 409, "{other}");
    let (code, back) = cd
        .api(
            Method::PATCH,
            &path,
            Some(json!({ "status": "in_progress" })),
        )
        .await;
    assert_eq!(code, 422, "{back}");
    assert_eq!(back["error"]["field"], "status", "{back}");

    // A hotfix; a version no train carries; a wrongly named train.
    let (_, hotfix) = cd
        .api(
            Method::POST,
            "/api/v1/deployments",
            Some(deploy("curve", "2.1.1", "prod", "succeeded", "r-2")),
        )
        .await;
    assert_eq!(
        (
            &hotfix["deployment"]["matched"],
            &hotfix["deployment"]["train"]
        ),
        (&json!("hotfix"), &json!("hf-1")),
        "{hotfix}"
    );
    let (_, surprise) = cd
        .api(
            Method::POST,
            "/api/v1/deployments",
            Some(deploy("backtesting", "9.9.9", "prod", "succeeded", "r-3")),
        )
        .await;
    assert_eq!(
        surprise["deployment"]["matched"], "unscheduled",
        "{surprise}"
    );
    let mut named = deploy("curve", "2.1.0", "prod", "queued", "r-4");
    named["train"] = json!("hf-1");
    let (_, named) = cd
        .api(Method::POST, "/api/v1/deployments", Some(named))
        .await;
    assert_eq!(named["deployment"]["train"], "wk-1", "{named}");
    assert!(
        named["deployment"]["match_note"]
            .as_str()
            .unwrap()
            .contains("names hf-1"),
        "{named}"
    );
    // The dashboard flags the surprise.
    let html = app.get("/").await.text().await.unwrap();
    assert!(
        html.contains("Deployed without a train") && html.contains(" 9.9.9 to prod"),
        "{html}"
    );
    let cell = running(&app, "backtesting", "prod").await;
    assert_eq!(
        (&cell["version"], &cell["train"]),
        (&json!("9.9.9"), &Value::Null)
    );

    for (body, field) in [
        (
            deploy("ledger", "1.0.0", "prod", "queued", "r-5"),
            "service",
        ),
        (
            deploy("curve", "1.0.0", "moon", "queued", "r-5"),
            "environment",
        ),
    ] {
        let (code, refused) = cd
            .api(Method::POST, "/api/v1/deployments", Some(body))
            .await;
        assert_eq!(code, 422, "{refused}");
        assert_eq!(refused["error"]["field"], field, "{refused}");
    }

    let (_, listed) = app
        .api(Method::GET, "/api/v1/deployments?matched=unscheduled", None)
        .await;
    let runs: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["pipeline_run_id"])
        .collect();
    assert_eq!(runs, [&json!("r-3")]);
    let (_, events) = app
        .api(Method::GET, "/api/v1/release-trains/wk-1/events", None)
        .await;
    let deployments = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "deployment")
        .count();
    assert_eq!(deployments, 3, "reported, succeeded, and r-4: {events:#}");

    endpoint
        .wait_for("the surprise deploy is announced", ARRIVES, |r| {
            r.iter()
                .any(|r| r.succeeded() && r.event_type() == "deployment.unscheduled")
        })
        .await;
    tokio::time::sleep(SETTLE).await;
    let kinds: Vec<String> = endpoint
        .received_at("/cd")
        .iter()
        .map(|r| r.event_type())
        .collect();
    let count = |kind: &str| kinds.iter().filter(|k| *k == kind).count();
    assert_eq!(
        (
            count("deployment.reported"),
            count("deployment.status_changed"),
            count("deployment.unscheduled")
        ),
        (4, 1, 1),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_deployment_during_a_freeze_says_so() {
    let app = organisation().await;
    crate::api_client::freeze_everything_now(&app, "year-end").await;
    let cd = token_for(&app, "cd", "deployments:write").await;
    let (code, body) = cd
        .api(
            Method::POST,
            "/api/v1/deployments",
            Some(deploy("curve", "2.1.0", "prod", "succeeded", "r-9")),
        )
        .await;
    assert_eq!(code, 201, "{body}");
    assert_eq!(body["deployment"]["in_freeze"], true, "{body}");
}

#[tokio::test]
async fn a_train_without_a_track_carries_its_versions_through_every_environment() {
    let app = organisation().await;
    let train = json!({ "name": "adhoc-curve", "gates": [],
        "participants": [{ "service": "curve", "target_version": "2.7.0" }] });
    let (code, body) = app
        .api(Method::POST, "/api/v1/release-trains", Some(train))
        .await;
    assert_eq!(code, 201, "{body}");
    let cd = token_for(&app, "cd", "deployments:write").await;
    for (env, run) in [("stage", "r-1"), ("prod", "r-2")] {
        let (code, body) = cd
            .api(
                Method::POST,
                "/api/v1/deployments",
                Some(deploy("curve", "2.7.0", env, "succeeded", run)),
            )
            .await;
        assert_eq!(code, 201, "{body}");
        assert_eq!(
            (&body["deployment"]["matched"], &body["deployment"]["train"]),
            (&json!("scheduled"), &json!("adhoc-curve")),
            "not a surprise in {env}: {body}"
        );
    }
}
