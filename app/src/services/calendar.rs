use crate::domain::calendar::planning::{Planning, PlanningInput};
use crate::domain::calendar::{warning, PlannedTrain};
use crate::domain::release_naming::{Naming, NamingInput};
use crate::domain::track_colour::TrackColour;
use crate::domain::{CalendarStatus, TrackName};
use crate::error::{AppError, ResultExt};
use crate::models::{CalendarView, TrackSummary, TrainRow};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

pub async fn list_tracks(pool: &PgPool, actor: &Actor) -> Result<Vec<TrackSummary>, AppError> {
    authorize_read(actor)?;
    tracks(pool).await
}

/// Every track, archived ones too, in their order (no permission check:
/// for callers that made theirs).
pub(crate) async fn tracks(pool: &PgPool) -> Result<Vec<TrackSummary>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT t.name, t.description, t.cadence_description, t.position, t.cadence_rrule AS "cadence_rule?",
                  (extract(epoch FROM t.freeze_offset) / 60)::bigint AS "freeze_offset_minutes!",
                  (extract(epoch FROM t.soak) / 3600)::bigint AS "soak_hours!",
                  (extract(epoch FROM t.rollback_timeout) / 60)::bigint AS "rollback_timeout_minutes!",
                  p.name AS "promotes_to?", t.archived_at, t.environments AS pipeline,
                  t.direct, t.direct_approvals, h.name AS "patches?", g.name AS "gate_template?", t.naming,
                  t.runs_without_on_call, t.colour, t.planning
           FROM track t
           LEFT JOIN track p ON p.track_id = t.promotes_to_track_id
           LEFT JOIN track h ON h.track_id = t.patches
           LEFT JOIN gate_template g ON g.gate_template_id = t.gate_template_id
           ORDER BY t.position, t.name"#
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .enumerate()
        .map(|(i, t)| {
            let chosen = t
                .colour
                .as_deref()
                .map(TrackColour::parse)
                .transpose()
                .or_internal("a stored track colour")?;
            Ok(TrackSummary {
                colour: chosen.unwrap_or(TrackColour::by_position(i)).to_string(),
                colour_chosen: chosen.is_some(),
                naming: stored_naming(t.naming)?.spelled_out(),
                planning: stored_planning(t.planning)?.spelled_out(),
                name: t.name,
                description: t.description,
                cadence_description: t.cadence_description,
                position: t.position,
                cadence_rule: t.cadence_rule,
                freeze_offset_minutes: t.freeze_offset_minutes,
                soak_hours: t.soak_hours,
                rollback_timeout_minutes: t.rollback_timeout_minutes,
                promotes_to: t.promotes_to,
                archived_at: t.archived_at,
                pipeline: t.pipeline,
                direct: t.direct,
                direct_approvals: t.direct_approvals,
                patches: t.patches,
                gate_template: t.gate_template,
                runs_without_on_call: t.runs_without_on_call,
            })
        })
        .collect()
}

/// A track's `naming` column, parsed.
pub(crate) fn stored_naming(value: serde_json::Value) -> Result<Naming, AppError> {
    stored(value, "naming", NamingInput::parse)
}

/// A track's planning as stored (its input, defaults left out), checked.
pub(crate) fn stored_planning(value: serde_json::Value) -> Result<Planning, AppError> {
    stored(value, "planning", PlanningInput::parse)
}

/// A jsonb column holding an input, read and checked as when it was saved:
/// a stored value that no longer parses is a server error, logged.
fn stored<I: serde::de::DeserializeOwned, O>(
    value: serde_json::Value,
    what: &str,
    parse: impl FnOnce(&I) -> Result<O, crate::domain::service::Invalid>,
) -> Result<O, AppError> {
    let input: I = serde_json::from_value(value).or_internal("a stored track setting")?;
    parse(&input).map_err(|e| {
        tracing::error!(setting = what, field = %e.field, message = %e.message, "a stored track setting is invalid");
        AppError::Internal
    })
}

/// Trains planned from the start of `now`'s day on, in time order.
#[tracing::instrument(skip(pool))]
pub async fn calendar_view(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<CalendarView, AppError> {
    authorize_read(actor)?;
    let from = now - Duration::hours(24);
    let tracks = tracks(pool).await?;
    let mut trains = trains_between(pool, from, None, limit).await?;
    for row in &mut trains {
        let mut planned = PlannedTrain::open(
            TrackName::parse(&row.track).or_internal("a stored track name")?,
            row.planned_start,
        );
        planned.on_call = row.on_call.clone();
        planned.status = row.status;
        planned.runs_unwatched = tracks
            .iter()
            .any(|t| t.name == row.track && t.runs_without_on_call);
        row.warning = warning(&planned, now);
    }
    Ok(CalendarView {
        now,
        tracks,
        trains,
    })
}

/// All trains, newest first.
#[tracing::instrument(skip(pool))]
pub async fn list_trains(
    pool: &PgPool,
    actor: &Actor,
    limit: i64,
) -> Result<Vec<TrainRow>, AppError> {
    authorize_read(actor)?;
    let rows = sqlx::query!(
        r#"SELECT t.tag AS "tag!", k.name AS track, t.planned_start AS "planned_start!", t.status, t.on_call
           FROM train t JOIN track k USING (track_id)
           WHERE t.planned_start IS NOT NULL
           ORDER BY t.planned_start DESC, k.position
           LIMIT $1"#,
        limit
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| to_row(r.tag, r.track, r.planned_start, &r.status, r.on_call))
        .collect()
}

async fn trains_between(
    pool: &PgPool,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    limit: i64,
) -> Result<Vec<TrainRow>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT t.tag AS "tag!", k.name AS track, t.planned_start AS "planned_start!", t.status, t.on_call
           FROM train t JOIN track k USING (track_id)
           WHERE t.planned_start >= $1 AND ($2::timestamptz IS NULL OR t.planned_start < $2)
           ORDER BY t.planned_start, k.position
           LIMIT $3"#,
        from,
        to,
        limit
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| to_row(r.tag, r.track, r.planned_start, &r.status, r.on_call))
        .collect()
}

fn to_row(
    tag: String,
    track: String,
    planned_start: DateTime<Utc>,
    status: &str,
    on_call: Option<String>,
) -> Result<TrainRow, AppError> {
    let status = CalendarStatus::parse(status).map_err(|e| {
        tracing::error!(error = %e, "train row with an unknown status");
        AppError::Internal
    })?;
    Ok(TrainRow {
        tag,
        track,
        planned_start,
        status,
        on_call,
        warning: None,
    })
}
