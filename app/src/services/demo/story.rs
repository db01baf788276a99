//! The demo's story so far, told through the same service calls people and
//! CI make: a train stuck in validation on two failing gates, one that was
//! rolled back two days ago, one that ran eight days in dev and waits for an
//! approver to go to stage, a quiet window chain ops asked for on staging, a
//! freeze ahead, and the calendar owners' rotation.

use crate::domain::access::{Role, RoleSet};
use crate::domain::TrainState;
use crate::error::AppError;
use crate::models::train::{
    GateResultBatch, GateResultInput, NewTrain, ParticipantInput, RollbackRequest, TrainUpdate,
};
use crate::services::actor::Actor;
use crate::services::calendar_edit::{save_freeze, save_rotation, FreezeForm};
use crate::services::promotions::request_promotion;
use crate::services::trains::{create_train, record_gate_results, rollback, update_train};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

pub(super) fn train(name: &str, from: &str, to: &str) -> NewTrain {
    let participant = |service: &str| ParticipantInput::Detailed {
        service: service.to_owned(),
        target_version: Some(to.to_owned()),
        previous_version: Some(from.to_owned()),
    };
    NewTrain {
        name: name.to_owned(),
        target_version: Some(to.to_owned()),
        participants: ["curve", "backtesting", "scenario"]
            .map(participant)
            .to_vec(),
        dependencies: Vec::new(),
        gates: None,
        captain: Some("carl".to_owned()),
        track: None,
        tag: None,
        planned_start: None,
        on_call: Some("ana".to_owned()),
    }
}

fn result(participant: &str, gate: &str, value: f64) -> GateResultInput {
    GateResultInput {
        participant: participant.to_owned(),
        gate: gate.to_owned(),
        value: Some(value),
        passed: None,
        source: Some("ci".to_owned()),
        url: Some(format!("https://ci.example/{participant}/{gate}")),
    }
}

pub(super) fn results(values: &[(&str, f64, f64, f64, f64)]) -> GateResultBatch {
    GateResultBatch {
        results: values
            .iter()
            .flat_map(|(p, quality, vulns, coverage, failures)| {
                [
                    result(p, "quality_score", *quality),
                    result(p, "critical_vulns", *vulns),
                    result(p, "coverage", *coverage),
                    result(p, "failure_rate", *failures),
                ]
            })
            .collect(),
    }
}

pub(super) fn to(state: TrainState, reason: Option<&str>) -> TrainUpdate {
    TrainUpdate {
        status: Some(state),
        reason: reason.map(str::to_owned),
        ..TrainUpdate::default()
    }
}

pub async fn load(pool: &PgPool, now: DateTime<Utc>) -> Result<(), AppError> {
    let demo = Actor::new("demo");
    let ci = Actor::new("ci-demo");

    // Rolled back two days ago after its p95 latency breached seed 001's limit.
    let t = now - Duration::days(3);
    create_train(
        pool,
        &demo,
        train("scenario-1.9-rollout", "1.8.4", "1.9.0"),
        t,
    )
    .await?;
    let green = [
        ("curve", 92.0, 0.0, 81.0, 1.0),
        ("backtesting", 88.0, 0.0, 79.0, 2.0),
        ("scenario", 90.0, 0.0, 84.0, 0.5),
    ];
    update_train(
        pool,
        &demo,
        "scenario-1.9-rollout",
        to(TrainState::Validating, None),
        t,
    )
    .await?;
    record_gate_results(
        pool,
        &ci,
        "scenario-1.9-rollout",
        results(&green),
        t + Duration::minutes(20),
    )
    .await?;
    update_train(
        pool,
        &demo,
        "scenario-1.9-rollout",
        to(TrainState::Staging, None),
        t + Duration::minutes(30),
    )
    .await?;
    update_train(
        pool,
        &demo,
        "scenario-1.9-rollout",
        to(TrainState::Executing, None),
        t + Duration::hours(20),
    )
    .await?;
    let request = RollbackRequest {
        reason: "p95 latency above 1.5 s for 6 minutes after scenario 1.9.0 reached prod"
            .to_owned(),
        dry_run: false,
        force: false,
        environment: None,
    };
    rollback(
        pool,
        &demo,
        "scenario-1.9-rollout",
        request,
        now - Duration::days(2),
    )
    .await?;

    // In validation now: two gates fail.
    let t = now - Duration::hours(3);
    create_train(pool, &demo, train("curve-2.1-rollout", "2.0.0", "2.1.0"), t).await?;
    update_train(
        pool,
        &demo,
        "curve-2.1-rollout",
        to(TrainState::Validating, None),
        t,
    )
    .await?;
    let mixed = [
        ("curve", 91.0, 0.0, 82.0, 1.0),
        ("backtesting", 72.0, 0.0, 77.0, 2.0),
        ("scenario", 86.0, 1.0, 80.0, 3.0),
    ];
    record_gate_results(
        pool,
        &ci,
        "curve-2.1-rollout",
        results(&mixed),
        now - Duration::hours(2),
    )
    .await?;

    // Eight days in dev, and now asking for stage: an approver's turn.
    let carl = Actor::user(
        "carl",
        Some("Carl Captain".to_owned()),
        RoleSet::new([Role::Captain]),
    );
    let t = now - Duration::days(9);
    create_train(
        pool,
        &demo,
        train("backtesting-3.0-rollout", "2.4.1", "3.0.0"),
        t,
    )
    .await?;
    update_train(
        pool,
        &demo,
        "backtesting-3.0-rollout",
        to(TrainState::Validating, None),
        t,
    )
    .await?;
    record_gate_results(
        pool,
        &ci,
        "backtesting-3.0-rollout",
        results(&green),
        t + Duration::minutes(15),
    )
    .await?;
    update_train(
        pool,
        &demo,
        "backtesting-3.0-rollout",
        to(TrainState::Staging, None),
        t + Duration::minutes(30),
    )
    .await?;
    let into_dev = now - Duration::days(8);
    request_promotion(
        pool,
        &carl,
        "backtesting-3.0-rollout",
        "weekly train 47 into dev",
        None,
        into_dev,
    )
    .await?;
    request_promotion(
        pool,
        &carl,
        "backtesting-3.0-rollout",
        "eight clean days in dev; ready for stage",
        None,
        now - Duration::hours(1),
    )
    .await?;

    // A quiet window chain ops asked for on staging, and a freeze ahead.
    let quiet = FreezeForm {
        starts_at: (now - Duration::hours(1)).to_rfc3339(),
        ends_at: (now + Duration::hours(5)).to_rfc3339(),
        reason: "validator node upgrade: chain ops quiet window".to_owned(),
        tracks: vec!["staging".to_owned()],
        effect: "block".to_owned(),
    };
    save_freeze(pool, &demo, None, &quiet, now).await?;
    let ahead = now + Duration::days(20);
    let reroll = FreezeForm {
        starts_at: ahead.to_rfc3339(),
        ends_at: (ahead + Duration::days(2)).to_rfc3339(),
        reason: "mtest-val-01 re-roll".to_owned(),
        tracks: vec!["staging".to_owned()],
        effect: "move".to_owned(),
    };
    save_freeze(pool, &demo, None, &reroll, now).await?;

    // Seed 003's proposal: dev infra and validators own the calendar in turn.
    save_rotation(
        pool,
        &demo,
        "dev infra\nvalidators",
        &now.format("%Y-%m-01").to_string(),
        now,
    )
    .await?;
    Ok(())
}
