//! Outgoing webhooks when the endpoint does not simply accept: a 5xx is
//! retried under the same webhook-id, `Retry-After` is honoured, a 410
//! turns the subscription off, a redirect is a failure and not followed,
//! and a train's events wait for its earlier one.

use crate::api_client::create;
use crate::helpers::spawn_app;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhook_receiver::{summary, verify, Receiver, Reply};
use crate::webhooks_delivery::{
    accepted, delivery_when, subscribe, train, with_ledger, ARRIVES, FAST, SETTLE,
};
use app::services::actor::Actor;
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_delivery_answered_500_is_retried_under_the_same_webhook_id_until_accepted() {
    let app = spawn_app_with_sign_in(&FAST).await;
    with_ledger(&app).await;
    let adam = sign_in(&app, "adam").await;
    let endpoint = Receiver::start();
    endpoint.script("/flaky", [Reply::status(500), Reply::status(500)]);
    let hook = subscribe(&app, &endpoint.url("/flaky"), &["train.created"], &[]).await;

    assert_eq!(create(&app, train("t-1")).await.0, 201);
    endpoint
        .wait_for("t-1's creation accepted", ARRIVES, |r| {
            accepted(r, "train:t-1", "train.created")
        })
        .await;
    let tries = endpoint.received_at("/flaky");
    let answers: Vec<u16> = tries.iter().map(|r| r.answered).collect();
    assert_eq!(answers, [500, 500, 200], "{:#?}", summary(&tries));
    let id = tries[0].webhook_id();
    assert!(
        tries.iter().all(|r| r.webhook_id() == id),
        "one event, one id: {:#?}",
        summary(&tries)
    );
    for r in &tries {
        verify(&hook.secret, r).unwrap_or_else(|e| panic!("a retry's signature: {e}"));
        assert_eq!(r.body, tries[0].body, "every attempt sends the same body");
    }

    let delivery = delivery_when(&adam, hook.webhook.id, id, ARRIVES, |d| {
        d["status"] == "delivered"
    })
    .await;
    assert_eq!(delivery["attempts"], 3, "{delivery:#}");
    assert_eq!(delivery["last_status"], 200, "{delivery:#}");
    assert_eq!(delivery["event_type"], "train.created", "{delivery:#}");
    assert!(!delivery["finished_at"].is_null(), "{delivery:#}");
    let sent: serde_json::Value =
        serde_json::from_str(delivery["request_body"].as_str().unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(sent, tries[0].json(), "the stored body is the one sent");
}

#[tokio::test]
async fn retry_after_on_a_503_delays_the_next_attempt_past_the_schedule() {
    let app = spawn_app(&FAST).await;
    with_ledger(&app).await;
    let endpoint = Receiver::start();
    endpoint.script("/busy", [Reply::status(503).header("retry-after", "2")]);
    subscribe(&app, &endpoint.url("/busy"), &["train.created"], &[]).await;

    assert_eq!(create(&app, train("t-2")).await.0, 201);
    endpoint
        .wait_for("t-2's creation accepted", ARRIVES, |r| {
            accepted(r, "train:t-2", "train.created")
        })
        .await;
    let tries = endpoint.received_at("/busy");
    assert_eq!(tries.len(), 2, "{:#?}", summary(&tries));
    let waited = tries[1].at - tries[0].at;
    assert!(
        waited >= Duration::from_millis(1900),
        "the schedule says 500 ms, the endpoint asked for 2 s; it waited {waited:?}"
    );
}

#[tokio::test]
async fn a_410_turns_the_subscription_off_and_nothing_more_is_sent() {
    let app = spawn_app(&FAST).await;
    with_ledger(&app).await;
    let endpoint = Receiver::start();
    endpoint.script("/gone", [Reply::status(410)]);
    let hook = subscribe(&app, &endpoint.url("/gone"), &["*"], &[]).await;

    assert_eq!(create(&app, train("g-1")).await.0, 201);
    endpoint
        .wait_for("g-1's creation", ARRIVES, |r| !r.is_empty())
        .await;
    let deadline = Instant::now() + ARRIVES;
    let view = loop {
        let view = app::services::webhooks::get_webhook(
            &app.pool,
            &Actor::new("test"),
            hook.webhook.id,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        if !view.enabled {
            break view;
        }
        assert!(
            Instant::now() < deadline,
            "still enabled after a 410: {view:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let reason = view.disabled_reason.clone().unwrap_or_default();
    assert!(reason.contains("410"), "the reason names the 410: {view:?}");

    let (code, body) = crate::api_client::transition(&app, "g-1", "validating").await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(create(&app, train("g-2")).await.0, 201);
    tokio::time::sleep(SETTLE * 2).await;
    let all = endpoint.received();
    assert_eq!(
        all.len(),
        1,
        "only the answer that said gone: {:#?}",
        summary(&all)
    );
}

#[tokio::test]
async fn a_redirect_is_a_failure_and_is_not_followed() {
    let app = spawn_app_with_sign_in(&FAST).await;
    with_ledger(&app).await;
    let adam = sign_in(&app, "adam").await;
    let endpoint = Receiver::start();
    endpoint.default_reply(
        "/moved",
        Reply::status(302).header("location", &endpoint.url("/target")),
    );
    let hook = subscribe(&app, &endpoint.url("/moved"), &["train.created"], &[]).await;

    assert_eq!(create(&app, train("m-1")).await.0, 201);
    let received = endpoint
        .wait_for("m-1's first attempt", ARRIVES, |r| !r.is_empty())
        .await;
    let id = received[0].webhook_id().to_owned();
    // Four delays in the schedule: four attempts, then failed.
    let delivery = delivery_when(&adam, hook.webhook.id, &id, ARRIVES, |d| {
        d["status"] == "failed"
    })
    .await;
    assert_eq!(delivery["attempts"], 4, "{delivery:#}");
    assert_eq!(delivery["last_status"], 302, "{delivery:#}");
    tokio::time::sleep(SETTLE).await;
    let all = endpoint.received();
    assert!(
        all.iter().all(|r| r.path == "/moved"),
        "the redirect was followed: {:#?}",
        summary(&all)
    );
    assert_eq!(all.len(), 4, "{:#?}", summary(&all));
}

#[tokio::test]
async fn a_trains_events_wait_for_its_earlier_event_that_is_being_retried() {
    let app = spawn_app(&FAST).await;
    with_ledger(&app).await;
    let endpoint = Receiver::start();
    endpoint.script("/ordered", [Reply::status(500)]);
    subscribe(&app, &endpoint.url("/ordered"), &["*"], &[]).await;

    assert_eq!(create(&app, train("o-1")).await.0, 201);
    assert_eq!(
        crate::api_client::transition(&app, "o-1", "validating")
            .await
            .0,
        200
    );
    let results =
        json!({ "results": [{ "participant": "ledger", "gate": "quality_score", "value": 91 }] });
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains/o-1/gate-results",
            Some(results),
        )
        .await;
    assert_eq!(code, 200, "{body}");

    let accepted_of_o1 = |r: &[crate::webhook_receiver::Received]| {
        r.iter()
            .filter(|r| r.succeeded() && r.resource() == "train:o-1")
            .count()
    };
    endpoint
        .wait_for("o-1's three events accepted", ARRIVES, |r| {
            accepted_of_o1(r) >= 3
        })
        .await;
    tokio::time::sleep(SETTLE).await;
    let tries: Vec<_> = endpoint
        .received_at("/ordered")
        .into_iter()
        .filter(|r| r.resource() == "train:o-1")
        .collect();
    assert_eq!(tries[0].answered, 500, "{:#?}", summary(&tries));
    let first_accepted = tries.iter().position(|r| r.succeeded()).unwrap();
    assert!(
        tries[..first_accepted]
            .iter()
            .all(|r| r.event_type() == "train.created"),
        "a later event arrived while the creation was being retried: {:#?}",
        summary(&tries)
    );
    let kinds: Vec<String> = tries
        .iter()
        .filter(|r| r.succeeded())
        .map(|r| r.event_type())
        .collect();
    assert_eq!(
        kinds,
        [
            "train.created",
            "train.state_changed",
            "gate.results_recorded"
        ],
        "in the order they were recorded, once each: {:#?}",
        summary(&tries)
    );
}
