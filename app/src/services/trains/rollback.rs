use super::bad;
use super::load::{load_participants, load_train, store_transition, TrainRow};
use super::rollback_confirm::{
    confirmed_environments, finish_by_force, rollback_timeout, Forced, IN_PROGRESS,
};
use crate::domain::access::Action;
use crate::domain::change::{Change, FromTo, RollbackLine};
use crate::domain::rollback_progress::{self as progress, deadline};
use crate::domain::train_state::{Facts, Lifecycle, TransitionEvent};
use crate::domain::TrainState;
use crate::error::{AppError, ResultExt};
use crate::models::train::{ParticipantStatus, RollbackPlan, RollbackRequest, RollbackStep};
use crate::services::access::authorize_read;
use crate::services::access::authorize_train;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Plans a rollback (participants in reverse release order, each returning to
/// its previous version) and, unless `dry_run`, executes it: of the whole
/// train (it becomes `rolled_back`), or of one environment it runs in.
#[tracing::instrument(skip(pool, request))]
pub async fn rollback(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    request: RollbackRequest,
    now: DateTime<Utc>,
) -> Result<RollbackPlan, AppError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let plan = rollback_in(&mut tx, actor, name, request, now).await?;
    tx.commit().await?;
    Ok(plan)
}

/// The rollback inside the caller's transaction (an automatic rollback runs
/// in the transaction that recorded the health breach).
pub(crate) async fn rollback_in(
    tx: &mut PgConnection,
    actor: &Actor,
    name: &str,
    request: RollbackRequest,
    now: DateTime<Utc>,
) -> Result<RollbackPlan, AppError> {
    authorize_train(&mut *tx, actor, Action::Rollback, name).await?;
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(bad("reason", "a rollback needs a reason"));
    }
    let environment = request
        .environment
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    let train = load_train(tx, name, true).await?;
    if request.force {
        let finish = Forced {
            reason,
            dry_run: request.dry_run,
        };
        if let Some(plan) = finish_by_force(tx, actor, &train, finish, now).await? {
            return Ok(plan);
        }
    }
    let confirmed = confirmed_environments(tx, train.train_id, environment).await?;
    if request.force && confirmed.is_empty() {
        return Err(bad(
            "force",
            "force records a rollback's redeploys without waiting for CD to confirm them, and \
             nothing here waits for CD (its environments record only); send it without force",
        ));
    }
    let mut participants = load_participants(tx, train.train_id).await?;
    participants.reverse();
    let transition = rollback_transition(
        tx,
        actor,
        &train,
        environment,
        participants.len(),
        reason,
        now,
    )
    .await?;
    let waits = if request.force { Vec::new() } else { confirmed };
    let timeout = rollback_timeout(tx, train.train_id).await?;
    let mut plan = plan_of(&train, &request, reason, &participants, &waits);
    plan.environment = environment.map(str::to_owned);
    plan.requested_by = Some(actor.name.clone());
    plan.at = Some(now);
    if plan.status == IN_PROGRESS {
        plan.deadline = Some(deadline(now, timeout));
    }
    if request.dry_run {
        return Ok(plan);
    }
    restore_previous_versions(tx, train.train_id, environment, &plan.steps, now).await?;
    store_rollback(tx, &train, actor, &plan, environment, now).await?;
    record_rollback(tx, actor, &train, transition, &plan, environment, now).await?;
    Ok(plan)
}

/// The state machine decides whether the whole train can be rolled back,
/// for the preview as much as for the real thing; an environment can be
/// rolled back while its release runs there (then there is no transition).
async fn rollback_transition(
    tx: &mut PgConnection,
    actor: &Actor,
    train: &TrainRow,
    environment: Option<&str>,
    participants: usize,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Lifecycle, TransitionEvent)>, AppError> {
    let name = &train.name;
    let transition = match environment {
        None => Some(
            train
                .lifecycle
                .transition(
                    TrainState::RolledBack,
                    Facts {
                        participants,
                        blocking_gates_pass: true,
                    },
                    &actor.name,
                    Some(reason),
                    now,
                )
                .map_err(|e| AppError::Conflict(e.to_string()))?,
        ),
        Some(env) => {
            let runs = sqlx::query_scalar!(
                "SELECT rolled_back_at IS NULL AS \"running!\" FROM train_environment
                 WHERE train_id = $1 AND environment = $2",
                train.train_id,
                env
            )
            .fetch_optional(&mut *tx)
            .await?;
            if runs != Some(true) {
                return Err(AppError::Conflict(format!(
                    "{name}'s release does not run in {env}, so there is nothing to roll back there"
                )));
            }
            None
        }
    };
    Ok(transition)
}

/// The plan: each participant, in reverse release order, back to its
/// previous version; `planned` steps in a preview. A step waits in every
/// environment concerned whose deploys CD confirms (`requested` until CD
/// reports its redeploy there); elsewhere it is done at once.
fn plan_of(
    train: &TrainRow,
    request: &RollbackRequest,
    reason: &str,
    participants: &[ParticipantStatus],
    waits: &[String],
) -> RollbackPlan {
    let steps: Vec<RollbackStep> = participants
        .iter()
        .map(|p| {
            // Nothing to redeploy for a service the train brought first.
            let waiting_in = match p.previous_version {
                Some(_) => waits.to_vec(),
                None => Vec::new(),
            };
            let status = match (request.dry_run, waiting_in.is_empty()) {
                (true, _) => "planned",
                (false, true) => progress::ROLLED_BACK,
                (false, false) => progress::REQUESTED,
            };
            RollbackStep {
                service: p.service.clone(),
                from_version: p.target_version.clone(),
                to_version: p.previous_version.clone(),
                status: status.to_owned(),
                waiting_in,
            }
        })
        .collect();
    let waiting = progress::waiting_note(&steps);
    let status = match (request.dry_run, waiting.is_some()) {
        (true, _) => "preview",
        (false, true) => IN_PROGRESS,
        (false, false) => "completed",
    };
    RollbackPlan {
        train: train.name.clone(),
        dry_run: request.dry_run,
        reason: reason.to_owned(),
        environment: None,
        steps,
        status: status.to_owned(),
        requested_by: None,
        at: None,
        waiting: if request.dry_run { None } else { waiting },
        deadline: None,
    }
}

/// Puts what runs where back to the versions before this train (and, for
/// the whole train, marks its participants rolled back), then closes the
/// train's runs in the environments concerned.
async fn restore_previous_versions(
    tx: &mut PgConnection,
    train_id: i64,
    environment: Option<&str>,
    steps: &[RollbackStep],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // What runs where is shared by every train: its rows are locked in one
    // order (environment, service), the order a promotion writes them in,
    // so that a rollback and a promotion of two trains never deadlock.
    sqlx::query!(
        "SELECT 1 AS locked FROM environment_release
         WHERE train_id = $1 AND ($2::text IS NULL OR environment = $2)
         ORDER BY environment, service_id FOR UPDATE",
        train_id,
        environment
    )
    .fetch_all(&mut *tx)
    .await?;
    for step in steps {
        if environment.is_none() && step.waiting_in.is_empty() {
            sqlx::query!(
                "UPDATE participant SET status = 'rolled_back', updated_at = $3
                 WHERE train_id = $1 AND service_id = (SELECT service_id FROM service WHERE name = $2)",
                train_id,
                step.service,
                now
            )
            .execute(&mut *tx)
            .await?;
        }
        // What runs where goes back to the version before this train,
        // except where CD is to redeploy it (its report will move it).
        sqlx::query!(
            "UPDATE environment_release SET version = $3, train_id = NULL, deployed_at = $4
             WHERE train_id = $1 AND service_id = (SELECT service_id FROM service WHERE name = $2)
               AND ($5::text IS NULL OR environment = $5) AND NOT (environment = ANY($6))",
            train_id,
            step.service,
            step.to_version,
            now,
            environment,
            &step.waiting_in
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "UPDATE train_environment SET rolled_back_at = $2
         WHERE train_id = $1 AND rolled_back_at IS NULL AND ($3::text IS NULL OR environment = $3)",
        train_id,
        now,
        environment
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Keeps the executed plan as the train's latest rollback.
async fn store_rollback(
    tx: &mut PgConnection,
    train: &TrainRow,
    actor: &Actor,
    plan: &RollbackPlan,
    environment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let finished = plan.deadline.is_none().then_some(now);
    sqlx::query!(
        "INSERT INTO rollback (train_id, reason, requested_by, status, steps, created_at,
                               finished_at, environment, deadline)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        train.train_id,
        plan.reason,
        actor.name,
        plan.status,
        serde_json::to_value(&plan.steps).or_internal("writing rollback steps")?,
        now,
        finished,
        environment,
        plan.deadline
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Records the rollback on the timeline and in the audit trail: with the
/// train's state change when the whole train went back, else for the one
/// environment.
async fn record_rollback(
    tx: &mut PgConnection,
    actor: &Actor,
    train: &TrainRow,
    transition: Option<(Lifecycle, TransitionEvent)>,
    plan: &RollbackPlan,
    environment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let reason = plan.reason.as_str();
    let steps: Vec<RollbackLine> = plan.steps.iter().map(line).collect();
    match transition {
        Some((next, event)) => {
            let change = Change::TrainRolledBack {
                train: train.reference(),
                states: Some(FromTo {
                    from: event.from,
                    to: event.to,
                }),
                environment: None,
                steps,
                reason: reason.to_owned(),
            };
            store_transition(tx, actor, train, next, &event, change).await?;
        }
        None => {
            let change = Change::TrainRolledBack {
                train: train.reference(),
                states: None,
                environment: environment.map(str::to_owned),
                steps,
                reason: reason.to_owned(),
            };
            changes::record(tx, actor, change, now).await?;
        }
    }
    Ok(())
}

/// A step of the plan, as the timeline and the audit trail keep it.
fn line(step: &RollbackStep) -> RollbackLine {
    RollbackLine {
        service: step.service.clone(),
        from_version: step.from_version.clone(),
        to_version: step.to_version.clone(),
        status: step.status.clone(),
    }
}

/// The latest rollback of a train.
pub async fn rollback_status(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
) -> Result<RollbackPlan, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let train = super::load_train(&mut conn, name, false).await?;
    last_rollback(&mut conn, train.train_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("a rollback of release train {name:?}")))
}

/// The train's latest rollback, if it was ever rolled back.
pub(crate) async fn last_rollback(
    conn: &mut sqlx::PgConnection,
    train_id: i64,
) -> Result<Option<RollbackPlan>, AppError> {
    let Some(row) = sqlx::query!(
        "SELECT t.name, r.reason, r.requested_by, r.status, r.steps, r.created_at, r.environment,
                r.deadline
         FROM rollback r JOIN train t USING (train_id)
         WHERE r.train_id = $1 ORDER BY r.created_at DESC, r.rollback_id DESC LIMIT 1",
        train_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let steps: Vec<RollbackStep> = serde_json::from_value(row.steps).map_err(|e| {
        tracing::error!(error = %e, "stored rollback steps do not parse");
        AppError::Internal
    })?;
    let unfinished = matches!(row.status.as_str(), IN_PROGRESS | "stuck");
    Ok(Some(RollbackPlan {
        waiting: progress::waiting_note(&steps).filter(|_| unfinished),
        deadline: row.deadline.filter(|_| unfinished),
        train: row.name,
        dry_run: false,
        reason: row.reason,
        environment: row.environment,
        steps,
        status: row.status,
        requested_by: Some(row.requested_by),
        at: Some(row.created_at),
    }))
}
