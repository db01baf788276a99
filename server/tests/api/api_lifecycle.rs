use crate::api_client::*;
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_train_is_planned_validated_executed_in_dependency_order_and_completed_through_the_api() {
    let app = spawn_app(&[]).await;
    let (code, body) = create(&app, seed_train("curve-2.0-rollout")).await;
    assert_eq!(code, 201, "{body}");
    let order: Vec<&str> = body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["service"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["curve", "backtesting", "scenario"]);
    assert_eq!(body["state"], "planning");
    assert_eq!(body["requirements"][0]["name"], "curves-api");

    assert_eq!(
        transition(&app, "curve-2.0-rollout", "validating").await.0,
        200
    );
    let (code, body) = transition(&app, "curve-2.0-rollout", "staging").await;
    assert_eq!(code, 409, "gates are still pending");
    assert_eq!(
        body["error"]["message"],
        "validating → staging needs every blocking gate to pass"
    );
    let status = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.0-rollout/status",
            None,
        )
        .await
        .1;
    assert_eq!(
        status["blockers"].as_array().unwrap().len(),
        9,
        "3 participants × 3 gates pending"
    );

    report_all_green(&app, "curve-2.0-rollout").await;
    let status = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.0-rollout/status",
            None,
        )
        .await
        .1;
    assert_eq!(status["blockers"], json!([]));
    assert_eq!(status["gates"]["cells"][0][0]["status"], "passed");
    assert_eq!(
        status["gates"]["cells"][0][0]["url"],
        "https://ci.example/curve"
    );
    assert_eq!(
        transition(&app, "curve-2.0-rollout", "staging").await.0,
        200
    );
    assert_eq!(
        transition(&app, "curve-2.0-rollout", "executing").await.0,
        200
    );

    // Services are released in dependency order: scenario must wait.
    let deployed = |v: &str| json!({ "status": "deployed", "version": v });
    let (code, body) = app
        .api(
            Method::PUT,
            "/api/v1/services/scenario/status",
            Some(deployed("2.0.0")),
        )
        .await;
    assert_eq!(code, 409);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("curve comes first"),
        "{body}"
    );
    for service in ["curve", "backtesting", "scenario"] {
        let (code, body) = app
            .api(
                Method::PUT,
                &format!("/api/v1/services/{service}/status"),
                Some(deployed("2.0.0")),
            )
            .await;
        assert_eq!(code, 200, "{service}: {body}");
    }
    let status = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.0-rollout/status",
            None,
        )
        .await
        .1;
    assert_eq!(status["progress"], 100.0);
    assert_eq!(
        transition(&app, "curve-2.0-rollout", "verifying").await.0,
        200
    );
    let (code, body) = transition(&app, "curve-2.0-rollout", "completed").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["state"], "completed");

    let detail = app
        .api(
            Method::GET,
            "/api/v1/release-trains/curve-2.0-rollout",
            None,
        )
        .await
        .1;
    let steps: Vec<String> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "transition")
        .map(|e| {
            format!(
                "{}→{}",
                e["from_state"].as_str().unwrap(),
                e["to_state"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "planning→validating",
            "validating→staging",
            "staging→executing",
            "executing→verifying",
            "verifying→completed"
        ]
    );
    let kinds: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"created"));
    assert_eq!(kinds.iter().filter(|k| **k == "participant").count(), 3);
    assert!(kinds.contains(&"gate_results"));
}

#[tokio::test]
async fn a_rollback_is_previewed_in_reverse_order_then_executed_with_its_reason() {
    let app = spawn_app(&[]).await;
    assert_eq!(create(&app, seed_train("rb")).await.0, 201);
    report_all_green(&app, "rb").await;
    for to in ["validating", "staging", "executing"] {
        assert_eq!(transition(&app, "rb", to).await.0, 200, "{to}");
    }
    let path = "/api/v1/release-trains/rb/rollback";
    let (code, body) = app
        .api(Method::POST, path, Some(json!({ "reason": "  " })))
        .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("reason"))
    );
    // Seed 002's force is refused rather than silently ignored.
    let (code, body) = app
        .api(
            Method::POST,
            path,
            Some(json!({ "reason": "p95 regression", "force": true })),
        )
        .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("force")),
        "{body}"
    );

    let (code, plan) = app
        .api(
            Method::POST,
            path,
            Some(json!({ "reason": "p95 regression", "dry_run": true })),
        )
        .await;
    assert_eq!(code, 200, "{plan}");
    let services: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["scenario", "backtesting", "curve"]);
    assert_eq!(plan["steps"][2]["from_version"], "2.0.0");
    assert_eq!(plan["steps"][2]["to_version"], "1.9.3");
    let state = app
        .api(Method::GET, "/api/v1/release-trains/rb/status", None)
        .await
        .1["state"]
        .clone();
    assert_eq!(state, "executing", "a dry run changes nothing");
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/release-trains/rb/rollback/status",
            None
        )
        .await
        .0,
        404
    );

    let (code, done) = app
        .api(
            Method::POST,
            path,
            Some(json!({ "reason": "p95 regression" })),
        )
        .await;
    assert_eq!(code, 200, "{done}");
    let status = app
        .api(Method::GET, "/api/v1/release-trains/rb/status", None)
        .await
        .1;
    assert_eq!(status["state"], "rolled_back");
    assert_eq!(status["status_reason"], "p95 regression");
    assert!(status["participants"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["status"] == "rolled_back"));
    let recorded = app
        .api(
            Method::GET,
            "/api/v1/release-trains/rb/rollback/status",
            None,
        )
        .await
        .1;
    assert_eq!(recorded["steps"], done["steps"]);
    assert_eq!(recorded["reason"], "p95 regression");
    let (code, body) = app
        .api(Method::POST, path, Some(json!({ "reason": "again" })))
        .await;
    assert_eq!(code, 409);
    assert_eq!(
        body["error"]["message"],
        "a train cannot go from rolled_back to rolled_back"
    );
}
