//! Gate results from CI arrive while people move the same trains: batches
//! append to the audit chain last, other writers lock it first, and the two
//! never wait for each other in a circle. Every batch is kept, every answer
//! is a success or a refused transition, and the chain stays whole.

use crate::api_client::{create, seed_train, transition};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::json;

const TRAINS: [&str; 3] = ["race-a", "race-b", "race-c"];
const BATCHES_PER_TRAIN: usize = 12;
const RESULTS_PER_BATCH: usize = 10;

#[tokio::test]
async fn batches_and_transitions_on_the_same_trains_all_finish_and_lose_nothing() {
    let app = spawn_app(&[]).await;
    for train in TRAINS {
        assert_eq!(create(&app, seed_train(train)).await.0, 201);
        assert_eq!(transition(&app, train, "validating").await.0, 200);
    }
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM gate_result")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let mut work = Vec::new();
    for (t, train) in TRAINS.into_iter().enumerate() {
        for b in 0..BATCHES_PER_TRAIN {
            let app = app.clone();
            let results: Vec<_> = (0..RESULTS_PER_BATCH)
                .map(|i| {
                    let participant = ["curve", "scenario", "backtesting"][(b + i) % 3];
                    json!({ "participant": participant, "gate": format!("check-{i}"), "passed": i % 2 == 0 })
                })
                .collect();
            work.push(tokio::spawn(async move {
                let path = format!("/api/v1/release-trains/{train}/gate-results");
                let (code, body) = app
                    .api(Method::POST, &path, Some(json!({ "results": results })))
                    .await;
                (format!("batch {train} {b}"), code, body)
            }));
        }
        // Pause and resume, taking the train's row under the chain's lock.
        for round in 0..4 {
            let app = app.clone();
            work.push(tokio::spawn(async move {
                let to = if (round + t) % 2 == 0 {
                    "paused"
                } else {
                    "validating"
                };
                let (code, body) = transition(&app, train, to).await;
                (format!("{to} {train}"), code, body)
            }));
        }
    }
    for done in work {
        let (what, code, body) = done.await.unwrap();
        let fine = if what.starts_with("batch") {
            code == 200
        } else {
            code == 200 || code == 409
        };
        assert!(fine, "{what}: {code} {body}");
    }

    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM gate_result")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let sent = TRAINS.len() * BATCHES_PER_TRAIN * RESULTS_PER_BATCH;
    assert_eq!(after - before, sent as i64, "every result kept once");
    let records: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_record")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let checked = app::services::audit::verify_chain(&app.pool).await.unwrap();
    assert_eq!(checked as i64, records, "one unbroken chain");
}
