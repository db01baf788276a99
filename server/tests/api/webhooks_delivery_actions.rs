//! What an admin does to a subscription, as its endpoint sees it: after a
//! secret's rotation each delivery is signed by both secrets, a redelivery
//! is the same event under the same webhook-id, and a test event goes to
//! that subscription alone.

use crate::api_client::create;
use crate::helpers::spawn_app;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhook_receiver::{signature_entries, signatures_by, summary, verify, Receiver};
use crate::webhooks_api::as_person;
use crate::webhooks_delivery::{
    accepted, assert_matches_schema, delivery_when, subscribe, train, with_ledger, ARRIVES, FAST,
    SETTLE,
};
use app::services::actor::Actor;
use chrono::Utc;
use reqwest::Method;

#[tokio::test]
async fn after_a_rotation_deliveries_carry_a_signature_by_each_secret() {
    let app = spawn_app(&FAST).await;
    with_ledger(&app).await;
    let endpoint = Receiver::start();
    let hook = subscribe(&app, &endpoint.url("/all"), &["train.created"], &[]).await;
    let now = Utc::now();
    let rotated = app::services::webhooks::rotate_secret(
        &app.pool,
        &Actor::new("test"),
        hook.webhook.id,
        Some(24),
        now,
    )
    .await
    .unwrap();
    assert_ne!(rotated.secret, hook.secret);
    assert!(rotated.secret.starts_with("whsec_"), "{}", rotated.secret);
    let grace = rotated.previous_expires_at - now;
    assert!(
        grace > chrono::Duration::hours(23)
            && grace <= chrono::Duration::hours(24) + chrono::Duration::seconds(1),
        "the old secret lasts 24 hours: {grace}"
    );

    assert_eq!(create(&app, train("w-4")).await.0, 201);
    let received = endpoint
        .wait_for("w-4's creation", ARRIVES, |r| {
            accepted(r, "train:w-4", "train.created")
        })
        .await;
    let r = received.iter().find(|r| r.succeeded()).unwrap();
    let entries = signature_entries(r);
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries.iter().all(|e| e.starts_with("v1,")), "{entries:?}");
    assert_eq!(
        signatures_by(&hook.secret, r),
        1,
        "one by the old secret: {entries:?}"
    );
    assert_eq!(
        signatures_by(&rotated.secret, r),
        1,
        "one by the new: {entries:?}"
    );
    verify(&rotated.secret, r).unwrap();
    verify(&hook.secret, r).unwrap();
}

#[tokio::test]
async fn a_redelivery_keeps_the_webhook_id_and_a_test_goes_to_one_subscription() {
    let app = spawn_app_with_sign_in(&FAST).await;
    with_ledger(&app).await;
    let adam = sign_in(&app, "adam").await;
    let endpoint = Receiver::start();
    let hook = subscribe(&app, &endpoint.url("/all"), &["*"], &[]).await;
    subscribe(&app, &endpoint.url("/other"), &["*"], &[]).await;
    assert_eq!(create(&app, train("w-3")).await.0, 201);
    let received = endpoint
        .wait_for("w-3's creation at both", ARRIVES, |r| {
            r.iter()
                .filter(|r| r.succeeded() && r.resource() == "train:w-3")
                .count()
                >= 2
        })
        .await;
    let first = received
        .iter()
        .find(|r| r.path == "/all" && r.succeeded())
        .unwrap()
        .clone();
    let original = delivery_when(&adam, hook.webhook.id, first.webhook_id(), ARRIVES, |d| {
        d["status"] == "delivered"
    })
    .await;

    let path = format!(
        "/api/v1/webhooks/{}/deliveries/{}/redeliver",
        hook.webhook.id, original["id"]
    );
    let (code, again) = as_person(&adam, Method::POST, &path, None).await;
    assert_eq!(code, 202, "{again}");
    assert_eq!(again["message_id"], first.webhook_id(), "{again}");
    assert_ne!(again["id"], original["id"], "a new delivery: {again}");
    // One event has one webhook-id at every endpoint it goes to (as in the
    // spec's reference servers), so the redelivery is told apart by path.
    let received = endpoint
        .wait_for("the redelivery", ARRIVES, |r| {
            r.iter()
                .filter(|r| {
                    r.path == "/all" && r.succeeded() && r.webhook_id() == first.webhook_id()
                })
                .count()
                >= 2
        })
        .await;
    let second = received
        .iter()
        .filter(|r| r.path == "/all" && r.webhook_id() == first.webhook_id())
        .nth(1)
        .unwrap();
    verify(&hook.secret, second).unwrap();
    assert_eq!(second.json(), first.json(), "the same event");

    let path = format!("/api/v1/webhooks/{}/test", hook.webhook.id);
    let (code, test) = as_person(&adam, Method::POST, &path, None).await;
    assert_eq!(code, 202, "{test}");
    assert_eq!(test["event_type"], "webhook.test", "{test}");
    let received = endpoint
        .wait_for("the test event", ARRIVES, |r| {
            r.iter()
                .any(|r| r.succeeded() && r.event_type() == "webhook.test")
        })
        .await;
    let ping = received
        .iter()
        .find(|r| r.event_type() == "webhook.test")
        .unwrap();
    assert_eq!(ping.path, "/all");
    assert_eq!(ping.webhook_id(), test["message_id"]);
    verify(&hook.secret, ping).unwrap();
    assert_matches_schema(&adam, ping).await;
    tokio::time::sleep(SETTLE).await;
    let other = endpoint.received_at("/other");
    assert_eq!(
        other.len(),
        1,
        "only w-3's creation: {:#?}",
        summary(&other)
    );
}
