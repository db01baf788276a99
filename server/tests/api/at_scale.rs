//! Issue 17's concurrency at real scale, over three server instances on one
//! database: a thousand approval clicks by five approvers on one prod
//! promotion (exactly the approvals the policy counts are recorded, each
//! approver at most once; the promotion happens once, each effective
//! decision has one audit record), and two hundred identical gate-result
//! batches with one idempotency key (recorded once). No request gets a 5xx.

use crate::helpers::{spawn_second_instance, TestApp};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::promotions::{act, panel};
use serde_json::json;
use std::collections::BTreeMap;

const CLICKS: usize = 1000;
const APPROVERS: [&str; 5] = ["ana", "ben", "cora", "dan", "eve"];

/// `who`, asking `instance` with the same session.
fn at(who: &TestApp, instance: &TestApp) -> TestApp {
    TestApp {
        address: instance.address.clone(),
        ..who.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_clicks_on_three_instances_count_each_approver_once_and_promote_once() {
    let app = spawn_app_with_sign_in(&[]).await;
    let instances = [
        app.clone(),
        spawn_second_instance(&app).await,
        spawn_second_instance(&app).await,
    ];
    crate::api_client::prod_without_wait(&app).await;
    let ana = sign_in(&app, "ana").await;
    assert_eq!(
        act(&ana, "/approve", json!({}), None).await.0,
        200,
        "to stage"
    );
    let carl = sign_in(&app, "carl").await;
    assert_eq!(
        act(&carl, "", json!({ "note": "to prod" }), None).await.0,
        200
    );
    let mut approvers = Vec::new();
    for name in APPROVERS {
        approvers.push(sign_in(&app, name).await);
    }

    let clicks: Vec<_> = (0..CLICKS)
        .map(|i| {
            let who = at(
                &approvers[i % APPROVERS.len()],
                &instances[i % instances.len()],
            );
            // Some clicks are a form's retries (one key per person), the
            // rest fresh clicks.
            let key = (i % 4 == 0).then(|| format!("approve-prod-{}", i % APPROVERS.len()));
            tokio::spawn(async move {
                act(&who, "/approve", json!({ "note": "go" }), key.as_deref()).await
            })
        })
        .collect();
    let mut statuses = BTreeMap::new();
    for click in clicks {
        let (status, body) = click.await.unwrap();
        assert!(
            [200, 404].contains(&status),
            "a click is counted or finds nothing left to approve, never {status}: {body}"
        );
        *statuses.entry(status).or_insert(0) += 1;
    }

    let approvals: Vec<(String,)> = sqlx::query_as(
        "SELECT a.approver FROM approval a JOIN promotion_request r USING (promotion_request_id)
         WHERE r.environment = 'prod' ORDER BY a.approver",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let distinct: std::collections::BTreeSet<_> = approvals.iter().collect();
    assert_eq!(
        distinct.len(),
        approvals.len(),
        "nobody counts twice: {approvals:?}"
    );
    assert_eq!(
        approvals.len(),
        2,
        "prod counts two approvals: {approvals:?}"
    );
    let count = |sql: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT count(*) FROM audit_record WHERE action = 'promotion.promote' AND after->>'promoted' = 'prod'").await,
        1,
        "one promotion"
    );
    assert_eq!(
        count("SELECT count(*) FROM audit_record WHERE action = 'promotion.approve'").await,
        1 + approvals.len() as i64,
        "one audit record per approval that counted (stage's one, then prod's)"
    );
    assert_eq!(panel(&app).await["request"]["state"], "promoted");
    app::services::audit::verify_chain(&app.pool)
        .await
        .expect("the chain holds");
    println!("at_scale: {CLICKS} clicks answered {statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_identical_batches_with_one_key_are_recorded_once() {
    let app = crate::helpers::spawn_app(&[]).await;
    let instances = [
        app.clone(),
        spawn_second_instance(&app).await,
        spawn_second_instance(&app).await,
    ];
    let train = "curve-2.1-rollout";
    let count = |sql: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let results = format!(
        "SELECT count(*) FROM gate_result r JOIN train t USING (train_id) WHERE t.name = '{train}' AND r.key = 'at-scale'"
    );
    let audited =
        "SELECT count(*) FROM audit_record WHERE action = 'gate_results.record'".to_owned();
    let audited_before = count(audited.clone()).await;
    let batch = json!({ "results": [
        { "participant": "curve", "gate": "at-scale", "value": 91 }
    ] });
    let sends: Vec<_> = (0..200)
        .map(|i| {
            let instance = instances[i % instances.len()].clone();
            let batch = batch.clone();
            tokio::spawn(async move {
                let response = instance
                    .request(
                        reqwest::Method::POST,
                        &format!("/api/v1/release-trains/{train}/gate-results"),
                    )
                    .header("idempotency-key", "ci-run-4711-gates")
                    .json(&batch)
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                (status, response.text().await.unwrap())
            })
        })
        .collect();
    let mut answers = std::collections::BTreeSet::new();
    for send in sends {
        let (status, body) = send.await.unwrap();
        assert_eq!(status, 200, "{body}");
        answers.insert(body);
    }
    assert_eq!(answers.len(), 1, "every send gets the first answer");
    assert_eq!(count(results).await, 1, "one result recorded");
    assert_eq!(count(audited).await, audited_before + 1, "one audit record");
}
