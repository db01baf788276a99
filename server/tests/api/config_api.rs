//! `POST /api/v1/config`: a CI job keeps the organisation as code over
//! HTTP, planning first, with every problem named by file and line.

use crate::api_client::{config_job, token_for};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{json, Value};

fn file(path: &str) -> Value {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    json!({ "path": path, "text": std::fs::read_to_string(full).unwrap() })
}

#[tokio::test]
async fn a_ci_job_plans_then_imports_the_organisation_over_http() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    // Trains are the captains': a job that imports them needs trains:write too.
    let config_only = config_job(&app).await;
    let job = token_for(&app, "org-as-code", "config:write,trains:write").await;
    let files = json!([
        file("config/services.yaml"),
        file("config/environments.yaml"),
        file("config/tracks.yaml"),
        file("catalog/release-trains.yaml"),
    ]);
    let (code, plan) = job
        .api(
            Method::POST,
            "/api/v1/config",
            Some(json!({ "files": files, "dry_run": true })),
        )
        .await;
    assert_eq!(code, 200, "{plan}");
    assert_eq!(plan["dry_run"], true);
    assert_eq!(
        plan["services_added"],
        json!(["curve", "backtesting", "scenario"])
    );
    let trains = json!({ "files": [file("catalog/release-trains.yaml")], "dry_run": true });
    let (code, refused) = config_only
        .api(Method::POST, "/api/v1/config", Some(trains))
        .await;
    assert_eq!(code, 422, "{refused}");
    assert!(
        refused.to_string().contains("needs the trains:write scope"),
        "{refused}"
    );

    let (_, tracks) = app.api(Method::GET, "/api/v1/tracks", None).await;
    assert_eq!(tracks, json!([]), "a plan changes nothing");

    let (code, done) = job
        .api(
            Method::POST,
            "/api/v1/config",
            Some(json!({ "files": files })),
        )
        .await;
    assert_eq!(code, 200, "{done}");
    assert_eq!(done["dry_run"], false);
    assert_eq!(done["tracks_added"], plan["tracks_added"]);
    assert_eq!(
        done["created"],
        json!(["Q3-pricing-upgrade", "Q3-curve-patch"])
    );

    let broken = json!({ "files": [file("config/services-broken.yaml")] });
    let (code, refused) = job.api(Method::POST, "/api/v1/config", Some(broken)).await;
    assert_eq!(code, 422, "{refused}");
    let pointers: Vec<&str> = refused["error"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["pointer"].as_str().unwrap())
        .collect();
    assert!(
        pointers.contains(&"config/services-broken.yaml:3"),
        "{refused}"
    );

    for (who, status) in [(app.anonymous(), 401), (app.clone(), 403)] {
        let response = who
            .request(Method::POST, "/api/v1/config")
            .header("content-type", "application/json")
            .body("{ not json")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            status,
            "refused before the body is read"
        );
    }
}
