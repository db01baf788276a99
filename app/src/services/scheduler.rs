//! Work that falls due with time rather than with a request: at a train's cut
//! time the calendar's verdict (the skip rule, a blocking freeze) becomes its
//! record, and a promotion whose wait timer or soak has run out happens.
//! Deadlines live in the database, so a restarted server catches up, and a
//! transaction-scoped advisory lock lets only one of several instances act
//! at a time.

use crate::domain::calendar::{apply_freezes, apply_skip_rule, FreezeWindow, PlannedTrain};
use crate::domain::change::{Change, TrainRef};
use crate::domain::{CalendarStatus, TrackName};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::calendar_plan::freeze_windows;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ran {
    /// False when another instance held the lock.
    pub acted: bool,
    pub skipped: Vec<String>,
    /// `train → environment` for each promotion made.
    pub promoted: Vec<String>,
}

/// A train in planning whose cut time has come.
struct DueTrain {
    train_id: i64,
    name: String,
    track: String,
    at: DateTime<Utc>,
    on_call: Option<String>,
    runs_unwatched: bool,
}

/// Runs everything due at `now` (the clock is a parameter, so tests can move it).
///
/// It looks first without locking anything, and takes the audit chain's
/// lock, which every writer waits for, only when something is due: most
/// ticks find nothing, and a tick that held the lock while judging every
/// train in flight made every write of that moment wait for it. What it
/// found is judged again under the locks before it is written.
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
    let mut ran = Ran {
        acted: true,
        ..Ran::default()
    };
    let to_skip = skips_due(&mut tx, now).await?;
    let to_promote = crate::services::promotions::trains_due(&mut tx, now).await?;
    if to_skip.is_empty() && to_promote.is_empty() {
        tx.commit().await?;
        return Ok(ran);
    }
    // Before any row lock, as every writer (see audit::begin_write).
    crate::services::audit::take_chain_lock(&mut tx).await?;
    ran.skipped = skip(&mut tx, &to_skip, now).await?;
    ran.promoted = crate::services::promotions::promote_due(&mut tx, &to_promote, now).await?;
    tx.commit().await?;
    Ok(ran)
}

/// The trains the skip rule ends at `now`, read without locks.
async fn skips_due(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Vec<i64>, AppError> {
    let due = sqlx::query_as!(
        DueTrain,
        r#"SELECT t.train_id, t.name, k.name AS track, t.planned_start AS "at!", t.on_call,
                  k.runs_without_on_call AS runs_unwatched
           FROM train t JOIN track k USING (track_id)
           WHERE t.status = 'open' AND t.state = 'planning' AND t.planned_start <= $1
           ORDER BY t.planned_start"#,
        now
    )
    .fetch_all(&mut *conn)
    .await?;
    let windows = freeze_windows(conn, now - chrono::Duration::days(60)).await?;
    Ok(decide_skips(due, &windows, now)
        .map(|(train, _)| train.train_id)
        .collect())
}

/// Skips the trains of `ids` that the rule still ends, under their row
/// locks; returns their names. The caller holds the audit chain's lock.
async fn skip(
    conn: &mut PgConnection,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let due = sqlx::query_as!(
        DueTrain,
        r#"SELECT t.train_id, t.name, k.name AS track, t.planned_start AS "at!", t.on_call,
                  k.runs_without_on_call AS runs_unwatched
           FROM train t JOIN track k USING (track_id)
           WHERE t.train_id = ANY($2)
             AND t.status = 'open' AND t.state = 'planning' AND t.planned_start <= $1
           ORDER BY t.planned_start
           FOR NO KEY UPDATE OF t SKIP LOCKED"#,
        now,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let windows = freeze_windows(conn, now - chrono::Duration::days(60)).await?;
    let actor = Actor::new("scheduler");
    let mut skipped = Vec::new();
    for (row, reason) in decide_skips(due, &windows, now) {
        sqlx::query!(
            "UPDATE train SET status = 'skipped', status_reason = $2, updated_at = $3 WHERE train_id = $1",
            row.train_id,
            reason,
            now
        )
        .execute(&mut *conn)
        .await?;
        let change = Change::TrainSkipped {
            train: TrainRef::new(row.train_id, row.name.clone()),
            reason,
            by_rule: true,
        };
        changes::record(conn, &actor, change, now).await?;
        skipped.push(row.name);
    }
    Ok(skipped)
}

/// The trains of `due` that the calendar's rules skip at `now`, each with
/// the reason. A freeze that moved a train has not reached its cut time yet.
fn decide_skips<'a>(
    due: Vec<DueTrain>,
    windows: &'a [FreezeWindow],
    now: DateTime<Utc>,
) -> impl Iterator<Item = (DueTrain, String)> + 'a {
    due.into_iter().filter_map(move |row| {
        let track = TrackName::parse(&row.track).ok()?;
        let mut planned = PlannedTrain::open(track, row.at);
        planned.on_call = row.on_call.clone();
        planned.runs_unwatched = row.runs_unwatched;
        let mut decided = [apply_freezes(&planned, windows)];
        if decided[0].at > now {
            return None;
        }
        apply_skip_rule(&mut decided, now);
        let [train] = decided;
        (train.status == CalendarStatus::Skipped).then(|| (row, train.reason.unwrap_or_default()))
    })
}
