//! Promotion timers through the service layer with the clock in the test's
//! hands: the wait timer, the soak and the scheduler that acts on them.

use crate::helpers::fresh_database;
use app::domain::access::{Role, RoleSet};
use app::models::train::{
    GateResultBatch, GateResultInput, NewTrain, ParticipantInput, TrainUpdate,
};
use app::services::actor::Actor;
use app::services::promotions::{approve_promotion, request_promotion, Outcome};
use app::services::scheduler::run_due;
use app::services::trains::{create_train, record_gate_results, update_train};
use chrono::{DateTime, Duration, TimeZone, Utc};
use sqlx::PgPool;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap()
}

fn person(name: &str, roles: &[Role]) -> Actor {
    Actor::user(name, None, RoleSet::new(roles.iter().cloned()))
}

/// A fresh database with the demo's tracks and services, and a train in
/// staging on `track` (none: no track) whose gates pass.
async fn train_ready(track: Option<(&str, &str)>) -> (PgPool, String) {
    let (_, _, pool) = fresh_database().await;
    let (_dir, store) = crate::demo_data::test_store();
    app::services::demo::load_if_empty(&pool, &store, t0() - Duration::days(30))
        .await
        .unwrap();
    let name = track.map_or("ledger-1.0".to_owned(), |(_, tag)| tag.to_owned());
    let system = Actor::new("test");
    let input = NewTrain {
        name: name.clone(),
        target_version: Some("1.0.0".into()),
        participants: vec![ParticipantInput::Name("curve".into())],
        dependencies: vec![],
        gates: Some(vec![]),
        captain: Some("carl".into()),
        track: track.map(|(t, _)| t.to_owned()),
        tag: track.map(|(_, tag)| tag.to_owned()),
        planned_start: None,
        on_call: Some("ana".into()),
    };
    create_train(&pool, &system, input, t0()).await.unwrap();
    let to = |state| TrainUpdate {
        status: Some(state),
        ..TrainUpdate::default()
    };
    update_train(
        &pool,
        &system,
        &name,
        to(app::domain::TrainState::Validating),
        t0(),
    )
    .await
    .unwrap();
    let batch = GateResultBatch {
        results: vec![GateResultInput {
            participant: "curve".into(),
            gate: "unit-tests".into(),
            value: None,
            passed: Some(true),
            source: None,
            url: None,
        }],
    };
    record_gate_results(&pool, &system, &name, batch, t0())
        .await
        .unwrap();
    (pool, name)
}

async fn promotions(pool: &PgPool, name: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT r.environment, r.state FROM promotion_request r JOIN train t USING (train_id)
         WHERE t.name = $1 ORDER BY r.promotion_request_id",
    )
    .bind(name)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn prod_waits_ten_minutes_after_its_second_approval_and_the_scheduler_promotes_once() {
    let (pool, train) = train_ready(None).await;
    let carl = person("carl", &[Role::Captain]);
    for (env, at) in [("dev", t0()), ("stage", t0() + Duration::hours(1))] {
        let outcome = request_promotion(&pool, &carl, &train, &format!("to {env}"), None, at)
            .await
            .unwrap();
        if env == "stage" {
            let ana = person("ana", &[Role::approver("stage"), Role::approver("prod")]);
            approve_promotion(&pool, &ana, &train, "", None, at)
                .await
                .unwrap();
        } else {
            assert!(
                matches!(outcome, Outcome::Requested { promoted: true, .. }),
                "dev needs nobody: {outcome:?}"
            );
        }
    }
    let requested = t0() + Duration::hours(2);
    request_promotion(&pool, &carl, &train, "to prod", None, requested)
        .await
        .unwrap();
    let ana = person("ana", &[Role::approver("stage"), Role::approver("prod")]);
    let ben = person("ben", &[Role::approver("prod")]);
    approve_promotion(
        &pool,
        &ana,
        &train,
        "",
        None,
        requested + Duration::minutes(1),
    )
    .await
    .unwrap();
    let second = requested + Duration::minutes(3);
    let outcome = approve_promotion(&pool, &ben, &train, "", None, second)
        .await
        .unwrap();
    assert_eq!(
        outcome,
        Outcome::Approved { promoted: false },
        "the wait timer holds it"
    );

    let early = run_due(&pool, second + Duration::minutes(9)).await.unwrap();
    assert!(early.promoted.is_empty(), "{early:?}");
    // The server was down when the timer ran out: the next run catches up.
    let late = second + Duration::days(2);
    let (a, b) = tokio::join!(run_due(&pool, late), run_due(&pool, late));
    let promoted: Vec<String> = [a.unwrap(), b.unwrap()]
        .into_iter()
        .flat_map(|r| r.promoted)
        .collect();
    assert_eq!(promoted, [format!("{train} → prod")]);
    assert_eq!(
        promotions(&pool, &train).await.last().unwrap(),
        &("prod".to_owned(), "promoted".to_owned())
    );
    assert!(run_due(&pool, late + Duration::days(1))
        .await
        .unwrap()
        .promoted
        .is_empty());
    let promoted_events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM train_event e JOIN train t USING (train_id)
         WHERE t.name = $1 AND e.detail->>'promoted' = 'prod'",
    )
    .bind(&train)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(promoted_events, 1);
}

#[tokio::test]
async fn staging_waits_for_seven_clean_days_in_dev_and_a_rollback_there_restarts_the_clock() {
    let (pool, train) = train_ready(Some(("staging", "v0.9.0-staging.1"))).await;
    let carl = person("carl", &[Role::Captain]);
    request_promotion(&pool, &carl, &train, "into dev", None, t0())
        .await
        .unwrap();
    let asked = t0() + Duration::days(1);
    request_promotion(&pool, &carl, &train, "to staging", None, asked)
        .await
        .unwrap();
    let ana = person("ana", &[Role::approver("stage")]);
    let outcome = approve_promotion(&pool, &ana, &train, "", None, asked)
        .await
        .unwrap();
    assert_eq!(
        outcome,
        Outcome::Approved { promoted: false },
        "soaking in dev"
    );

    // A rollback in dev on day 3 restarts the seven days.
    let rollback = app::models::train::RollbackRequest {
        reason: "error rate in dev".into(),
        dry_run: false,
        force: false,
        environment: Some("dev".into()),
    };
    app::services::trains::rollback(&pool, &carl, &train, rollback, t0() + Duration::days(3))
        .await
        .unwrap();
    assert!(
        run_due(&pool, t0() + Duration::days(8))
            .await
            .unwrap()
            .promoted
            .is_empty(),
        "the rollback in dev restarted the soak"
    );
    let still: (String,) = sqlx::query_as(
        "SELECT r.state FROM promotion_request r JOIN train t USING (train_id)
         WHERE t.name = $1 AND r.environment = 'staging'",
    )
    .bind(&train)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(still.0, "open");
}

#[tokio::test]
async fn the_soak_lets_staging_through_once_seven_days_have_passed() {
    let (pool, train) = train_ready(Some(("staging", "v0.9.0-staging.2"))).await;
    let carl = person("carl", &[Role::Captain]);
    request_promotion(&pool, &carl, &train, "into dev", None, t0())
        .await
        .unwrap();
    request_promotion(
        &pool,
        &carl,
        &train,
        "to staging",
        None,
        t0() + Duration::days(1),
    )
    .await
    .unwrap();
    approve_promotion(
        &pool,
        &person("ana", &[Role::approver("stage")]),
        &train,
        "",
        None,
        t0() + Duration::days(1),
    )
    .await
    .unwrap();
    assert!(
        run_due(&pool, t0() + Duration::days(7) - Duration::minutes(1))
            .await
            .unwrap()
            .promoted
            .is_empty()
    );
    let ran = run_due(&pool, t0() + Duration::days(7) + Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(ran.promoted, [format!("{train} → staging")]);
}

#[tokio::test]
async fn a_requester_who_may_approve_is_still_not_counted_for_their_own_request() {
    let (pool, train) = train_ready(None).await;
    let dana = person("dana", &[Role::Captain, Role::approver("stage")]);
    request_promotion(&pool, &dana, &train, "into dev", None, t0())
        .await
        .unwrap();
    request_promotion(&pool, &dana, &train, "to stage", None, t0())
        .await
        .unwrap();
    let refused = approve_promotion(&pool, &dana, &train, "", None, t0())
        .await
        .unwrap_err();
    assert_eq!(refused.status_code(), 403);
    assert!(
        refused.to_string().contains("you requested this promotion"),
        "{refused}"
    );
}
