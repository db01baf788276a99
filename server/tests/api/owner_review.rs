//! Seed 004's component owners review their services' changes: a policy
//! that asks owners holds a promotion until an owner of each owned service
//! has approved, and an owner who signed in through the provider approves
//! as a member of a group, without any approver role.

use crate::api_client::config_job;
use crate::calendar_edit::post_form;
use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use app::domain::access::{Role, RoleSet};
use app::domain::TrainState;
use app::models::train::{NewTrain, ParticipantInput, TrainUpdate};
use app::services::actor::Actor;
use app::services::promotions::{approve_promotion, request_promotion, Outcome};
use app::services::trains::{create_train, update_train};
use chrono::Utc;
use reqwest::Method;
use serde_json::json;

fn person(name: &str, roles: &[Role]) -> Actor {
    Actor::user(name, None, RoleSet::new(roles.iter().cloned()))
}

/// A validating train carrying both services into the one environment.
async fn train(app: &TestApp) -> String {
    let system = Actor::new("ci");
    let part = |service: &str| ParticipantInput::Detailed {
        service: service.into(),
        target_version: Some("2.0.0".into()),
        previous_version: Some("1.9.0".into()),
    };
    let input = NewTrain {
        name: "v2.0.0-rc1".into(),
        target_version: None,
        participants: vec![part("curve"), part("scenario")],
        dependencies: vec![],
        gates: Some(vec![]),
        captain: Some("cora".into()),
        track: Some("weekly".into()),
        tag: Some("v2.0.0-rc1".into()),
        planned_start: None,
        on_call: None,
    };
    create_train(&app.pool, &system, input, Utc::now())
        .await
        .unwrap();
    let update = TrainUpdate {
        status: Some(TrainState::Validating),
        ..TrainUpdate::default()
    };
    update_train(&app.pool, &system, "v2.0.0-rc1", update, Utc::now())
        .await
        .unwrap();
    "v2.0.0-rc1".into()
}

async fn approve_over_http(who: &TestApp, train: &str) -> (u16, serde_json::Value) {
    let response = who
        .request(
            Method::POST,
            &format!("/api/v1/release-trains/{train}/promotions/approve"),
        )
        .header("origin", &who.address)
        .json(&json!({ "note": "reviewed" }))
        .send()
        .await
        .expect("a response");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn owners_of_each_service_review_before_production_as_people_or_as_groups() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let job = config_job(&app).await;
    let steps = [
        (
            "/api/v1/services",
            json!({ "name": "curve", "owners": ["olivia"] }),
        ),
        (
            "/api/v1/services",
            json!({ "name": "scenario", "owners": ["group:viewer"] }),
        ),
        (
            "/api/v1/environments",
            json!({ "name": "live", "kind": "production",
                    "policy": { "required_approvals": 1, "wait_minutes": 0, "owner_review": true } }),
        ),
        (
            "/api/v1/tracks",
            json!({ "name": "weekly", "pipeline": ["live"] }),
        ),
    ];
    for (path, body) in steps {
        let (code, answer) = job.api(Method::POST, path, Some(body.clone())).await;
        assert_eq!(code, 201, "{path} {body}: {answer}");
    }
    let (_, live) = app
        .api(Method::GET, "/api/v1/environments/live", None)
        .await;
    assert_eq!(live["policy"]["owner_review"], true, "{live}");
    let train = train(&app).await;
    let captain = person("cora", &[Role::Captain]);
    request_promotion(&app.pool, &captain, &train, "live", None, Utc::now())
        .await
        .unwrap();

    let ben = person("ben", &[Role::approver("live")]);
    let by_role = approve_promotion(&app.pool, &ben, &train, "", None, Utc::now()).await;
    assert_eq!(
        by_role.unwrap(),
        Outcome::Approved { promoted: false },
        "owners have not reviewed"
    );

    // nina has no group that owns a service, and no role.
    let nina = sign_in(&app, "nina").await;
    let (code, refused) = approve_over_http(&nina, &train).await;
    assert_eq!(code, 403, "{refused}");
    assert!(
        refused
            .to_string()
            .contains("ownership of a service in the train"),
        "{refused}"
    );
    // val is a viewer, in the provider's group `viewer`, which owns scenario.
    let val = sign_in(&app, "val").await;
    let (code, waiting) = post_form(&val, "promotions/waiting", &[]).await;
    assert_eq!(code, 200, "{waiting}");
    assert_eq!(
        waiting[0]["train"],
        train.as_str(),
        "waiting for her review: {waiting}"
    );
    let (_, nothing) = post_form(&nina, "promotions/waiting", &[]).await;
    assert_eq!(nothing, json!([]), "nina owns nothing");
    let (code, approved) = approve_over_http(&val, &train).await;
    assert_eq!(code, 200, "{approved}");
    assert_eq!(
        approved,
        json!({ "Approved": { "promoted": false } }),
        "curve's owner has not"
    );
    let (_, done) = post_form(&val, "promotions/waiting", &[]).await;
    assert_eq!(done, json!([]), "reviewed: nothing waits for her now");
    let page = val.page(&format!("/trains/{train}")).await;
    assert!(
        page.contains("waiting for an owner of curve to approve"),
        "the panel says who is missing"
    );

    let olivia = person("olivia", &[Role::Owner]);
    let last = approve_promotion(&app.pool, &olivia, &train, "", None, Utc::now()).await;
    assert_eq!(last.unwrap(), Outcome::Approved { promoted: true });
    let recorded: Vec<(String, bool, Vec<String>)> = sqlx::query_as(
        "SELECT approver, as_approver, owner_of FROM approval ORDER BY approved_at, approval_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        recorded,
        [
            ("ben".into(), true, vec![]),
            ("val".into(), false, vec!["scenario".into()]),
            ("olivia".into(), false, vec!["curve".into()]),
        ]
    );
}
