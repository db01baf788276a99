//! Outgoing webhooks as an endpoint receives them: each committed change
//! once per subscription, signed, in the shape its published schema
//! describes, only of the types and trains it asks for, and nothing for a
//! change that rolled back. Retries and refusals are in
//! `webhooks_delivery_retries.rs`, several instances and restarts in
//! `webhooks_delivery_instances.rs`, rotation, redelivery and test events in
//! `webhooks_delivery_actions.rs`. Subscriptions are made through the
//! service layer, as the system; deliveries are read through the admin's
//! REST API.

use crate::api_client::{config_job, create, transition};
use crate::helpers::{spawn_app, TestApp};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhook_receiver::{summary, verify, Receiver};
use crate::webhooks_api::as_person;
use app::models::webhook::{CreatedWebhook, WebhookInput};
use app::services::actor::Actor;
use chrono::Utc;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// No demo trains, workers that look every 50 ms, and retries 500 ms apart.
pub const FAST: [(&str, &str); 3] = [
    ("TRAINYARD_DEMO", "0"),
    ("TRAINYARD_WEBHOOK_POLL", "50ms"),
    ("TRAINYARD_WEBHOOK_RETRY_SCHEDULE", "0s,500ms,500ms,500ms"),
];

/// How long a delivery may take to arrive on a busy test machine.
pub const ARRIVES: Duration = Duration::from_secs(20);

/// How long to keep watching for a duplicate once the expected deliveries
/// arrived: many polls, and more than one retry's delay.
pub const SETTLE: Duration = Duration::from_millis(1500);

/// Registers service `ledger`, which the tests' trains take part in.
pub async fn with_ledger(app: &TestApp) {
    let (code, body) = config_job(app)
        .await
        .api(
            Method::POST,
            "/api/v1/services",
            Some(json!({ "name": "ledger" })),
        )
        .await;
    assert_eq!(code, 201, "{body}");
}

pub fn train(name: &str) -> Value {
    json!({ "name": name, "participants": ["ledger"] })
}

/// A subscription of `url` to `events`, limited to `trains` (none: all).
pub async fn subscribe(
    app: &TestApp,
    url: &str,
    events: &[&str],
    trains: &[&str],
) -> CreatedWebhook {
    let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
    app::services::webhooks::create_webhook(
        &app.pool,
        &Actor::new("test"),
        &WebhookInput {
            url: url.to_owned(),
            description: "a test endpoint".to_owned(),
            events: strings(events),
            tracks: Vec::new(),
            trains: strings(trains),
            enabled: true,
            format: "standard".to_owned(),
            audience: None,
        },
        &app::domain::webhook::Channels::default(),
        Utc::now(),
    )
    .await
    .expect("the subscription is created")
}

/// Whether `received` holds an accepted request of `kind` about `resource`.
pub fn accepted(
    received: &[crate::webhook_receiver::Received],
    resource: &str,
    kind: &str,
) -> bool {
    received
        .iter()
        .any(|r| r.succeeded() && r.resource() == resource && r.event_type() == kind)
}

/// The subscription's deliveries, newest first, as the admin reads them.
pub async fn deliveries(admin: &TestApp, webhook: i64) -> Vec<Value> {
    let path = format!("/api/v1/webhooks/{webhook}/deliveries");
    let (code, body) = as_person(admin, Method::GET, &path, None).await;
    assert_eq!(code, 200, "{path}: {body}");
    body.as_array().cloned().unwrap_or_default()
}

/// Waits, up to `within`, until the delivery with `message_id` satisfies
/// `done`, and returns it.
pub async fn delivery_when(
    admin: &TestApp,
    webhook: i64,
    message_id: &str,
    within: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let all = deliveries(admin, webhook).await;
        if let Some(found) = all
            .iter()
            .find(|d| d["message_id"] == message_id && done(d))
        {
            return found.clone();
        }
        assert!(
            Instant::now() < deadline,
            "delivery {message_id} never got there: {all:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Asserts that the body of `r` validates against the JSON Schema the API
/// publishes for its type.
pub async fn assert_matches_schema(admin: &TestApp, r: &crate::webhook_receiver::Received) {
    let kind = r.event_type();
    let path = format!("/api/v1/webhook-event-types/{kind}/schema");
    let (code, schema) = as_person(admin, Method::GET, &path, None).await;
    assert_eq!(code, 200, "{path}: {schema}");
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("the schema of {kind} compiles: {e}\n{schema:#}"));
    let body = r.json();
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| format!("{}: {e}", e.instance_path().as_str()))
        .collect();
    assert!(
        errors.is_empty(),
        "{kind} breaks its schema: {errors:#?}\n{body:#}"
    );
}

#[tokio::test]
async fn each_committed_change_arrives_once_signed_and_as_its_schema_describes() {
    let app = spawn_app_with_sign_in(&FAST).await;
    with_ledger(&app).await;
    let adam = sign_in(&app, "adam").await;
    assert_eq!(create(&app, train("early")).await.0, 201);
    let endpoint = Receiver::start();
    let hook = subscribe(&app, &endpoint.url("/all"), &["*"], &[]).await;

    let (code, body) = create(&app, train("w-1")).await;
    assert_eq!(code, 201, "{body}");
    let (code, body) = transition(&app, "w-1", "validating").await;
    assert_eq!(code, 200, "{body}");
    endpoint
        .wait_for("w-1's creation and transition", ARRIVES, |r| {
            accepted(r, "train:w-1", "train.created")
                && accepted(r, "train:w-1", "train.state_changed")
        })
        .await;
    tokio::time::sleep(SETTLE).await;

    let all = endpoint.received_at("/all");
    let w1: Vec<_> = all.iter().filter(|r| r.resource() == "train:w-1").collect();
    let kinds: Vec<String> = w1.iter().map(|r| r.event_type()).collect();
    assert_eq!(
        kinds,
        ["train.created", "train.state_changed"],
        "once each, in order: {:#?}",
        summary(&all)
    );
    assert!(
        all.iter().all(|r| r.resource() != "train:early"),
        "a change recorded before the subscription is not sent: {:#?}",
        summary(&all)
    );
    assert_ne!(
        w1[0].webhook_id(),
        w1[1].webhook_id(),
        "two events, two ids"
    );
    for r in &w1 {
        verify(&hook.secret, r).unwrap_or_else(|e| panic!("{}: {e}", r.event_type()));
        assert_eq!(r.method, "POST");
        let content_type = r.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert!(r.webhook_id().starts_with("msg_"), "{}", r.webhook_id());
        let body = r.json();
        let at = body["timestamp"].as_str().unwrap_or_default();
        assert!(
            chrono::DateTime::parse_from_rfc3339(at).is_ok(),
            "timestamp {at:?}"
        );
        assert!(!body["data"]["actor"].is_null(), "{body:#}");
        assert_eq!(body["data"]["train"]["name"], "w-1", "{body:#}");
        let link = body["data"]["train"]["url"].as_str().unwrap_or_default();
        assert!(
            link.starts_with("http") && link.contains("w-1"),
            "an absolute link to the train's page: {link:?}"
        );
        assert_matches_schema(&adam, r).await;
    }
    assert!(
        w1[1].json()["data"].to_string().contains("validating"),
        "a transition says where the train went: {:#}",
        w1[1].json()
    );

    // The admin's view of the same deliveries, newest first.
    let ids: Vec<&str> = w1.iter().map(|r| r.webhook_id()).collect();
    delivery_when(&adam, hook.webhook.id, ids[1], ARRIVES, |d| {
        d["status"] == "delivered"
    })
    .await;
    let listed: Vec<Value> = deliveries(&adam, hook.webhook.id)
        .await
        .into_iter()
        .filter(|d| ids.contains(&d["message_id"].as_str().unwrap_or_default()))
        .collect();
    let shown: Vec<(&str, &str, i64, i64)> = listed
        .iter()
        .map(|d| {
            (
                d["message_id"].as_str().unwrap_or_default(),
                d["status"].as_str().unwrap_or_default(),
                d["attempts"].as_i64().unwrap_or_default(),
                d["last_status"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [(ids[1], "delivered", 1, 200), (ids[0], "delivered", 1, 200)],
        "{listed:#?}"
    );
    assert!(listed
        .iter()
        .all(|d| d["event_type"] != "" && !d["finished_at"].is_null()));
}

#[tokio::test]
async fn a_change_whose_transaction_rolls_back_is_never_sent() {
    let app = spawn_app(&FAST).await;
    with_ledger(&app).await;
    let endpoint = Receiver::start();
    subscribe(&app, &endpoint.url("/all"), &["*"], &[]).await;

    let mut tx = app::services::audit::begin_write(&app.pool).await.unwrap();
    app::services::changes::record(
        &mut tx,
        &Actor::new("test"),
        app::domain::change::Change::TrainDeleted {
            train: "ghost".into(),
            state: app::domain::TrainState::Planning,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    // Several polls while the change is written but not committed.
    tokio::time::sleep(Duration::from_millis(300)).await;
    tx.rollback().await.unwrap();

    assert_eq!(create(&app, train("w-2")).await.0, 201);
    endpoint
        .wait_for("w-2's creation", ARRIVES, |r| {
            accepted(r, "train:w-2", "train.created")
        })
        .await;
    tokio::time::sleep(SETTLE).await;
    let all = endpoint.received();
    assert!(
        all.iter()
            .all(|r| r.resource() != "train:ghost" && r.event_type() != "train.deleted"),
        "the rolled-back deletion was sent: {:#?}",
        summary(&all)
    );
}

#[tokio::test]
async fn a_subscription_gets_only_the_event_types_and_trains_it_names() {
    let app = spawn_app(&FAST).await;
    with_ledger(&app).await;
    for name in ["f-1", "f-2"] {
        assert_eq!(create(&app, train(name)).await.0, 201);
    }
    let endpoint = Receiver::start();
    subscribe(
        &app,
        &endpoint.url("/one"),
        &["train.state_changed"],
        &["f-1"],
    )
    .await;
    subscribe(&app, &endpoint.url("/trains"), &["train.*"], &[]).await;
    subscribe(&app, &endpoint.url("/promotions"), &["promotion.*"], &[]).await;

    for name in ["f-1", "f-2"] {
        assert_eq!(transition(&app, name, "validating").await.0, 200);
    }
    let results =
        json!({ "results": [{ "participant": "ledger", "gate": "quality_score", "value": 91 }] });
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains/f-1/gate-results",
            Some(results),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    endpoint
        .wait_for("both transitions at /trains", ARRIVES, |r| {
            let at_trains: Vec<_> = r.iter().filter(|r| r.path == "/trains").cloned().collect();
            accepted(&at_trains, "train:f-1", "train.state_changed")
                && accepted(&at_trains, "train:f-2", "train.state_changed")
        })
        .await;
    tokio::time::sleep(SETTLE).await;

    let seen = |path: &str| -> Vec<(String, String)> {
        endpoint
            .received_at(path)
            .iter()
            .map(|r| (r.event_type(), r.resource()))
            .collect()
    };
    let pair = |kind: &str, resource: &str| (kind.to_owned(), resource.to_owned());
    assert_eq!(seen("/one"), [pair("train.state_changed", "train:f-1")]);
    // Two trains: no order between them.
    let mut at_trains = seen("/trains");
    at_trains.sort();
    assert_eq!(
        at_trains,
        [
            pair("train.state_changed", "train:f-1"),
            pair("train.state_changed", "train:f-2")
        ],
        "train.* is not gate.*, and creations came before the subscription"
    );
    assert!(seen("/promotions").is_empty(), "{:?}", seen("/promotions"));
}
