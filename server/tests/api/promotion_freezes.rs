//! Promotions under a freeze, through HTTP: the freeze holds them, and
//! only an admin breaks the glass, only for a hotfix train.

use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::promotions::{act, panel};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn during_a_freeze_only_an_admin_breaks_the_glass_and_only_for_a_hotfix_train() {
    let app = spawn_app_with_sign_in(&[]).await;
    crate::api_client::freeze_everything_now(&app, "exchange cut-over").await;

    let ana = sign_in(&app, "ana").await;
    let (_, body) = act(&ana, "/approve", json!({}), None).await;
    assert_eq!(
        body,
        json!({ "Approved": { "promoted": false } }),
        "the freeze holds the promotion"
    );
    let blockers = panel(&app).await["request"]["evaluation"]["blockers"].to_string();
    assert!(blockers.contains("exchange cut-over"), "{blockers}");
    let adam = sign_in(&app, "adam").await;
    let (code, body) = act(
        &adam,
        "/break-glass",
        json!({ "note": "p1 incident" }),
        None,
    )
    .await;
    assert_eq!(code, 409, "{body}");
    assert!(body.to_string().contains("not on a direct lane"));

    // A hotfix train during the same freeze.
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains",
            Some(json!({
                "name": "v0.5.0-hotfix.1",
                "track": "hotfix",
                "tag": "v0.5.0-hotfix.1",
                "participants": ["curve"],
                "gates": [],
                "captain": "carl"
            })),
        )
        .await;
    assert_eq!(code, 201, "{body}");
    assert_eq!(
        crate::api_client::transition(&app, "v0.5.0-hotfix.1", "validating")
            .await
            .0,
        200
    );
    let carl = sign_in(&app, "carl").await;
    let hotfix = |who: &TestApp, path: &str, body: Value| {
        let who = who.clone();
        let path = path.to_owned();
        async move {
            let r = who
                .request(
                    Method::POST,
                    &format!("/api/v1/release-trains/v0.5.0-hotfix.1/promotions{path}"),
                )
                .header("origin", &who.address)
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (code, body) = hotfix(&carl, "", json!({ "note": "stale quotes in curve" })).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        body["Requested"]["promoted"], false,
        "the freeze holds it: {body}"
    );
    assert_eq!(
        hotfix(&carl, "/break-glass", json!({ "note": "mine" }))
            .await
            .0,
        403,
        "captains do not break glass"
    );
    assert_eq!(
        hotfix(&adam, "/break-glass", json!({ "note": " " }))
            .await
            .0,
        422,
        "the reason is required"
    );
    let (code, body) = hotfix(
        &adam,
        "/break-glass",
        json!({ "note": "customers get stale quotes" }),
    )
    .await;
    assert_eq!(
        (code, body),
        (200, json!({ "GlassBroken": { "promoted": true } }))
    );
    let glass: (String, Option<String>) = sqlx::query_as(
        "SELECT actor, reason FROM audit_record WHERE action = 'promotion.break_glass'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        glass,
        ("adam".into(), Some("customers get stale quotes".into()))
    );
    let promoted: Option<String> = sqlx::query_scalar(
        "SELECT reason FROM audit_record WHERE action = 'promotion.promote' AND resource = 'train:v0.5.0-hotfix.1'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        promoted.as_deref(),
        Some("break-glass by adam: customers get stale quotes")
    );
}
