//! Two organisations that have never seen the demo set themselves up
//! through the API alone (services, environments, tracks) and run a train
//! each to its final environment, with the clock in the test's hands.

use crate::api_client::config_job;
use crate::helpers::{spawn_app, TestApp};
use app::domain::access::{Role, RoleSet};
use app::domain::TrainState;
use app::models::train::{NewTrain, ParticipantInput, TrainUpdate};
use app::services::actor::Actor;
use app::services::promotions::{approve_promotion, request_promotion, Outcome};
use app::services::scheduler::run_due;
use app::services::trains::{create_train, update_train};
use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::Method;
use serde_json::{json, Value};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 18, 0, 0).unwrap()
}

fn person(name: &str, roles: &[Role]) -> Actor {
    Actor::user(name, None, RoleSet::new(roles.iter().cloned()))
}

/// POSTs each body to its path as the config job; each must be created.
async fn set_up(job: &TestApp, steps: &[(&str, Value)]) {
    for (path, body) in steps {
        let (code, answer) = job.api(Method::POST, path, Some(body.clone())).await;
        assert_eq!(code, 201, "{path} {body}: {answer}");
    }
}

/// A train of `track` carrying `service` at 1.0.0, moved to validating.
async fn train_on(app: &TestApp, track: &str, tag: &str, service: &str) -> String {
    let system = Actor::new("ci");
    let input = NewTrain {
        name: tag.to_owned(),
        target_version: None,
        participants: vec![ParticipantInput::Detailed {
            service: service.to_owned(),
            target_version: Some("1.0.0".into()),
            previous_version: Some("0.9.0".into()),
        }],
        dependencies: vec![],
        gates: Some(vec![]),
        captain: Some("cora".into()),
        track: Some(track.to_owned()),
        tag: Some(tag.to_owned()),
        planned_start: None,
        on_call: Some("omar".into()),
    };
    create_train(&app.pool, &system, input, t0()).await.unwrap();
    let update = TrainUpdate {
        status: Some(TrainState::Validating),
        ..TrainUpdate::default()
    };
    update_train(&app.pool, &system, tag, update, t0())
        .await
        .unwrap();
    tag.to_owned()
}

async fn deployed(app: &TestApp, train: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT e.environment FROM train_environment e JOIN train t USING (train_id)
         WHERE t.name = $1 AND e.deployed_at IS NOT NULL ORDER BY e.deployed_at, e.environment",
    )
    .bind(train)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn seed_001s_weekly_train_goes_preview_then_stage_then_prod_with_two_approvers_and_a_wait() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let job = config_job(&app).await;
    set_up(
        &job,
        &[
            ("/api/v1/services", json!({ "name": "exchange", "owners": ["group:payments"] })),
            ("/api/v1/environments", json!({ "name": "preview", "kind": "preview" })),
            ("/api/v1/environments", json!({ "name": "stage", "kind": "pre-production" })),
            ("/api/v1/environments", json!({ "name": "prod", "kind": "production" })),
            (
                "/api/v1/tracks",
                json!({
                    "name": "weekly",
                    "cadence": { "every": "1", "days": ["TH"], "time": "18:00", "starts_on": "2026-12-03" },
                    "pipeline": ["preview", "stage", "prod"]
                }),
            ),
        ],
    )
    .await;
    let (_, prod) = app
        .api(Method::GET, "/api/v1/environments/prod", None)
        .await;
    assert_eq!(prod["policy"]["required_approvals"], 2, "{prod}");
    assert_eq!(prod["policy"]["wait_timer_secs"], 600);
    assert_eq!(prod["policy"]["approver_role"], "approver:prod");

    let train = train_on(&app, "weekly", "v1.0.0-rc1", "exchange").await;
    let captain = person("cora", &[Role::Captain]);
    let stage_approver = person("sam", &[Role::approver("stage")]);
    let (pia, pat) = (
        person("pia", &[Role::approver("prod")]),
        person("pat", &[Role::approver("prod")]),
    );
    let at = |m: i64| t0() + Duration::minutes(m);

    let to_preview = request_promotion(&app.pool, &captain, &train, "preview", None, at(1))
        .await
        .unwrap();
    assert!(
        matches!(to_preview, Outcome::Requested { promoted: true, .. }),
        "{to_preview:?}"
    );

    request_promotion(&app.pool, &captain, &train, "stage", None, at(2))
        .await
        .unwrap();
    let refused = approve_promotion(&app.pool, &pia, &train, "", None, at(3)).await;
    assert!(
        refused.unwrap_err().to_string().contains("approver:stage"),
        "a prod approver does not approve stage"
    );
    let stage = approve_promotion(&app.pool, &stage_approver, &train, "", None, at(3))
        .await
        .unwrap();
    assert_eq!(stage, Outcome::Approved { promoted: true });

    request_promotion(&app.pool, &captain, &train, "prod", None, at(4))
        .await
        .unwrap();
    let first = approve_promotion(&app.pool, &pia, &train, "", None, at(5))
        .await
        .unwrap();
    assert_eq!(
        first,
        Outcome::Approved { promoted: false },
        "two are needed"
    );
    let again = approve_promotion(&app.pool, &pia, &train, "", None, at(6))
        .await
        .unwrap();
    assert_eq!(
        again,
        Outcome::AlreadyApproved,
        "the same person counts once"
    );
    let second = approve_promotion(&app.pool, &pat, &train, "", None, at(7))
        .await
        .unwrap();
    assert_eq!(
        second,
        Outcome::Approved { promoted: false },
        "the wait holds it"
    );
    let early = run_due(&app.pool, at(16)).await.unwrap();
    assert!(early.promoted.is_empty(), "{early:?}");
    let due = run_due(&app.pool, at(17) + Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(due.promoted.len(), 1, "{due:?}");
    assert_eq!(deployed(&app, &train).await, ["preview", "stage", "prod"]);
}

#[tokio::test]
async fn seed_003s_hotfix_goes_straight_to_staging_and_dev_waits_out_its_soak() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let job = config_job(&app).await;
    set_up(
        &job,
        &[
            ("/api/v1/services", json!({ "name": "validator" })),
            ("/api/v1/environments", json!({ "name": "dev", "kind": "development" })),
            (
                "/api/v1/environments",
                json!({ "name": "staging", "kind": "pre-production", "policy": { "soak_hours": 168 } }),
            ),
            (
                "/api/v1/tracks",
                json!({
                    "name": "staging",
                    "cadence": { "every": "2", "days": ["WE"], "time": "14:00", "starts_on": "2026-12-02" },
                    "pipeline": ["dev", "staging"]
                }),
            ),
            (
                "/api/v1/tracks",
                json!({
                    "name": "dev",
                    "cadence": { "every": "1", "days": ["TU"], "time": "14:00", "starts_on": "2026-12-01" },
                    "pipeline": ["dev", "staging"],
                    "promotes_to": "staging",
                    "soak_hours": 168
                }),
            ),
            (
                "/api/v1/tracks",
                json!({ "name": "hotfix", "pipeline": ["staging"], "direct": true, "patches": "staging" }),
            ),
        ],
    )
    .await;
    let captain = person("cora", &[Role::Captain]);
    let approver = person("sam", &[Role::approver("staging")]);

    // The hotfix: straight to staging, no approval, no soak, no wait.
    let hotfix = train_on(&app, "hotfix", "v0.5.0-hotfix.1", "validator").await;
    let outcome = request_promotion(&app.pool, &captain, &hotfix, "sev1", None, t0())
        .await
        .unwrap();
    assert!(
        matches!(outcome, Outcome::Requested { promoted: true, .. }),
        "{outcome:?}"
    );
    assert_eq!(deployed(&app, &hotfix).await, ["staging"]);

    // A dev train: dev at once, staging only after seven clean days there.
    let dev = train_on(&app, "dev", "v0.5.0-dev.3", "validator").await;
    let outcome = request_promotion(&app.pool, &captain, &dev, "to dev", None, t0())
        .await
        .unwrap();
    assert!(
        matches!(outcome, Outcome::Requested { promoted: true, .. }),
        "{outcome:?}"
    );
    let day = |d: i64| t0() + Duration::days(d);
    request_promotion(&app.pool, &captain, &dev, "to staging", None, day(1))
        .await
        .unwrap();
    let early = approve_promotion(&app.pool, &approver, &dev, "", None, day(2))
        .await
        .unwrap();
    assert_eq!(
        early,
        Outcome::Approved { promoted: false },
        "the soak holds it"
    );
    let soaked = run_due(&app.pool, day(7) + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(soaked.promoted.len(), 1, "{soaked:?}");
    assert_eq!(deployed(&app, &dev).await, ["dev", "staging"]);
}
