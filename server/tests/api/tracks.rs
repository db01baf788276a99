//! Tracks from an empty install: an admin, or a CI job with a config:write
//! token, adds them; the calendar plans their trains at once, at the
//! cadence's wall-clock time in its zone, summer and winter.

use crate::api_client::config_job;
use crate::helpers::{spawn_app, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

/// The `HH:MM` (UTC) of the track's planned trains in a range.
async fn planned(app: &TestApp, track: &str, from: &str, to: &str) -> Vec<String> {
    let (code, entries) = app
        .api(
            Method::GET,
            &format!("/api/v1/calendar?from={from}&to={to}"),
            None,
        )
        .await;
    assert_eq!(code, 200, "{entries}");
    entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["track"] == track)
        .map(|e| {
            let at = chrono::DateTime::parse_from_rfc3339(e["at"].as_str().unwrap()).unwrap();
            at.format("%a %H:%M").to_string()
        })
        .collect()
}

#[tokio::test]
async fn tracks_added_through_the_api_plan_their_trains_in_their_time_zone() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let config = config_job(&app).await;
    let weekly = json!({
        "name": "weekly",
        "description": "Seed 001's weekly train",
        "cadence": { "every": "1", "days": ["TH"], "time": "18:00", "starts_on": "2026-01-01",
                     "zone": "Europe/Berlin" },
        "freeze_offset_minutes": 120,
    });
    let bodies = [
        weekly,
        json!({ "name": "hotfix", "description": "On demand" }),
        json!({ "name": "stable", "promotes_to": "weekly", "soak_hours": 168 }),
    ];
    let mut created: Vec<Value> = Vec::new();
    for body in bodies {
        let (code, track) = config.api(Method::POST, "/api/v1/tracks", Some(body)).await;
        assert_eq!(code, 201, "{track}");
        created.push(track);
    }
    assert_eq!(
        created[0]["cadence_description"],
        "Weekly, Thursday 18:00 Europe/Berlin"
    );
    assert_eq!(created[1]["cadence_description"], "On demand");
    let (_, tracks) = app.api(Method::GET, "/api/v1/tracks", None).await;
    let names: Vec<&str> = tracks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["weekly", "hotfix", "stable"],
        "in the order they were added"
    );
    assert_eq!(tracks[2]["promotes_to"], "weekly");
    assert_eq!(tracks[2]["soak_hours"], 168);

    let winter = planned(
        &app,
        "weekly",
        "2027-01-04T00:00:00Z",
        "2027-01-18T00:00:00Z",
    )
    .await;
    assert_eq!(
        winter, ["Thu 17:00"; 2],
        "18:00 in Berlin is 17:00 UTC in winter"
    );
    let summer = planned(
        &app,
        "weekly",
        "2027-07-05T00:00:00Z",
        "2027-07-19T00:00:00Z",
    )
    .await;
    assert_eq!(summer, ["Thu 16:00"; 2], "and 16:00 UTC in summer");
    assert!(planned(
        &app,
        "hotfix",
        "2027-01-04T00:00:00Z",
        "2027-03-01T00:00:00Z"
    )
    .await
    .is_empty());

    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_record WHERE action = 'track.create'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn a_bad_track_is_refused_naming_its_field_and_nothing_is_added() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let config = config_job(&app).await;
    let (code, _) = config
        .api(
            Method::POST,
            "/api/v1/tracks",
            Some(json!({ "name": "weekly" })),
        )
        .await;
    assert_eq!(code, 201);
    let berlin_typo = json!({ "name": "x", "cadence": { "every": "1", "days": ["TH"], "time": "18:00",
                              "starts_on": "2026-01-01", "zone": "Europe/Berln" } });
    let cases = [
        (json!({ "name": "weekly" }), 409, None),
        (json!({ "name": "Weekly" }), 400, Some("name")),
        (json!({ "name": "x", "colour": "red" }), 400, Some("colour")),
        (berlin_typo, 400, Some("cadence.zone")),
        (
            json!({ "name": "x", "freeze_offset_minutes": -5 }),
            400,
            Some("freeze_offset_minutes"),
        ),
        (
            json!({ "name": "x", "promotes_to": "nowhere" }),
            422,
            Some("promotes_to"),
        ),
    ];
    for (body, status, field) in cases {
        let (code, error) = config
            .api(Method::POST, "/api/v1/tracks", Some(body.clone()))
            .await;
        assert_eq!(code, status, "{body}: {error}");
        if let Some(field) = field {
            assert_eq!(error["error"]["field"], field, "{body}: {error}");
        }
    }
    let (_, tracks) = app.api(Method::GET, "/api/v1/tracks", None).await;
    assert_eq!(tracks.as_array().unwrap().len(), 1, "{tracks}");
    let anonymous = app
        .anonymous()
        .request(Method::POST, "/api/v1/tracks")
        .header("content-type", "application/json")
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        anonymous.status().as_u16(),
        401,
        "refused before the body is read"
    );
}
