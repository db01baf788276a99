//! Many clicks at once on two server instances sharing one Postgres: each
//! person's approval is recorded once and the promotion happens once.

use crate::helpers::spawn_second_instance;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::promotions::{act, panel, TRAIN};
use serde_json::json;

#[tokio::test]
async fn concurrent_clicks_on_two_instances_count_each_approver_once_and_promote_once() {
    let app = spawn_app_with_sign_in(&[]).await;
    let other = spawn_second_instance(&app).await;
    crate::api_client::prod_without_wait(&app).await;
    let ana = sign_in(&app, "ana").await;
    assert_eq!(
        act(&ana, "/approve", json!({}), None).await.0,
        200,
        "to stage"
    );

    // A double-clicked request, the same key on both instances: one request.
    let carl = sign_in(&app, "carl").await;
    let carl_there = crate::helpers::TestApp {
        address: other.address.clone(),
        ..carl.clone()
    };
    let (a, b) = tokio::join!(
        act(
            &carl,
            "",
            json!({ "note": "to prod" }),
            Some("request-prod-1")
        ),
        act(
            &carl_there,
            "",
            json!({ "note": "to prod" }),
            Some("request-prod-1")
        )
    );
    assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
    assert_eq!(a.1, b.1, "both get the one answer");
    let requests: i64 =
        sqlx::query_scalar("SELECT count(*) FROM promotion_request WHERE environment = 'prod'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(requests, 1);

    let ana_there = crate::helpers::TestApp {
        address: other.address.clone(),
        ..ana.clone()
    };
    let ben = sign_in(&app, "ben").await;
    let ben_there = crate::helpers::TestApp {
        address: other.address.clone(),
        ..ben.clone()
    };
    let mut clicks = Vec::new();
    for i in 0..10 {
        for who in [&ana, &ana_there, &ben, &ben_there] {
            let who = who.clone();
            let key = (i % 3 == 0).then(|| format!("retry-{}-{i:04}", who.address.len()));
            clicks.push(tokio::spawn(async move {
                act(&who, "/approve", json!({ "note": "go" }), key.as_deref()).await
            }));
        }
    }
    let mut statuses = Vec::new();
    for click in clicks {
        statuses.push(click.await.unwrap().0);
    }
    // After the promotion there is no open request left to approve.
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 404),
        "{statuses:?}"
    );
    let approvals: Vec<(String,)> = sqlx::query_as(
        "SELECT a.approver FROM approval a JOIN promotion_request r USING (promotion_request_id)
         WHERE r.environment = 'prod' ORDER BY a.approver",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(approvals, [("ana".to_owned(),), ("ben".to_owned(),)]);
    let promoted: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_record WHERE action = 'promotion.promote' AND after->>'promoted' = 'prod'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(promoted, 1);
    assert_eq!(panel(&app).await["request"]["state"], "promoted");
    let chain = app::services::audit::verify_chain(&app.pool).await;
    assert!(
        chain.is_ok(),
        "the audit chain stays intact under concurrency: {chain:?}"
    );
    let _ = TRAIN;
}
