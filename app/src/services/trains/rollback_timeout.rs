//! A rollback whose track's timeout (seed 002's `rollback.timeout`) passed
//! before CD confirmed its redeploys is stuck: the train's timeline and
//! `rollback.stuck` say what it still waits for, so that a person looks.
//! It stays open: a late confirmation still completes it, and a person may
//! finish it by force.

use crate::domain::change::{Change, TrainRef};
use crate::domain::rollback_progress::{self as progress, RollbackOutcome};
use crate::error::{AppError, ResultExt};
use crate::models::train::RollbackStep;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// The unfinished rollbacks whose deadline has passed (read without locks).
pub(crate) async fn rollbacks_overdue(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT rollback_id FROM rollback
         WHERE status = 'in_progress' AND deadline <= $1 ORDER BY rollback_id",
        now
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Marks `overdue` rollbacks stuck if they still are; returns their trains.
pub(crate) async fn mark_stuck(
    tx: &mut PgConnection,
    overdue: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let rows = sqlx::query!(
        "SELECT r.rollback_id, r.train_id, t.name, r.steps, r.environment, r.created_at
         FROM rollback r JOIN train t USING (train_id)
         WHERE r.rollback_id = ANY($1) AND r.status = 'in_progress' AND r.deadline <= $2
         ORDER BY r.rollback_id
         FOR NO KEY UPDATE OF r",
        overdue,
        now
    )
    .fetch_all(&mut *tx)
    .await?;
    let actor = Actor::new("scheduler");
    let mut stuck = Vec::new();
    for r in rows {
        let steps: Vec<RollbackStep> =
            serde_json::from_value(r.steps).or_internal("stored rollback steps do not parse")?;
        sqlx::query!(
            "UPDATE rollback SET status = 'stuck' WHERE rollback_id = $1",
            r.rollback_id
        )
        .execute(&mut *tx)
        .await?;
        let minutes = (now - r.created_at).num_minutes();
        let waiting = progress::waiting_note(&steps).unwrap_or_default();
        let change = Change::RollbackSettled {
            train: TrainRef::new(r.train_id, r.name.clone()),
            environment: r.environment,
            outcome: RollbackOutcome::Stuck,
            detail: format!("{waiting} after {minutes} minutes"),
        };
        changes::record(tx, &actor, change, now).await?;
        stuck.push(r.name);
    }
    Ok(stuck)
}
