//! What people are told before they are needed: a promotion request that
//! waits for approvals names the approvers (`promotion.waiting`), and a
//! train's cut is announced at its track's reminder times, saying when
//! nobody is on call and it will be skipped (`train.upcoming`).

use crate::api_client::config_job;
use crate::helpers::{spawn_app, TestApp};
use crate::webhook_receiver::Receiver;
use crate::webhooks_delivery::{subscribe, ARRIVES, FAST, SETTLE};
use app::domain::access::{Role, RoleSet};
use app::domain::TrainState;
use app::models::train::{NewTrain, ParticipantInput, TrainUpdate};
use app::services::actor::Actor;
use app::services::promotions::{request_promotion, Outcome};
use app::services::scheduler::run_due;
use app::services::trains::{create_train, update_train};
use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

/// An organisation of one service, `stage` then `prod`, and track `weekly`
/// whose trains freeze two hours before they start.
async fn organisation(app: &TestApp) {
    let job = config_job(app).await;
    for (path, body) in [
        ("/api/v1/services", json!({ "name": "exchange" })),
        (
            "/api/v1/environments",
            json!({ "name": "stage", "kind": "pre-production" }),
        ),
        (
            "/api/v1/environments",
            json!({ "name": "prod", "kind": "production" }),
        ),
        (
            "/api/v1/tracks",
            json!({
                "name": "weekly", "description": "Weekly", "cadence": null,
                "freeze_offset_minutes": 120, "pipeline": ["stage", "prod"]
            }),
        ),
    ] {
        let (code, answer) = job.api(Method::POST, path, Some(body.clone())).await;
        assert_eq!(code, 201, "{path} {body}: {answer}");
    }
}

/// Train `tag` of `weekly`, starting at `start`, on call `on_call`.
async fn train(app: &TestApp, tag: &str, start: DateTime<Utc>, on_call: Option<&str>) {
    let input = NewTrain {
        name: tag.to_owned(),
        target_version: None,
        participants: vec![ParticipantInput::Detailed {
            service: "exchange".into(),
            target_version: Some("1.0.0".into()),
            previous_version: Some("0.9.0".into()),
        }],
        dependencies: vec![],
        gates: Some(vec![]),
        captain: Some("cora".into()),
        track: Some("weekly".into()),
        tag: Some(tag.to_owned()),
        planned_start: Some(start),
        on_call: on_call.map(str::to_owned),
    };
    create_train(&app.pool, &Actor::new("ci"), input, Utc::now())
        .await
        .unwrap();
}

fn data(r: &crate::webhook_receiver::Received) -> Value {
    r.json()["data"].clone()
}

#[tokio::test]
async fn a_request_waiting_for_approval_names_its_approvers() {
    let app = spawn_app(&FAST).await;
    organisation(&app).await;
    let receiver = Receiver::start();
    subscribe(&app, &receiver.url("/waiting"), &["promotion.waiting"], &[]).await;
    train(
        &app,
        "v1.0.0-rc1",
        Utc::now() - Duration::hours(1),
        Some("omar"),
    )
    .await;
    let validating = TrainUpdate {
        status: Some(TrainState::Validating),
        ..TrainUpdate::default()
    };
    update_train(
        &app.pool,
        &Actor::new("ci"),
        "v1.0.0-rc1",
        validating,
        Utc::now(),
    )
    .await
    .unwrap();
    let captain = Actor::user("cora", None, RoleSet::new([Role::Captain]));
    let outcome = request_promotion(
        &app.pool,
        &captain,
        "v1.0.0-rc1",
        "to stage",
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(
        matches!(
            outcome,
            Outcome::Requested {
                promoted: false,
                ..
            }
        ),
        "{outcome:?}"
    );
    let got = receiver
        .wait_for("promotion.waiting", ARRIVES, |r| {
            r.iter().any(|r| r.succeeded())
        })
        .await;
    let waiting = data(&got[0]);
    assert_eq!(waiting["train"]["name"], "v1.0.0-rc1", "{waiting}");
    assert_eq!(waiting["after"]["environment"], "stage", "{waiting}");
    assert_eq!(
        waiting["after"]["approver_role"], "approver:stage",
        "{waiting}"
    );
    assert_eq!(waiting["after"]["approvals_needed"], 1, "{waiting}");
}

#[tokio::test]
async fn a_cut_is_announced_a_day_and_an_hour_before_once_each() {
    let app = spawn_app(&FAST).await;
    organisation(&app).await;
    let receiver = Receiver::start();
    subscribe(&app, &receiver.url("/upcoming"), &["train.upcoming"], &[]).await;
    // Days away in real time, so that only the test's clock makes it due.
    let start = Utc::now() + Duration::days(5);
    let cut = start - Duration::hours(2);
    train(&app, "v1.1.0-rc1", start, None).await;
    train(&app, "v1.2.0-rc1", start + Duration::hours(1), Some("omar")).await;

    run_due(&app.pool, cut - Duration::hours(23)).await.unwrap();
    run_due(&app.pool, cut - Duration::hours(22)).await.unwrap();
    let day = receiver
        .wait_for("the day-before reminders", ARRIVES, |r| r.len() >= 2)
        .await;
    let unwatched = day
        .iter()
        .map(data)
        .find(|d| d["train"]["name"] == "v1.1.0-rc1")
        .expect("the unwatched train's reminder");
    assert_eq!(unwatched["after"]["before_minutes"], 1440, "{unwatched}");
    assert_eq!(
        unwatched["after"]["will_skip"], true,
        "nobody is on call: {unwatched}"
    );
    let watched = day
        .iter()
        .map(data)
        .find(|d| d["train"]["name"] == "v1.2.0-rc1")
        .expect("the watched train's reminder");
    assert_eq!(watched["after"]["will_skip"], false, "{watched}");
    assert_eq!(watched["after"]["on_call"], "omar", "{watched}");

    run_due(&app.pool, cut - Duration::minutes(30))
        .await
        .unwrap();
    run_due(&app.pool, cut - Duration::minutes(29))
        .await
        .unwrap();
    let hour = receiver
        .wait_for("the hour-before reminder", ARRIVES, |r| r.len() >= 3)
        .await;
    let last = data(&hour[2]);
    assert_eq!(last["train"]["name"], "v1.1.0-rc1", "{last}");
    assert_eq!(last["after"]["before_minutes"], 60, "{last}");
    tokio::time::sleep(SETTLE).await;
    assert_eq!(receiver.received().len(), 3, "each reminder once");
}

#[tokio::test]
async fn the_reminders_carry_the_change_announcement_as_people_left_it() {
    let app = spawn_app(&FAST).await;
    organisation(&app).await;
    let receiver = Receiver::start();
    subscribe(&app, &receiver.url("/upcoming"), &["train.upcoming"], &[]).await;
    let start = Utc::now() + Duration::days(5);
    let cut = start - Duration::hours(2);
    train(&app, "v2.0.0-rc1", start, None).await;

    // Drafted from the train: seed 001's four sections with its facts.
    let (code, drafted) = app
        .api(
            Method::GET,
            "/api/v1/release-trains/v2.0.0-rc1/announcement",
            None,
        )
        .await;
    assert_eq!(code, 200, "{drafted}");
    assert_eq!(drafted["revision"], 0);
    let text = drafted["markdown"].as_str().unwrap();
    for part in [
        "## Impact",
        "- **exchange** 0.9.0 → 1.0.0: 0 change(s)",
        "## Risk & rollback",
        "exchange to 0.9.0",
        "## Owner & on-call",
        "- Captain: cora",
        "the train will be skipped unless someone takes it",
        "## Migration notes & flags",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    run_due(&app.pool, cut - Duration::hours(23)).await.unwrap();
    let day = receiver
        .wait_for("the day-before reminder", ARRIVES, |r| !r.is_empty())
        .await;
    assert_eq!(data(&day[0])["after"]["announcement"], text);

    // Edited, it is what the next reminder sends.
    let edited = format!("{text}\nThe EUR desk is told on Monday.\n");
    let (code, saved) = app
        .api(
            Method::PUT,
            "/api/v1/release-trains/v2.0.0-rc1/announcement",
            Some(json!({ "markdown": edited, "revision": 0 })),
        )
        .await;
    assert_eq!(code, 200, "{saved}");
    assert_eq!(saved["revision"], 1);
    run_due(&app.pool, cut - Duration::minutes(30))
        .await
        .unwrap();
    let hour = receiver
        .wait_for("the hour-before reminder", ARRIVES, |r| r.len() >= 2)
        .await;
    assert_eq!(
        data(&hour[1])["after"]["announcement"],
        saved["markdown"],
        "{}",
        hour[1].json()
    );
}
