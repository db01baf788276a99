//! Work that falls due with time rather than with a request: at a train's cut
//! time the calendar's verdict (the skip rule, a blocking freeze) becomes its
//! record, and a promotion whose wait timer or soak has run out happens.
//! Deadlines live in the database, so a restarted server catches up, and a
//! transaction-scoped advisory lock lets only one of several instances act
//! at a time.

use crate::domain::calendar::{apply_freezes, apply_skip_rule, PlannedTrain};
use crate::domain::change::{Change, TrainRef};
use crate::domain::{CalendarStatus, TrackName};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::calendar_plan::freeze_windows;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ran {
    /// False when another instance held the lock.
    pub acted: bool,
    pub skipped: Vec<String>,
    /// `train → environment` for each promotion made.
    pub promoted: Vec<String>,
}

/// Runs everything due at `now` (the clock is a parameter, so tests can move it).
#[tracing::instrument(skip(pool))]
pub async fn run_due(pool: &PgPool, now: DateTime<Utc>) -> Result<Ran, AppError> {
    let mut tx = pool.begin().await?;
    let locked = sqlx::query_scalar!(
        r#"SELECT pg_try_advisory_xact_lock(hashtext('trainyard.scheduler')) AS "locked!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    if !locked {
        return Ok(Ran::default());
    }
    // Before any row lock, as every writer (see audit::begin_write).
    crate::services::audit::take_chain_lock(&mut tx).await?;
    let due = sqlx::query!(
        r#"SELECT t.train_id, t.name, k.name AS track, t.planned_start AS "at!", t.on_call
           FROM train t JOIN track k USING (track_id)
           WHERE t.status = 'open' AND t.state = 'planning' AND t.planned_start <= $1
           ORDER BY t.planned_start
           FOR NO KEY UPDATE OF t SKIP LOCKED"#,
        now
    )
    .fetch_all(&mut *tx)
    .await?;
    let windows = freeze_windows(&mut tx, now - chrono::Duration::days(60)).await?;
    let actor = Actor::new("scheduler");
    let mut ran = Ran {
        acted: true,
        ..Ran::default()
    };
    for row in due {
        let Ok(track) = TrackName::parse(&row.track) else {
            continue;
        };
        let mut planned = PlannedTrain::open(track, row.at);
        planned.on_call = row.on_call.clone();
        let mut decided = [apply_freezes(&planned, &windows)];
        // A freeze that moved the train has not reached its cut time yet.
        if decided[0].at > now {
            continue;
        }
        apply_skip_rule(&mut decided, now);
        let [train] = decided;
        if train.status != CalendarStatus::Skipped {
            continue;
        }
        let reason = train.reason.unwrap_or_default();
        sqlx::query!(
            "UPDATE train SET status = 'skipped', status_reason = $2, updated_at = $3 WHERE train_id = $1",
            row.train_id,
            reason,
            now
        )
        .execute(&mut *tx)
        .await?;
        let change = Change::TrainSkipped {
            train: TrainRef::new(row.train_id, row.name.clone()),
            reason,
            by_rule: true,
        };
        changes::record(&mut tx, &actor, change, now).await?;
        ran.skipped.push(row.name);
    }
    ran.promoted = crate::services::promotions::promote_due(&mut tx, now).await?;
    tx.commit().await?;
    Ok(ran)
}
