//! Work that falls due with time rather than with a request: every track's
//! next trains are planned ahead, a train whose freeze point has come is
//! cut (or skipped, with the reason), and a promotion whose wait timer or
//! soak has run out happens, and a rollback CD has not confirmed within its
//! timeout is marked stuck. Deadlines live in the database, so a restarted
//! server catches up, and a transaction-scoped advisory lock lets only one
//! of several instances act at a time.

use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::{calendar_cut, calendar_horizon, calendar_remind};
use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ran {
    /// False when another instance held the lock.
    pub acted: bool,
    /// Trains planned ahead, and untouched ones a new cadence withdrew.
    pub planned: Vec<String>,
    pub withdrawn: Vec<String>,
    pub cut: Vec<String>,
    pub skipped: Vec<String>,
    /// Trains announced as upcoming (a reminder before their cut).
    pub reminded: Vec<String>,
    /// `train → environment` for each promotion made.
    pub promoted: Vec<String>,
    /// Trains whose rollback's timeout passed before CD confirmed it.
    pub stuck: Vec<String>,
}

/// Runs everything due at `now` (the clock is a parameter, so tests can move it).
///
/// It looks first without locking anything, and takes the audit chain's
/// lock, which every writer waits for, only when something is due: most
/// ticks find nothing, and a tick that held the lock while judging every
/// train in flight made every write of that moment wait for it. What it
/// found is judged again under the locks before it is written. Cuts and
/// promotions commit before planning ahead starts, so a plan that fails
/// never holds back a train that is due.
#[tracing::instrument(skip(pool))]
pub async fn run_due(pool: &PgPool, now: DateTime<Utc>) -> Result<Ran, AppError> {
    let Some(mut tx) = scheduler_lock(pool).await? else {
        return Ok(Ran::default());
    };
    let mut ran = Ran {
        acted: true,
        ..Ran::default()
    };
    let to_cut = calendar_cut::cuts_due(&mut tx, now).await?;
    let to_promote = crate::services::promotions::trains_due(&mut tx, now).await?;
    let to_remind = calendar_remind::reminders_due(&mut tx, now).await?;
    let overdue = crate::services::trains::rollbacks_overdue(&mut tx, now).await?;
    let due = [
        to_cut.is_empty(),
        to_promote.is_empty(),
        to_remind.is_empty(),
    ];
    if due.contains(&false) || !overdue.is_empty() {
        // Before any row lock, as every writer (see audit::begin_write).
        crate::services::audit::take_chain_lock(&mut tx).await?;
        let cuts = calendar_cut::cut_due(&mut tx, &to_cut, now).await?;
        (ran.cut, ran.skipped) = (cuts.cut, cuts.skipped);
        ran.promoted = crate::services::promotions::promote_due(&mut tx, &to_promote, now).await?;
        ran.reminded = calendar_remind::remind(&mut tx, to_remind, now).await?;
        ran.stuck = crate::services::trains::mark_stuck(&mut tx, &overdue, now).await?;
    }
    tx.commit().await?;

    let Some(mut tx) = scheduler_lock(pool).await? else {
        return Ok(ran);
    };
    if !calendar_horizon::replans(&mut tx, now).await?.is_empty() {
        crate::services::audit::take_chain_lock(&mut tx).await?;
        let planned = calendar_horizon::plan_ahead(&mut tx, &Actor::new("scheduler"), now).await?;
        (ran.planned, ran.withdrawn) = (planned.planned, planned.withdrawn);
    }
    tx.commit().await?;
    Ok(ran)
}

/// Only the promotions due at `now` (a wait timer or a soak ran out), or
/// none when another instance holds the lock: for a caller that plays the
/// calendar's part itself, as `server seed-history` does.
pub async fn promote_due(
    pool: &PgPool,
    now: DateTime<Utc>,
) -> Result<Option<Vec<String>>, AppError> {
    let Some(mut tx) = scheduler_lock(pool).await? else {
        return Ok(None);
    };
    let due = crate::services::promotions::trains_due(&mut tx, now).await?;
    let mut promoted = Vec::new();
    if !due.is_empty() {
        crate::services::audit::take_chain_lock(&mut tx).await?;
        promoted = crate::services::promotions::promote_due(&mut tx, &due, now).await?;
    }
    tx.commit().await?;
    Ok(Some(promoted))
}

/// A transaction holding the scheduler's lock, or none when another
/// instance holds it.
async fn scheduler_lock(pool: &PgPool) -> Result<Option<Transaction<'static, Postgres>>, AppError> {
    let mut tx = pool.begin().await?;
    let locked = sqlx::query_scalar!(
        r#"SELECT pg_try_advisory_xact_lock(hashtext('trainyard.scheduler')) AS "locked!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(locked.then_some(tx))
}
