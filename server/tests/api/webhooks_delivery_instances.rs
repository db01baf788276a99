//! Outgoing webhooks from more than one server instance: the workers of
//! every instance share one outbox, and a change is still accepted exactly
//! once when two instances race for it or when the instance that made the
//! first attempt goes away before the retry.

use crate::api_client::{create, transition};
use crate::helpers::{spawn_app, spawn_second_instance_with};
use crate::webhook_receiver::{summary, verify, Receiver, Reply};
use crate::webhooks_delivery::{accepted, subscribe, train, with_ledger, ARRIVES, FAST, SETTLE};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_database_send_each_change_exactly_once() {
    let app = spawn_app(&FAST).await;
    let other = spawn_second_instance_with(&app, &FAST).await;
    with_ledger(&app).await;
    let endpoint = Receiver::start();
    // A slow answer keeps a delivery in flight while the other instance polls.
    endpoint.default_reply("/race", Reply::status(200).after(Duration::from_millis(20)));
    let hook = subscribe(&app, &endpoint.url("/race"), &["*"], &[]).await;

    for i in 0..10 {
        let (by, then) = if i % 2 == 0 {
            (&app, &other)
        } else {
            (&other, &app)
        };
        let name = format!("race-{i}");
        assert_eq!(create(by, train(&name)).await.0, 201);
        assert_eq!(transition(then, &name, "validating").await.0, 200);
    }
    let accepted_ids = |r: &[crate::webhook_receiver::Received]| -> BTreeSet<String> {
        r.iter()
            .filter(|r| r.succeeded() && r.resource().starts_with("train:race-"))
            .map(|r| r.webhook_id().to_owned())
            .collect()
    };
    endpoint
        .wait_for("20 changes accepted", Duration::from_secs(40), |r| {
            accepted_ids(r).len() >= 20
        })
        .await;
    tokio::time::sleep(SETTLE).await;

    let received = endpoint.received_at("/race");
    assert_eq!(
        accepted_ids(&received).len(),
        20,
        "{:#?}",
        summary(&received)
    );
    let twice: Vec<_> = endpoint
        .count_by_webhook_id("/race")
        .into_iter()
        .filter(|(_, (_, ok))| *ok != 1)
        .collect();
    assert!(twice.is_empty(), "accepted more than once: {twice:?}");
    for i in 0..10 {
        let resource = format!("train:race-{i}");
        assert!(
            accepted(&received, &resource, "train.created"),
            "{resource}"
        );
        assert!(
            accepted(&received, &resource, "train.state_changed"),
            "{resource}"
        );
    }
    for r in &received {
        verify(&hook.secret, r).unwrap_or_else(|e| panic!("{}: {e}", r.webhook_id()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_waiting_for_its_retry_is_sent_once_by_the_instance_that_outlives_the_first() {
    let settings = [
        ("TRAINYARD_DEMO", "0"),
        ("TRAINYARD_WEBHOOK_POLL", "50ms"),
        ("TRAINYARD_WEBHOOK_RETRY_SCHEDULE", "0s,3s"),
    ];
    let first = spawn_app(&settings).await;
    with_ledger(&first).await;
    let endpoint = Receiver::start();
    endpoint.script("/restart", [Reply::status(500)]);
    let hook = subscribe(&first, &endpoint.url("/restart"), &["train.created"], &[]).await;
    assert_eq!(create(&first, train("r-1")).await.0, 201);
    let received = endpoint
        .wait_for("r-1's first attempt", ARRIVES, |r| !r.is_empty())
        .await;
    let id = received[0].webhook_id().to_owned();

    // The replacement starts, then the first instance goes away while the
    // delivery waits the three seconds of its retry.
    let second = spawn_second_instance_with(&first, &settings).await;
    let gone = first.address.clone();
    drop(first);
    let probe = reqwest::Client::builder()
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while probe.get(format!("{gone}/")).send().await.is_ok() {
        assert!(Instant::now() < deadline, "the first instance did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    endpoint
        .wait_for("r-1's creation accepted", ARRIVES, |r| {
            accepted(r, "train:r-1", "train.created")
        })
        .await;
    tokio::time::sleep(SETTLE).await;
    let counts = endpoint.count_by_webhook_id("/restart");
    assert_eq!(
        counts.get(&id),
        Some(&(2, 1)),
        "one failed attempt, one accepted: {:#?}",
        summary(&endpoint.received())
    );
    assert_eq!(counts.len(), 1, "{counts:?}");
    for r in endpoint.received() {
        verify(&hook.secret, &r).unwrap();
    }
    drop(second);
}
