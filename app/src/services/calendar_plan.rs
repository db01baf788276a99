//! The calendar as the domain plans it: recorded trains, the slots each
//! track's cadence plans next, freeze windows and the skip rule.

use crate::domain::calendar::cadence::Cadence;
use crate::domain::calendar::{materialise, warning, FreezeEffect, FreezeWindow, PlannedTrain};
use crate::domain::track::Track;
use crate::domain::{CalendarStatus, TrackName, TrainTag};
use crate::error::{AppError, ResultExt};
use crate::models::CalendarEntry;
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use sqlx::PgPool;
use std::collections::HashMap;

/// Calendar entries from `from` to `to`: recorded trains before today, and
/// from today on what `materialise` plans.
#[tracing::instrument(skip(pool))]
pub async fn calendar_entries(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CalendarEntry>, AppError> {
    authorize_read(actor)?;
    let tracks = sqlx::query!(
        r#"SELECT t.name, t.cadence_rrule, p.name AS "promotes_to?",
                  (extract(epoch FROM t.freeze_offset))::bigint AS "freeze_seconds!",
                  (extract(epoch FROM t.soak))::bigint AS "soak_seconds!", t.runs_without_on_call
           FROM track t LEFT JOIN track p ON p.track_id = t.promotes_to_track_id
           WHERE t.archived_at IS NULL
           ORDER BY t.position, t.name"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok(Track {
            name: TrackName::parse(&r.name).or_internal("stored calendar data does not parse")?,
            cadence: Cadence::parse(r.cadence_rrule.as_deref())
                .or_internal("stored calendar data does not parse")?,
            freeze_offset: Duration::seconds(r.freeze_seconds),
            promotes_to: r
                .promotes_to
                .as_deref()
                .map(TrackName::parse)
                .transpose()
                .or_internal("stored calendar data does not parse")?,
            soak: Duration::seconds(r.soak_seconds),
            runs_unwatched: r.runs_without_on_call,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let by_name: HashMap<&TrackName, &Track> = tracks.iter().map(|t| (&t.name, t)).collect();

    let recorded = sqlx::query!(
        r#"SELECT k.name AS track, t.name, t.tag AS "tag!", t.planned_start AS "planned_start!", t.status,
                  t.on_call, t.status_reason, t.cadence_slot, k.runs_without_on_call
           FROM train t JOIN track k USING (track_id)
           WHERE t.planned_start >= $1 AND t.planned_start < $2
           ORDER BY t.planned_start"#,
        from.min(now),
        to
    )
    .fetch_all(pool)
    .await?;
    let mut names: HashMap<(String, DateTime<Utc>), String> = HashMap::new();
    let mut planned = Vec::with_capacity(recorded.len());
    for r in recorded {
        let status =
            CalendarStatus::parse(&r.status).or_internal("stored calendar data does not parse")?;
        names.insert((r.track.clone(), r.planned_start), r.name);
        planned.push(PlannedTrain {
            track: TrackName::parse(&r.track).or_internal("stored calendar data does not parse")?,
            at: r.planned_start,
            tag: TrainTag::parse(&r.tag).ok(),
            on_call: r.on_call,
            status,
            reason: (status == CalendarStatus::Skipped)
                .then_some(r.status_reason)
                .flatten(),
            moved_from: r.cadence_slot,
            runs_unwatched: r.runs_without_on_call,
        });
    }

    let windows = freeze_windows(pool.acquire().await?.as_mut(), now).await?;

    let today = now.date_naive().and_time(NaiveTime::MIN).and_utc();
    // Enough slots per track to cover the range even for a weekly cadence.
    let per_track = usize::try_from((to - today).num_weeks().clamp(0, 520) + 2).unwrap_or(2);
    let plans: Vec<_> = tracks.iter().map(Track::plan).collect();
    let mut entries: Vec<PlannedTrain> = planned.iter().filter(|t| t.at < today).cloned().collect();
    entries.extend(
        materialise(&plans, &planned, &windows, now, per_track)
            .or_internal("stored calendar data does not parse")?,
    );
    entries.retain(|t| t.at >= from && t.at < to);
    entries.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.track.cmp(&b.track)));
    Ok(entries
        .into_iter()
        .map(|t| {
            let key = (t.track.to_string(), t.moved_from.unwrap_or(t.at));
            let freeze_at = by_name
                .get(&t.track)
                .map_or(t.at, |track| track.freeze_at(t.at));
            CalendarEntry {
                track: t.track.to_string(),
                at: t.at,
                train: names.get(&key).cloned(),
                tag: t.tag.as_ref().map(ToString::to_string),
                warning: warning(&t, now),
                status: t.status,
                on_call: t.on_call,
                reason: t.reason,
                moved_from: t.moved_from,
                freeze_at,
            }
        })
        .collect())
}

/// The freeze windows that end after `since`, as the domain reads them.
pub async fn freeze_windows(
    conn: &mut sqlx::PgConnection,
    since: DateTime<Utc>,
) -> Result<Vec<FreezeWindow>, AppError> {
    sqlx::query!(
        r#"SELECT w.starts_at, w.ends_at, w.reason, w.effect,
                  array_remove(array_agg(k.name ORDER BY k.name), NULL) AS "tracks!"
           FROM freeze_window w
           LEFT JOIN freeze_window_track wt USING (freeze_window_id)
           LEFT JOIN track k USING (track_id)
           WHERE w.ends_at > $1
           GROUP BY w.freeze_window_id"#,
        since
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|w| {
        let tracks = (!w.tracks.is_empty())
            .then(|| {
                w.tracks
                    .iter()
                    .map(|t| TrackName::parse(t))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
            .or_internal("stored calendar data does not parse")?;
        let effect = if w.effect == "move" {
            FreezeEffect::Move
        } else {
            FreezeEffect::Block
        };
        FreezeWindow::new(w.starts_at, w.ends_at, w.reason, tracks, effect)
            .or_internal("stored calendar data does not parse")
    })
    .collect()
}
