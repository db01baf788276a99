use super::bad;
use super::load::{
    load_participants, load_train, record_event, store_transition, Audited, TrainEvent,
};
use crate::domain::access::{Action, Resource};
use crate::domain::train_state::Facts;
use crate::domain::TrainState;
use crate::error::AppError;
use crate::models::train::{RollbackPlan, RollbackRequest, RollbackStep};
use crate::services::access::authorize;
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Plans a rollback (participants in reverse release order, each returning to
/// its previous version) and, unless `dry_run`, executes it.
#[tracing::instrument(skip(pool, request))]
pub async fn rollback(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    request: RollbackRequest,
    now: DateTime<Utc>,
) -> Result<RollbackPlan, AppError> {
    authorize(actor, Action::Rollback, &Resource::Train(name.to_owned()))?;
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(bad("reason", "a rollback needs a reason"));
    }
    let mut tx = pool.begin().await?;
    let train = load_train(&mut tx, name, true).await?;
    let mut participants = load_participants(&mut tx, train.train_id).await?;
    participants.reverse();
    let facts = Facts {
        participants: participants.len(),
        blocking_gates_pass: true,
    };
    // The state machine decides whether this train can be rolled back at all,
    // for the preview as much as for the real thing.
    let (next, event) = train
        .lifecycle
        .transition(
            TrainState::RolledBack,
            facts,
            &actor.name,
            Some(reason),
            now,
        )
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    let done = if request.dry_run {
        "planned"
    } else {
        "rolled_back"
    };
    let steps: Vec<RollbackStep> = participants
        .iter()
        .map(|p| RollbackStep {
            service: p.service.clone(),
            from_version: p.target_version.clone(),
            to_version: p.previous_version.clone(),
            status: done.to_owned(),
        })
        .collect();
    let plan = RollbackPlan {
        train: train.name.clone(),
        dry_run: request.dry_run,
        reason: reason.to_owned(),
        steps,
        status: if request.dry_run {
            "preview"
        } else {
            "completed"
        }
        .to_owned(),
        requested_by: Some(actor.name.clone()),
        at: Some(now),
    };
    if request.dry_run {
        return Ok(plan);
    }

    for step in &plan.steps {
        sqlx::query!(
            "UPDATE participant SET status = 'rolled_back', updated_at = $3
             WHERE train_id = $1 AND service_id = (SELECT service_id FROM service WHERE name = $2)",
            train.train_id,
            step.service,
            now
        )
        .execute(&mut *tx)
        .await?;
        record_event(
            &mut tx,
            &TrainEvent {
                train_id: train.train_id,
                actor: &actor.name,
                kind: "rollback",
                transition: None,
                reason: Some(reason),
                detail: serde_json::to_value(step).map_err(|_| AppError::Internal)?,
                at: now,
            },
        )
        .await?;
    }
    sqlx::query!(
        "INSERT INTO rollback (train_id, reason, requested_by, status, steps, created_at, finished_at)
         VALUES ($1, $2, $3, 'completed', $4, $5, $5)",
        train.train_id,
        reason,
        actor.name,
        serde_json::to_value(&plan.steps).map_err(|_| AppError::Internal)?,
        now
    )
    .execute(&mut *tx)
    .await?;
    let audited = Audited {
        action: "train.rollback",
        detail: serde_json::json!({ "steps": plan.steps }),
    };
    store_transition(&mut tx, actor, &train, next, &event, audited).await?;
    tx.commit().await?;
    Ok(plan)
}

/// The latest rollback of a train.
pub async fn rollback_status(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
) -> Result<RollbackPlan, AppError> {
    authorize_read(actor)?;
    let row = sqlx::query!(
        "SELECT t.name, r.reason, r.requested_by, r.status, r.steps, r.created_at
         FROM rollback r JOIN train t USING (train_id)
         WHERE t.name = $1 ORDER BY r.created_at DESC, r.rollback_id DESC LIMIT 1",
        name
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("a rollback of release train {name:?}")))?;
    Ok(RollbackPlan {
        train: row.name,
        dry_run: false,
        reason: row.reason,
        steps: serde_json::from_value(row.steps).map_err(|_| AppError::Internal)?,
        status: row.status,
        requested_by: Some(row.requested_by),
        at: Some(row.created_at),
    })
}
