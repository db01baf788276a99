//! Plays a history plan through the service layer, day by day: each day's
//! trains and people act concurrently (a train's own steps in order), so the
//! audit trail grows in time order and every row is one the API would write.

use super::plan::{daily_activity, people, Activity, HistoryPlan, Scheduled, Step, TrainStory};
use anyhow::Context;
use app::domain::access::{Role, RoleSet};
use app::domain::TrainState;
use app::models::train::{RollbackRequest, ServiceStatusUpdate, TrainUpdate};
use app::services::actor::Actor;
use app::services::evidence::{upload_artifact, EvidenceStore, UploadRequest};
use app::services::service_status;
use app::services::trains::{create_train, record_gate_results, rollback, update_train};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

mod everyday;
mod promote;
mod reports;

use everyday::act;
use promote::promote_all;

/// Who does what.
struct Cast {
    ci: Actor,
    cd: Actor,
    monitoring: Actor,
    approvers: Vec<Actor>,
    /// One train deploys at a time (service status is one per service).
    deploying: tokio::sync::Mutex<()>,
}

impl Cast {
    fn new() -> Self {
        let approver = |name: &str, roles: &[Role]| {
            Actor::user(
                name,
                Some(name.to_owned()),
                RoleSet::new(roles.iter().cloned()),
            )
        };
        Self {
            ci: Actor::new("ci"),
            cd: Actor::new("cd"),
            monitoring: Actor::new("monitoring"),
            approvers: vec![
                approver("ana", &[Role::approver("stage"), Role::approver("prod")]),
                approver("ben", &[Role::approver("prod")]),
                approver("bea", &[Role::approver("stage"), Role::approver("prod")]),
            ],
            deploying: tokio::sync::Mutex::new(()),
        }
    }
}

fn captain(name: &str) -> Actor {
    Actor::user(name, Some(name.to_owned()), RoleSet::new([Role::Captain]))
}

/// Everything the days ahead hold, by day.
enum Work {
    Train(TrainStory),
    Activity(DateTime<Utc>, Activity),
}

pub struct Played {
    pub trains: usize,
    pub steps: usize,
    pub sessions: usize,
    pub health_reports: usize,
}

/// Plays `plan`; `fill` audit records' worth of everyday activity are
/// spread over its working days. `progress` hears after each day.
pub async fn play(
    pool: &PgPool,
    store: &EvidenceStore,
    plan: HistoryPlan,
    seed: u64,
    fill: usize,
    workers: usize,
    mut progress: impl FnMut(DateTime<Utc>, &Played),
) -> anyhow::Result<Played> {
    let cast = Arc::new(Cast::new());
    let people = people();
    let services: Vec<String> = plan.services.iter().map(|s| s.name.clone()).collect();
    let mut days: BTreeMap<DateTime<Utc>, Vec<Work>> = BTreeMap::new();
    let day_of = |at: DateTime<Utc>| {
        use chrono::Timelike;
        at - Duration::seconds(i64::from(at.time().num_seconds_from_midnight()))
    };
    let mut played = Played {
        trains: plan.trains.len(),
        steps: 0,
        sessions: 0,
        health_reports: 0,
    };
    for story in plan.trains {
        let first = story.steps.first().map_or(plan.start, |s| s.at);
        days.entry(day_of(first))
            .or_default()
            .push(Work::Train(story));
    }
    let working: Vec<DateTime<Utc>> = {
        let mut d = day_of(plan.start);
        let mut out = Vec::new();
        while d < plan.end {
            if super::plan::is_working_day(d) {
                out.push(d);
            }
            d += Duration::days(1);
        }
        out
    };
    let per_day = fill / working.len().max(1);
    for day in &working {
        for (at, activity) in daily_activity(seed, *day, per_day, &people, &services) {
            days.entry(*day)
                .or_default()
                .push(Work::Activity(at, activity));
        }
    }
    // Work starts in time order, `workers` at a time; a long train story
    // does not hold back the days after it (its own steps stay in order).
    let limit = Arc::new(Semaphore::new(workers.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (day, work) in days {
        for item in work {
            let permit = Arc::clone(&limit).acquire_owned().await?;
            let (pool, store, cast) = (pool.clone(), store.clone(), Arc::clone(&cast));
            match item {
                Work::Train(story) => {
                    played.steps += story.steps.len();
                    tasks.spawn(async move {
                        let _permit = permit;
                        play_train(&pool, &store, &cast, story).await
                    });
                }
                Work::Activity(at, activity) => {
                    match activity {
                        Activity::Session(_) => played.sessions += 1,
                        Activity::Health(..) => played.health_reports += 1,
                    }
                    tasks.spawn(async move {
                        let _permit = permit;
                        act(&pool, &cast, at, activity).await
                    });
                }
            }
            // Whatever finished meanwhile: stop at the first failure.
            while let Some(done) = tasks.try_join_next() {
                done??;
            }
        }
        progress(day, &played);
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(played)
}

async fn play_train(
    pool: &PgPool,
    store: &EvidenceStore,
    cast: &Cast,
    story: TrainStory,
) -> anyhow::Result<()> {
    let name = story.name.clone();
    // A step never happens before the one it follows has finished.
    let mut clock = story.steps.first().map_or_else(Utc::now, |s| s.at);
    let mut captain_name = String::from("carl");
    for Scheduled { at, step } in story.steps {
        let at = at.max(clock);
        let what = format!("{name}: {step:?}")
            .chars()
            .take(160)
            .collect::<String>();
        clock = run_step(pool, store, cast, &name, &mut captain_name, at, step)
            .await
            .with_context(|| what)?;
    }
    Ok(())
}

/// Runs one step at `at`; returns when it finished.
async fn run_step(
    pool: &PgPool,
    store: &EvidenceStore,
    cast: &Cast,
    train: &str,
    captain_name: &mut String,
    at: DateTime<Utc>,
    step: Step,
) -> anyhow::Result<DateTime<Utc>> {
    let captain = captain(captain_name);
    match step {
        Step::Create(input) => {
            *captain_name = input.captain.clone().unwrap_or_else(|| "carl".into());
            create_train(pool, &captain_for(&input.captain), *input, at).await?;
        }
        Step::Transition(state, reason) => {
            let update = TrainUpdate {
                status: Some(state),
                reason,
                ..TrainUpdate::default()
            };
            update_train(pool, &captain, train, update, at).await?;
        }
        Step::Report(batch) => {
            record_gate_results(pool, &cast.ci, train, batch, at).await?;
        }
        Step::Upload {
            kind,
            participant,
            name,
            bytes,
        } => {
            use sha2::Digest;
            let digest: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let request = UploadRequest {
                name: Some(name),
                file_name: None,
                kind: Some(kind.to_owned()),
                sha256: Some(digest),
                participant: Some(participant),
            };
            upload_artifact(pool, store, &cast.ci, train, request, bytes.into(), at).await?;
        }
        Step::PromoteAll => return promote_all(pool, cast, &captain, train, at).await,
        Step::Execute { verify } => {
            let _alone = cast.deploying.lock().await;
            let to = |state| TrainUpdate {
                status: Some(state),
                ..TrainUpdate::default()
            };
            update_train(pool, &captain, train, to(TrainState::Executing), at).await?;
            let status = app::services::trains::train_status(pool, &cast.cd, train).await?;
            for p in status.participants {
                for state in ["deploying", "deployed"] {
                    let update = ServiceStatusUpdate {
                        status: state.to_owned(),
                        version: p.target_version.clone(),
                        health_status: Some("healthy".to_owned()),
                    };
                    service_status::update_service_status(pool, &cast.cd, &p.service, update, at)
                        .await?;
                }
            }
            if verify {
                update_train(
                    pool,
                    &captain,
                    train,
                    to(TrainState::Verifying),
                    at + Duration::hours(4),
                )
                .await?;
                return Ok(at + Duration::hours(4));
            }
        }
        Step::Rollback(reason) => {
            // A rollback moves service status too.
            let _alone = cast.deploying.lock().await;
            reports::page_before_rollback(pool, cast, train, at).await?;
            let request = RollbackRequest {
                reason,
                dry_run: false,
                force: false,
                environment: None,
            };
            rollback(pool, &captain, train, request, at).await?;
        }
    }
    Ok(at)
}

fn captain_for(name: &Option<String>) -> Actor {
    captain(name.as_deref().unwrap_or("carl"))
}
