use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn tracks_calendar_and_service_status_read_the_model() {
    let app = spawn_app(&[]).await;
    let tracks = app.api(Method::GET, "/api/v1/tracks", None).await.1;
    let names: Vec<&str> = tracks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dev", "staging", "hotfix"]);
    let dev = &tracks[0];
    assert_eq!(dev["promotes_to"], "staging");
    assert_eq!(dev["soak_hours"], 168);
    assert!(dev["cadence_rule"].as_str().unwrap().contains("BYDAY=TU"));
    assert_eq!(
        tracks[2]["cadence_rule"],
        serde_json::Value::Null,
        "hotfix runs on demand"
    );
    let (code, body) = app
        .api(
            Method::GET,
            "/api/v1/calendar?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            None,
        )
        .await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("to")));
    assert_eq!(
        app.api(Method::GET, "/api/v1/calendar?from=yesterday", None)
            .await
            .0,
        400
    );

    let scenario = app
        .api(Method::GET, "/api/v1/services/scenario/status", None)
        .await
        .1;
    assert_eq!(scenario["depends_on"], json!(["backtesting", "curve"]));
    let (code, body) = app
        .api(
            Method::PUT,
            "/api/v1/services/curve/status",
            Some(json!({ "status": "sleeping" })),
        )
        .await;
    assert_eq!(
        (code, body["error"]["field"].as_str()),
        (422, Some("status"))
    );
    let (code, body) = app
        .api(
            Method::PUT,
            "/api/v1/services/curve/status",
            Some(json!({ "status": "deployed", "version": "2.0.1", "health_status": "healthy" })),
        )
        .await;
    assert_eq!(code, 200);
    assert_eq!(
        (body["version"].as_str(), body["health_status"].as_str()),
        (Some("2.0.1"), Some("healthy"))
    );
    assert_eq!(
        app.api(Method::GET, "/api/v1/services/nope/status", None)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app(&[]).await;
    let (code, doc) = app.api(Method::GET, "/api/v1/openapi.json", None).await;
    assert_eq!(code, 200);
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 34, "{} paths", paths.len());
    // Every documented operation is routed: none reaches the API's
    // fallback, none is a method the route lacks.
    for (path, item) in paths {
        let concrete = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for (method, operation) in item.as_object().unwrap() {
            let Ok(verb) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let response = app.request(verb, &concrete).send().await.unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert!(
                status != 405 && !body.contains("this API route was not found"),
                "{method} {path} is documented but not routed: {status} {body}"
            );
            let responses = operation["responses"].as_object().unwrap();
            let mut expected = vec!["400", "503"];
            if method != "get" {
                expected.extend(["401", "403"]);
            }
            for status in expected {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} lists {status}"
                );
            }
            assert!(
                !responses.contains_key("500"),
                "{method} {path} plans no 500"
            );
        }
    }
    let train = &doc["paths"]["/api/v1/release-trains/{name}"];
    for method in ["get", "put", "delete"] {
        assert!(train[method].is_object(), "{method} is documented");
    }
    let schemas = &doc["components"]["schemas"];
    for schema in [
        "NewTrain",
        "TrainStatus",
        "GateMatrix",
        "RollbackPlan",
        "ErrorBody",
        "TrainState",
        "ServiceInput",
        "ServiceView",
    ] {
        assert!(schemas[schema].is_object(), "{schema} is in the document");
    }
    assert_eq!(
        schemas["NewTrain"]["additionalProperties"],
        json!(false),
        "unknown fields are refused"
    );
}

fn entries<'a>(calendar: &'a serde_json::Value, track: &str) -> Vec<&'a serde_json::Value> {
    calendar
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["track"] == track)
        .collect()
}

#[tokio::test]
async fn the_calendar_plans_cadence_slots_and_applies_freezes_and_the_skip_rule() {
    let app = spawn_app(&[]).await;
    let to = (chrono::Utc::now() + chrono::Duration::weeks(10)).to_rfc3339();
    let path = format!("/api/v1/calendar?to={}", to.replace('+', "%2B"));
    let (code, calendar) = app.api(Method::GET, &path, None).await;
    assert_eq!(code, 200, "{calendar}");
    let dev = entries(&calendar, "dev");
    assert!(dev.len() >= 9, "ten weeks of Tuesdays: {}", dev.len());
    assert!(dev
        .iter()
        .all(|e| e["at"].as_str().unwrap().ends_with("T14:00:00Z")));
    assert_eq!(
        dev[0]["train"], dev[0]["tag"],
        "recorded demo trains are named by their tag"
    );
    assert!(
        dev.last().unwrap()["train"].is_null(),
        "beyond the demo's six weeks only the cadence plans"
    );
    let unassigned: Vec<_> = calendar
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["warning"].is_string())
        .collect();
    assert!(
        !unassigned.is_empty(),
        "open trains without on-call carry the skip-rule warning"
    );

    // A freeze that blocks staging only.
    let staging_at = entries(&calendar, "staging")[0]["at"]
        .as_str()
        .unwrap()
        .to_owned();
    sqlx::query(
        "WITH w AS (INSERT INTO freeze_window (starts_at, ends_at, reason, effect)
                    VALUES ($1::timestamptz - interval '1 hour', $1::timestamptz + interval '1 hour',
                            'chain ops re-roll', 'block')
                    RETURNING freeze_window_id)
         INSERT INTO freeze_window_track SELECT freeze_window_id, track_id FROM w, track WHERE name = 'staging'",
    )
    .bind(&staging_at)
    .execute(&app.pool)
    .await
    .unwrap();
    // A train at today's midnight nobody took: the skip rule has already applied.
    sqlx::query(
        "INSERT INTO train (name, track_id, tag, planned_start)
         SELECT 'unwatched', track_id, 'v9.9.9-dev.1', date_trunc('day', now()) FROM track WHERE name = 'dev'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let today = chrono::Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .to_rfc3339();
    let from_today = format!("{path}&from={}", today.replace('+', "%2B"));
    let calendar = app.api(Method::GET, &from_today, None).await.1;
    let staging = entries(&calendar, "staging");
    assert_eq!(staging[0]["status"], "skipped");
    assert!(staging[0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("freeze: chain ops re-roll (until "));
    let skipped = entries(&calendar, "dev")
        .into_iter()
        .find(|e| e["train"] == "unwatched")
        .expect("today's train");
    assert_eq!(skipped["status"], "skipped");
    assert!(
        skipped["reason"].as_str().unwrap().contains("no on-call"),
        "{skipped}"
    );
    // Every dev train still ahead is open. (A slot earlier today that nobody
    // took is decided already: on a Tuesday after 14:00 UTC the cadence's own
    // slot of the day reads as skipped too.)
    let now = chrono::Utc::now();
    let ahead: Vec<&serde_json::Value> = entries(&calendar, "dev")
        .into_iter()
        .filter(|e| {
            e["at"]
                .as_str()
                .unwrap()
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
                > now
        })
        .collect();
    assert!(!ahead.is_empty());
    assert!(ahead.iter().all(|e| e["status"] == "open"), "{ahead:#?}");
}

#[tokio::test]
async fn trains_are_listed_by_state_and_each_has_its_timeline() {
    let app = spawn_app(&[]).await;
    let (code, all) = app.api(Method::GET, "/api/v1/release-trains", None).await;
    assert_eq!(code, 200);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM train")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len() as i64, stored);
    let (_, body) = app
        .api(
            Method::PUT,
            "/api/v1/release-trains/Q4-curve-upgrade",
            Some(json!({ "status": "validating" })),
        )
        .await;
    assert_eq!(body["state"], "validating");
    let validating = app
        .api(Method::GET, "/api/v1/release-trains?state=validating", None)
        .await
        .1;
    let names: Vec<&str> = validating
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Q4-curve-upgrade"), "{names:?}");
    assert!(validating
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["state"] == "validating" && t["participants"] == 3));
    assert_eq!(
        app.api(Method::GET, "/api/v1/release-trains?state=running", None)
            .await
            .0,
        400
    );

    let events = app
        .api(
            Method::GET,
            "/api/v1/release-trains/Q4-curve-upgrade/events",
            None,
        )
        .await
        .1;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "transition"]);
    assert_eq!(events[1]["actor"], "test-ci");
    assert_eq!(
        app.api(Method::GET, "/api/v1/release-trains/nope/events", None)
            .await
            .0,
        404
    );
}
