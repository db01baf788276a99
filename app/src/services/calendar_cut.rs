//! The cut as the scheduler makes it: at a track's freeze point (its cut
//! time less its freeze offset) a planned train is cut on its release
//! branch, or skipped with the reason: nobody on call, nothing new, or a
//! freeze that blocks it.

use crate::domain::calendar::cut::{CutDecision, DueCut};
use crate::domain::calendar::{apply_freezes, FreezeWindow, PlannedTrain};
use crate::domain::change::{Change, TrainRef};
use crate::domain::{CalendarStatus, TrackName};
use crate::error::{AppError, ResultExt};
use crate::services::actor::Actor;
use crate::services::calendar::stored_planning;
use crate::services::calendar_plan::freeze_windows;
use crate::services::changes;
use crate::services::trains::cut_train;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

/// What one run of the cut did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Cuts {
    pub cut: Vec<String>,
    pub skipped: Vec<String>,
}

/// A planned train whose freeze point has come.
struct DueRow {
    train_id: i64,
    track_id: i64,
    name: String,
    track: String,
    at: DateTime<Utc>,
    freeze_seconds: i64,
    on_call: Option<String>,
    runs_unwatched: bool,
    planning: serde_json::Value,
}

/// The trains due at `now`, read without locks.
pub(crate) async fn cuts_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    let due = sqlx::query_scalar!(
        r#"SELECT t.train_id FROM train t JOIN track k USING (track_id)
           WHERE t.status IN ('open', 'postponed') AND t.state = 'planning'
             AND t.planned_start - k.freeze_offset <= $1"#,
        now
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(due)
}

/// Cuts or skips the trains of `ids` still due, under their row locks. The
/// caller holds the audit chain's lock.
pub(crate) async fn cut_due(
    conn: &mut PgConnection,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Cuts, AppError> {
    let mut done = Cuts::default();
    if ids.is_empty() {
        return Ok(done);
    }
    let rows = sqlx::query_as!(
        DueRow,
        r#"SELECT t.train_id, k.track_id, t.name, k.name AS track, t.planned_start AS "at!",
                  (extract(epoch FROM k.freeze_offset))::bigint AS "freeze_seconds!",
                  t.on_call, k.runs_without_on_call AS runs_unwatched, k.planning
           FROM train t JOIN track k USING (track_id)
           WHERE t.train_id = ANY($2) AND t.status IN ('open', 'postponed') AND t.state = 'planning'
             AND t.planned_start - k.freeze_offset <= $1
           ORDER BY t.planned_start
           FOR NO KEY UPDATE OF t SKIP LOCKED"#,
        now,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let windows = freeze_windows(conn, now - Duration::days(60)).await?;
    let actor = Actor::new("scheduler");
    for row in rows {
        match decide(conn, &row, &windows, now).await? {
            None => {}
            Some(CutDecision::Skip(reason)) => {
                skip(conn, &actor, &row, &reason, now).await?;
                done.skipped.push(row.name);
            }
            Some(CutDecision::Cut) => match cut_train(conn, &actor, &row.name, now).await? {
                Ok(()) => done.cut.push(row.name),
                Err(refused) => {
                    skip(conn, &actor, &row, &refused, now).await?;
                    done.skipped.push(row.name);
                }
            },
        }
    }
    Ok(done)
}

/// What happens to `row` now: nothing yet (a freeze moved it later), a
/// skip, or the cut.
async fn decide(
    conn: &mut PgConnection,
    row: &DueRow,
    windows: &[FreezeWindow],
    now: DateTime<Utc>,
) -> Result<Option<CutDecision>, AppError> {
    let track = TrackName::parse(&row.track).or_internal("a stored track name")?;
    let mut planned = PlannedTrain::open(track, row.at);
    planned.on_call = row.on_call.clone();
    planned.runs_unwatched = row.runs_unwatched;
    let frozen = apply_freezes(&planned, windows);
    if frozen.status == CalendarStatus::Skipped {
        let reason = frozen.reason.unwrap_or_default();
        return Ok(Some(CutDecision::Skip(reason)));
    }
    if frozen.at - Duration::seconds(row.freeze_seconds) > now {
        return Ok(None);
    }
    let planning = stored_planning(row.planning.clone())?;
    let has_changes = if planning.only_with_changes {
        has_changes(conn, row.train_id, row.track_id).await?
    } else {
        true
    };
    let due = DueCut {
        has_on_call: planned.has_on_call(),
        runs_unwatched: row.runs_unwatched,
        only_with_changes: planning.only_with_changes,
        has_changes,
    };
    Ok(Some(due.decide()))
}

/// Whether a participant carries a version the track's previous cut train
/// did not carry.
async fn has_changes(
    conn: &mut PgConnection,
    train_id: i64,
    track_id: i64,
) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT EXISTS (
               SELECT 1 FROM participant p
               WHERE p.train_id = $1 AND p.target_version IS NOT NULL
                 AND p.target_version IS DISTINCT FROM (
                     SELECT q.target_version FROM participant q JOIN train u USING (train_id)
                     WHERE q.service_id = p.service_id AND u.track_id = $2 AND u.train_id <> $1
                       AND u.status IN ('cut', 'done', 'failed', 'rolled_back')
                     ORDER BY u.planned_start DESC LIMIT 1)) AS "changed!""#,
        train_id,
        track_id
    )
    .fetch_one(&mut *conn)
    .await?)
}

async fn skip(
    conn: &mut PgConnection,
    actor: &Actor,
    row: &DueRow,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
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
        reason: reason.to_owned(),
        by_rule: true,
    };
    changes::record(conn, actor, change, now).await
}
