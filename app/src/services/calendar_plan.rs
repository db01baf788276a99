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

/// What the calendar shows of a recorded train besides its slot.
#[derive(Default)]
struct Recorded {
    name: String,
    category: Option<String>,
    release_id: Option<String>,
    release_branch: Option<String>,
    baseline: Option<String>,
    rolled_into: Option<String>,
}

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
                  t.on_call, t.status_reason, t.cadence_slot, k.runs_without_on_call,
                  t.status_category, t.release_id, t.release_branch, b.name AS "baseline?",
                  (SELECT f.name FROM train f WHERE f.baseline_train_id = t.train_id
                   ORDER BY f.planned_start LIMIT 1) AS "rolled_into?"
           FROM train t JOIN track k USING (track_id)
                        LEFT JOIN train b ON b.train_id = t.baseline_train_id
           WHERE t.planned_start >= $1 AND t.planned_start < $2
           ORDER BY t.planned_start"#,
        from.min(now),
        to
    )
    .fetch_all(pool)
    .await?;
    let mut names: HashMap<(String, DateTime<Utc>), Recorded> = HashMap::new();
    let mut planned = Vec::with_capacity(recorded.len());
    for r in recorded {
        let status =
            CalendarStatus::parse(&r.status).or_internal("stored calendar data does not parse")?;
        names.insert(
            (r.track.clone(), r.planned_start),
            Recorded {
                name: r.name,
                category: r.status_category,
                release_id: r.release_id,
                release_branch: r.release_branch,
                baseline: r.baseline,
                rolled_into: r.rolled_into,
            },
        );
        planned.push(PlannedTrain {
            track: TrackName::parse(&r.track).or_internal("stored calendar data does not parse")?,
            at: r.planned_start,
            tag: TrainTag::parse(&r.tag).ok(),
            on_call: r.on_call,
            status,
            reason: matches!(status, CalendarStatus::Skipped | CalendarStatus::Postponed)
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
    // A slot that passed with no train recorded for it did not happen
    // (the install is younger than it, or its track was added later).
    entries.retain(|t| t.at >= from && t.at < to && (t.tag.is_some() || t.at >= now));
    entries.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.track.cmp(&b.track)));
    Ok(entries
        .into_iter()
        .map(|t| {
            // A recorded train sits at its planned start; one a freeze moved
            // remembers that start as `moved_from`.
            let track = t.track.to_string();
            let freeze_at = by_name
                .get(&t.track)
                .map_or(t.at, |track| track.freeze_at(t.at));
            let recorded = names
                .remove(&(track.clone(), t.at))
                .or_else(|| t.moved_from.and_then(|m| names.remove(&(track.clone(), m))))
                .unwrap_or_default();
            CalendarEntry {
                track: t.track.to_string(),
                at: t.at,
                train: (!recorded.name.is_empty()).then_some(recorded.name),
                category: recorded.category,
                release_id: recorded.release_id,
                release_branch: recorded.release_branch,
                baseline: recorded.baseline,
                rolled_into: recorded.rolled_into,
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
