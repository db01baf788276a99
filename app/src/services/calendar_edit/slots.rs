use super::field;
use crate::domain::access::{Action, Resource};
use crate::domain::calendar::edit::{parse_category, parse_utc, Movement, OnCall, Reason, Slot};
use crate::domain::change::{Change, FromTo, TrainRef};
use crate::domain::{CalendarStatus, TrainState};
use crate::error::{AppError, ResultExt};
use crate::models::calendar::SlotView;
use crate::services::access::{authorize, authorize_read, may};
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

struct Row {
    train_id: i64,
    slot: Slot,
    tag: Option<String>,
    track: Option<String>,
    on_call: Option<String>,
    reason: Option<String>,
    cadence_slot: Option<DateTime<Utc>>,
}

async fn load(conn: &mut PgConnection, name: &str, lock: bool) -> Result<Row, AppError> {
    if lock {
        sqlx::query_scalar!(
            "SELECT train_id FROM train WHERE name = $1 FOR NO KEY UPDATE",
            name
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    let r = sqlx::query!(
        r#"SELECT t.train_id, t.name, t.tag, k.name AS "track?", t.planned_start, t.status, t.state,
                  t.on_call, t.status_reason, t.cadence_slot, t.slot
           FROM train t LEFT JOIN track k USING (track_id) WHERE t.name = $1"#,
        name
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("release train {name:?}")))?;
    let at = r.planned_start.ok_or_else(|| {
        AppError::Conflict(format!(
            "{name} is not on the calendar: it has no planned start"
        ))
    })?;
    Ok(Row {
        train_id: r.train_id,
        slot: Slot {
            name: r.name,
            status: CalendarStatus::parse(&r.status).or_internal("stored train does not parse")?,
            state: TrainState::parse(&r.state).or_internal("stored train does not parse")?,
            at,
            slot: r.slot.or(r.cadence_slot).unwrap_or(at),
        },
        tag: r.tag,
        track: r.track,
        on_call: r.on_call,
        reason: r.status_reason,
        cadence_slot: r.cadence_slot,
    })
}

pub async fn slot_view(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    now: DateTime<Utc>,
) -> Result<SlotView, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let row = load(&mut conn, name, false).await?;
    Ok(SlotView {
        locked: row.slot.check_editable(now).err().map(|e| e.to_string()),
        postpone_only: row.slot.status == CalendarStatus::Cut && row.slot.state.is_in_flight(),
        name: row.slot.name,
        tag: row.tag,
        track: row.track,
        at: row.slot.at,
        status: row.slot.status,
        state: row.slot.state,
        on_call: row.on_call,
        reason: row.reason,
        cadence_slot: row.cadence_slot,
        may_edit: may(actor, Action::EditCalendar),
        now,
    })
}

/// Sets or clears (empty input) who is on call for a planned train.
#[tracing::instrument(skip(pool))]
pub async fn assign_on_call(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    on_call: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::EditCalendar, &Resource::Calendar)?;
    let on_call = OnCall::parse_optional(on_call).map_err(|e| field("on_call", e))?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let row = load(&mut tx, name, true).await?;
    row.slot
        .check_editable(now)
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    let new = on_call.as_ref().map(OnCall::as_str);
    if row.on_call.as_deref() == new {
        return Ok(());
    }
    sqlx::query!(
        "UPDATE train SET on_call = $2, replannable = false, updated_at = $3 WHERE train_id = $1",
        row.train_id,
        new,
        now
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::OnCallAssigned {
        train: TrainRef::new(row.train_id, name),
        on_call: FromTo {
            from: row.on_call.clone(),
            to: new.map(str::to_owned),
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a train to another time; the cadence slot it was planned for is
/// kept, so the calendar knows which slot it still takes. Past its slot
/// (or once cut) the train is postponed: that needs a reason and a
/// category, and the calendar says so.
#[tracing::instrument(skip(pool))]
pub async fn move_train(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    to: &str,
    reason: &str,
    category: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::domain::calendar::edit::SlotError as E;
    authorize(actor, Action::EditCalendar, &Resource::Calendar)?;
    let to = parse_utc(to).map_err(|e| field("to", e))?;
    let reason = match reason.trim() {
        "" => None,
        text => Some(Reason::parse(text).map_err(|e| field("reason", e))?),
    };
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let row = load(&mut tx, name, true).await?;
    let movement = row.slot.check_move(to, now).map_err(|e| match e {
        E::MoveIntoPast | E::SameTime { .. } | E::CutOnlyLater { .. } => field("to", e),
        other => AppError::Conflict(other.to_string()),
    })?;
    let postponed = match movement {
        Movement::Moved => None,
        Movement::Postponed => {
            if reason.is_none() {
                return Err(field(
                    "reason",
                    "a postponement needs a reason: the calendar shows it",
                ));
            }
            Some(parse_category(category).map_err(|e| field("category", e))?)
        }
    };
    let status = movement.status_after(row.slot.status);
    sqlx::query!(
        "UPDATE train SET planned_start = $2, cadence_slot = coalesce(cadence_slot, planned_start),
                status = $4, status_reason = $5, status_category = $6, replannable = false,
                updated_at = $3
         WHERE train_id = $1",
        row.train_id,
        to,
        now,
        status.as_str(),
        postponed
            .as_ref()
            .and(reason.as_ref())
            .map(|r| r.as_str().to_owned()),
        postponed.as_deref()
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::TrainMoved {
        train: TrainRef::new(row.train_id, name),
        moved: FromTo {
            from: row.slot.at,
            to,
        },
        reason: reason.as_ref().map(|r| r.as_str().to_owned()),
        postponed,
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Skips a planned train with the owner's reason.
#[tracing::instrument(skip(pool))]
pub async fn skip_train(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::EditCalendar, &Resource::Calendar)?;
    let reason = Reason::parse(reason).map_err(|e| field("reason", e))?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let row = load(&mut tx, name, true).await?;
    row.slot
        .check_editable(now)
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    sqlx::query!(
        "UPDATE train SET status = 'skipped', status_reason = $2, replannable = false, updated_at = $3
         WHERE train_id = $1",
        row.train_id,
        reason.as_str(),
        now
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::TrainSkipped {
        train: TrainRef::new(row.train_id, name),
        reason: reason.as_str().to_owned(),
        by_rule: false,
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}
