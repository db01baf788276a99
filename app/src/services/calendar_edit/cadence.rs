use super::field;
use crate::domain::access::{Action, Resource};
use crate::domain::calendar::cadence::Cadence;
use crate::domain::calendar::edit::CadenceSpec;
use crate::domain::change::{CadenceFields, Change, FromTo, TrainRef};
use crate::error::AppError;
use crate::models::calendar::{CadenceForm, CadenceView};
use crate::services::access::{authorize, authorize_read, may};
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// How many dates a preview shows.
const PREVIEW: u16 = 6;

fn parse_form(form: &CadenceForm) -> Result<CadenceSpec, AppError> {
    CadenceSpec::parse(
        &form.every,
        &form.days,
        &form.time,
        &form.starts_on,
        &form.zone,
    )
    .map_err(|e| field(e.field, e.message))
}

fn planned_dates(
    spec: &CadenceSpec,
    now: DateTime<Utc>,
    count: u16,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let cadence = Cadence::parse(Some(&spec.to_rule())).map_err(|e| {
        if spec.zone != crate::domain::calendar::edit::UTC && e.reason.contains(&spec.zone) {
            field(
                "zone",
                format!("{:?} is not a time zone this server knows", spec.zone),
            )
        } else {
            field("every", e)
        }
    })?;
    Ok(cadence.next_after(now, count))
}

struct Planned {
    train_id: i64,
    name: String,
    at: DateTime<Utc>,
}

/// The track's future trains still open, in planning and untouched since the
/// scheduler planned them: the ones a new cadence moves onto its slots, in
/// order. A train a person edited keeps its time.
async fn planned_trains(
    conn: &mut PgConnection,
    track_id: i64,
    now: DateTime<Utc>,
    lock: bool,
) -> Result<Vec<Planned>, AppError> {
    if lock {
        sqlx::query!(
            "SELECT train_id FROM train WHERE track_id = $1 AND status = 'open' AND state = 'planning'
             AND replannable AND planned_start > $2 FOR UPDATE",
            track_id,
            now
        )
        .fetch_all(&mut *conn)
        .await?;
    }
    Ok(sqlx::query!(
        r#"SELECT train_id, name, planned_start AS "at!" FROM train
           WHERE track_id = $1 AND status = 'open' AND state = 'planning' AND replannable
             AND planned_start > $2
           ORDER BY planned_start"#,
        track_id,
        now
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Planned {
        train_id: r.train_id,
        name: r.name,
        at: r.at,
    })
    .collect())
}

/// The new cadence's slots for `planned`: the next ones after `now` that no
/// other train of the track holds.
async fn free_slots(
    conn: &mut PgConnection,
    track_id: i64,
    spec: &CadenceSpec,
    planned: &[Planned],
    now: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, AppError> {
    let movable: Vec<i64> = planned.iter().map(|p| p.train_id).collect();
    let held = sqlx::query_scalar!(
        r#"SELECT slot AS "slot!" FROM train
           WHERE track_id = $1 AND slot > $2 AND NOT (train_id = ANY($3))"#,
        track_id,
        now,
        &movable
    )
    .fetch_all(&mut *conn)
    .await?;
    let wanted = u16::try_from(planned.len() + held.len())
        .unwrap_or(u16::MAX)
        .max(1);
    Ok(planned_dates(spec, now, wanted)?
        .into_iter()
        .filter(|at| !held.contains(at))
        .take(planned.len().max(1))
        .collect())
}

/// Pairs each planned train with the new slot it takes.
fn reseat<'a>(
    planned: &'a [Planned],
    slots: &[DateTime<Utc>],
) -> Vec<(&'a Planned, DateTime<Utc>)> {
    planned
        .iter()
        .zip(slots.iter().copied())
        .filter(|(p, slot)| p.at != *slot)
        .collect()
}

/// The cadence page: the stored cadence and, when `proposal` is given, the
/// dates it would plan and the trains it would move.
pub async fn cadence_view(
    pool: &PgPool,
    actor: &Actor,
    track: &str,
    proposal: Option<CadenceForm>,
    now: DateTime<Utc>,
) -> Result<CadenceView, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let row = sqlx::query!(
        "SELECT track_id, name, cadence_description, cadence_rrule FROM track WHERE name = $1",
        track
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("track {track:?}")))?;
    let mut view = CadenceView {
        track: row.name,
        cadence_description: row.cadence_description,
        current: row
            .cadence_rrule
            .as_deref()
            .and_then(CadenceSpec::from_rule),
        rule: row.cadence_rrule,
        proposal: None,
        preview: Vec::new(),
        moves: Vec::new(),
        proposal_error: None,
        may_edit: may(actor, Action::EditCalendar),
    };
    if let Some(form) = proposal {
        match parse_form(&form).and_then(|spec| {
            let dates = planned_dates(&spec, now, PREVIEW)?;
            Ok((spec, dates))
        }) {
            Ok((spec, dates)) => {
                let planned = planned_trains(&mut conn, row.track_id, now, false).await?;
                let slots = free_slots(&mut conn, row.track_id, &spec, &planned, now).await?;
                view.moves = reseat(&planned, &slots)
                    .into_iter()
                    .map(|(p, to)| (p.name.clone(), p.at, to))
                    .collect();
                view.proposal = Some(spec);
                view.preview = dates;
            }
            Err(
                AppError::BadRequest { field, message }
                | AppError::Unprocessable { field, message },
            ) => {
                view.proposal_error = Some((field.unwrap_or_default(), message));
            }
            Err(other) => return Err(other),
        }
    }
    Ok(view)
}

/// Replaces a track's cadence; its planned trains move onto the new slots.
#[tracing::instrument(skip(pool, form))]
pub async fn save_cadence(
    pool: &PgPool,
    actor: &Actor,
    track: &str,
    form: &CadenceForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::EditCalendar, &Resource::Calendar)?;
    let spec = parse_form(form)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    change_cadence(&mut tx, actor, track, &spec, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces a track's cadence inside the caller's transaction (which holds
/// the audit chain's lock): the track's planned trains move onto the new
/// slots, with the `track.cadence` record.
pub(crate) async fn change_cadence(
    tx: &mut PgConnection,
    actor: &Actor,
    track: &str,
    spec: &CadenceSpec,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = sqlx::query!(
        "SELECT track_id, cadence_description, cadence_rrule, archived_at FROM track WHERE name = $1 FOR UPDATE",
        track
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("track {track:?}")))?;
    if row.archived_at.is_some() {
        return Err(AppError::Conflict(format!(
            "track {track} is archived: it plans no trains"
        )));
    }
    let rule = spec.to_rule();
    let description = spec.describe();
    sqlx::query!(
        "UPDATE track SET cadence_rrule = $2, cadence_description = $3, updated_at = $4 WHERE track_id = $1",
        row.track_id,
        rule,
        description,
        now
    )
    .execute(&mut *tx)
    .await?;
    let planned = planned_trains(tx, row.track_id, now, true).await?;
    let slots = free_slots(tx, row.track_id, spec, &planned, now).await?;
    let moves = reseat(&planned, &slots);
    // Off their old slots first: a train may move onto one another leaves.
    let moving: Vec<i64> = moves.iter().map(|(t, _)| t.train_id).collect();
    sqlx::query!(
        "UPDATE train SET slot = NULL WHERE train_id = ANY($1)",
        &moving
    )
    .execute(&mut *tx)
    .await?;
    for (train, to) in &moves {
        sqlx::query!(
            "UPDATE train SET planned_start = $2, slot = $2, cadence_slot = NULL, updated_at = $3
             WHERE train_id = $1",
            train.train_id,
            to,
            now
        )
        .execute(&mut *tx)
        .await?;
    }
    let change = Change::CadenceChanged {
        track: track.to_string(),
        before: CadenceFields {
            cadence: row.cadence_description,
            rule: row.cadence_rrule,
        },
        after: CadenceFields {
            cadence: description,
            rule: Some(rule),
        },
        moved: moves
            .iter()
            .map(|(t, to)| {
                let moved = FromTo {
                    from: t.at,
                    to: *to,
                };
                (TrainRef::new(t.train_id, t.name.clone()), moved)
            })
            .collect(),
    };
    changes::record(tx, actor, change, now).await?;
    Ok(())
}
