//! Reminders before a cut: at each of its track's reminder times (default
//! a day and an hour before), a planned train is announced as upcoming
//! (`train.upcoming`), saying who is on call, or that nobody is and it
//! will be skipped (seed 003's rule) unless someone takes it.

use crate::domain::calendar::reminders::DEFAULT_REMINDERS;
use crate::domain::change::{Change, TrainRef};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::changes;
use crate::services::release_notes::announcement_to_send;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// A train with reminders due, the nearest first in `due`.
#[derive(Debug)]
pub(crate) struct DueReminder {
    train_id: i64,
    name: String,
    on_call: Option<String>,
    runs_unwatched: bool,
    cut_at: DateTime<Utc>,
    /// Minutes before the cut, of every reminder due and not yet sent.
    due: Vec<i64>,
}

/// The trains whose reminder time has come and whose cut has not, read
/// without a lock (most ticks find none).
pub(crate) async fn reminders_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<DueReminder>, AppError> {
    Ok(sqlx::query_as!(
        DueReminder,
        r#"SELECT t.train_id, t.name, t.on_call, k.runs_without_on_call AS runs_unwatched,
                  t.planned_start - k.freeze_offset AS "cut_at!",
                  array_agg(r.minutes::bigint ORDER BY r.minutes) AS "due!"
           FROM train t JOIN track k USING (track_id)
           CROSS JOIN LATERAL jsonb_array_elements_text(
             COALESCE(NULLIF(k.planning -> 'reminder_minutes', '[]'::jsonb), $2::jsonb))
             AS r (minutes)
           WHERE t.status IN ('open', 'postponed') AND t.state = 'planning'
             AND k.archived_at IS NULL
             AND t.planned_start - k.freeze_offset > $1
             AND t.planned_start - k.freeze_offset - make_interval(mins => r.minutes::int) <= $1
             AND NOT EXISTS (
               SELECT 1 FROM train_reminder x
               WHERE x.train_id = t.train_id AND x.before_minutes = r.minutes::int
                 AND x.cut_at = t.planned_start - k.freeze_offset)
           GROUP BY t.train_id, k.track_id
           ORDER BY t.train_id"#,
        now,
        serde_json::json!(DEFAULT_REMINDERS),
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Sends one reminder per train (the nearest of those due: a train planned
/// an hour before its cut is not also told it is a day away) and marks
/// every due one sent. The caller holds the audit chain's lock.
pub(crate) async fn remind(
    conn: &mut PgConnection,
    due: Vec<DueReminder>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let actor = Actor::new("scheduler");
    let mut reminded = Vec::new();
    for train in due {
        let Some(nearest) = train.due.first().copied() else {
            continue;
        };
        let marked = sqlx::query!(
            "INSERT INTO train_reminder (train_id, cut_at, before_minutes, sent_at)
             SELECT $1, $2, m::int, $4 FROM unnest($3::bigint[]) AS m
             ON CONFLICT DO NOTHING",
            train.train_id,
            train.cut_at,
            &train.due,
            now
        )
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if marked == 0 {
            continue;
        }
        let announcement = announcement_to_send(conn, train.train_id, &train.name).await?;
        let change = Change::TrainUpcoming {
            train: TrainRef::new(train.train_id, train.name.clone()),
            announcement,
            cut_at: train.cut_at,
            before_minutes: nearest,
            will_skip: train.on_call.is_none() && !train.runs_unwatched,
            on_call: train.on_call,
        };
        changes::record(conn, &actor, change, now).await?;
        reminded.push(train.name);
    }
    Ok(reminded)
}
