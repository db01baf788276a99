//! Tracks from an empty install: an admin, or a CI job with a config:write
//! token, adds them; the calendar plans their trains at once, at the
//! cadence's wall-clock time in its zone, summer and winter.

use crate::api_client::{config_job, create, transition};
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

/// Seed 000's way: release candidates, one minor version per train, on
/// `release/<train-id>` branches; seed 003's way is what a track that says
/// nothing gets.
#[tokio::test]
async fn a_track_names_its_tags_and_branches_by_its_templates() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let config = config_job(&app).await;
    let candidates = json!({ "name": "weekly", "naming": { "tag": "v{version}-rc{n}" } });
    let (code, weekly) = config
        .api(Method::POST, "/api/v1/tracks", Some(candidates))
        .await;
    assert_eq!(code, 201, "{weekly}");
    assert_eq!(
        weekly["naming"],
        json!({ "tag": "v{version}-rc{n}", "next_version": "minor", "branch": "release/{train_id}",
                "train_id": "{year}.{month}-wk{week_of_month}" }),
        "every field spelled out, the defaults too"
    );
    let (code, dev) = config
        .api(
            Method::POST,
            "/api/v1/tracks",
            Some(json!({ "name": "dev" })),
        )
        .await;
    assert_eq!(code, 201, "{dev}");
    assert_eq!(dev["naming"]["tag"], "v{version}-{track}.{n}");
    assert_eq!(
        (&weekly["colour"], &dev["colour"], &dev["colour_chosen"]),
        (&json!("sky"), &json!("violet"), &json!(false)),
        "by their place in the list"
    );
    assert_eq!(dev["naming"]["next_version"], "same");

    let renamed = json!({ "colour": "amber", "naming": { "tag": "v{version}-rc{n}", "next_version": "patch",
                                      "branch": "rel/{track}/{train_id}", "train_id": "{year}-w{iso_week}" } });
    let (code, changed) = config
        .api(Method::PUT, "/api/v1/tracks/weekly", Some(renamed))
        .await;
    assert_eq!(code, 200, "{changed}");
    assert_eq!(changed["naming"]["branch"], "rel/{track}/{train_id}");
    assert_eq!(
        (&changed["colour"], &changed["colour_chosen"]),
        (&json!("amber"), &json!(true))
    );
    let (code, refused) = config
        .api(
            Method::PUT,
            "/api/v1/tracks/weekly",
            Some(json!({ "naming": { "tag": "v{version}-rc{n}", "next_version": "same" } })),
        )
        .await;
    assert_eq!(code, 422, "{refused}");
    assert_eq!(refused["error"]["field"], "naming.next_version");
    let (_, tracks) = app.api(Method::GET, "/api/v1/tracks", None).await;
    assert_eq!(
        tracks[0]["naming"]["next_version"], "patch",
        "the refused change left it alone"
    );
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
        (json!({ "name": "Weekly" }), 422, Some("name")),
        (json!({ "name": "x", "colour": "red" }), 422, Some("colour")),
        (json!({ "name": "x", "color": "sky" }), 400, Some("color")),
        (berlin_typo, 422, Some("cadence.zone")),
        (
            json!({ "name": "x", "freeze_offset_minutes": -5 }),
            422,
            Some("freeze_offset_minutes"),
        ),
        (
            json!({ "name": "x", "promotes_to": "nowhere" }),
            422,
            Some("promotes_to"),
        ),
        (
            json!({ "name": "x", "naming": { "tag": "v{version}.{n}" } }),
            422,
            Some("naming.tag"),
        ),
        (
            json!({ "name": "x", "naming": { "branch": "release/{train}" } }),
            422,
            Some("naming.branch"),
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

#[tokio::test]
async fn a_track_is_changed_then_archived_once_nothing_needs_it_and_its_planned_trains_are_skipped()
{
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let config = config_job(&app).await;
    let weekly_cadence =
        json!({ "every": "1", "days": ["TH"], "time": "18:00", "starts_on": "2026-01-01" });
    for body in [
        json!({ "name": "stable" }),
        json!({ "name": "weekly", "cadence": weekly_cadence, "promotes_to": "stable" }),
    ] {
        let (code, track) = config.api(Method::POST, "/api/v1/tracks", Some(body)).await;
        assert_eq!(code, 201, "{track}");
    }
    let (code, _) = config
        .api(
            Method::POST,
            "/api/v1/services",
            Some(json!({ "name": "ledger" })),
        )
        .await;
    assert_eq!(code, 201);
    for (name, tag, at) in [
        ("w-0", "v1.0.0-weekly.1", "2026-01-01T18:00:00Z"),
        ("w-1", "v1.0.0-weekly.2", "2031-01-02T18:00:00Z"),
    ] {
        let train = json!({ "name": name, "participants": ["ledger"], "track": "weekly", "tag": tag,
                            "planned_start": at });
        let (code, created) = create(&app, train).await;
        assert_eq!(code, 201, "{created}");
    }
    assert_eq!(transition(&app, "w-0", "validating").await.0, 200);

    let put = |name: &str, body: Value| {
        let (config, path) = (config.clone(), format!("/api/v1/tracks/{name}"));
        async move { config.api(Method::PUT, &path, Some(body)).await }
    };
    let (code, changed) = put(
        "stable",
        json!({ "description": "What customers run", "soak_hours": 48,
                "rollback_timeout_minutes": 30 }),
    )
    .await;
    assert_eq!(
        (code, changed["soak_hours"].as_i64()),
        (200, Some(48)),
        "{changed}"
    );
    assert_eq!(changed["rollback_timeout_minutes"], 30, "{changed}");
    let (code, refused) = put("stable", json!({ "promotes_to": "weekly" })).await;
    assert_eq!(code, 422, "weekly promotes to stable already: {refused}");
    let (code, refused) = put(
        "weekly",
        json!({ "cadence": { "every": "2", "days": ["TH"], "time": "18:00",
                                                             "starts_on": "2026-01-01" } }),
    )
    .await;
    assert_eq!(
        (code, refused["error"]["field"].as_str()),
        (422, Some("cadence")),
        "{refused}"
    );

    let archive = |name: &str| {
        let (config, path) = (
            config.clone(),
            format!("/api/v1/tracks/{name}?reason=merged%20into%20stable"),
        );
        async move { config.api(Method::DELETE, &path, None).await }
    };
    let (code, refused) = archive("stable").await;
    assert_eq!(code, 409, "weekly promotes to it: {refused}");
    let (code, refused) = archive("weekly").await;
    assert_eq!(code, 409, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("w-0"),
        "{refused}"
    );
    let (code, failed) = app
        .api(
            Method::PUT,
            "/api/v1/release-trains/w-0",
            Some(json!({ "status": "failed", "reason": "superseded" })),
        )
        .await;
    assert_eq!(code, 200, "{failed}");

    let (code, archived) = archive("weekly").await;
    assert_eq!(code, 200, "{archived}");
    assert!(archived["archived_at"].is_string(), "{archived}");
    let (status, reason): (String, String) =
        sqlx::query_as("SELECT status, status_reason FROM train WHERE name = 'w-1'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, "skipped");
    assert!(reason.contains("merged into stable"), "{reason}");
    assert!(planned(
        &app,
        "weekly",
        "2030-01-01T00:00:00Z",
        "2030-02-01T00:00:00Z"
    )
    .await
    .is_empty());
    let late = json!({ "name": "w-2", "participants": ["ledger"], "track": "weekly", "tag": "v1.0.0-weekly.3" });
    assert_eq!(
        create(&app, late).await.0,
        422,
        "an archived track takes no new train"
    );
    assert_eq!(put("weekly", json!({})).await.0, 409);
    let (code, _) = archive("stable").await;
    assert_eq!(code, 200, "nothing promotes to stable any more");
}
