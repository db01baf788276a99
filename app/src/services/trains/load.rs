use crate::domain::change::{Change, TimelineEvent, TrainRef};
use crate::domain::gates::evaluate::evaluate;
use crate::domain::gates::{GateMatrix, GateStage};
use crate::domain::train_state::{Lifecycle, TransitionEvent};
use crate::domain::{CalendarStatus, TrainState};
use crate::error::{AppError, ResultExt};
use crate::models::train::{ParticipantStatus, TrainEventView, TrainStatus, TrainSummary};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use crate::services::changes;
use sqlx::{PgConnection, PgPool};

/// The train row the other operations start from.
pub(crate) struct TrainRow {
    pub train_id: i64,
    pub name: String,
    pub lifecycle: Lifecycle,
    pub target_version: Option<String>,
    pub tag: Option<String>,
    pub captain: Option<String>,
}

pub(crate) async fn load_train(
    conn: &mut PgConnection,
    name: &str,
    lock: bool,
) -> Result<TrainRow, AppError> {
    let not_found = || AppError::NotFound(format!("release train {name:?}"));
    if lock {
        // Taken first, so the row read next stays as read until commit.
        sqlx::query_scalar!(
            "SELECT train_id FROM train WHERE name = $1 FOR NO KEY UPDATE",
            name
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(not_found)?;
    }
    let r = sqlx::query!(
        "SELECT train_id, name, state, paused_from, target_version, tag, captain
         FROM train WHERE name = $1",
        name
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_found)?;
    Ok(TrainRow {
        train_id: r.train_id,
        lifecycle: stored_lifecycle(&r.state, r.paused_from.as_deref())?,
        name: r.name,
        target_version: r.target_version,
        tag: r.tag,
        captain: r.captain,
    })
}

impl TrainRow {
    /// The train, as a change names it.
    pub fn reference(&self) -> TrainRef {
        TrainRef::new(self.train_id, self.name.clone())
    }
}

/// A train's stored state and the state it paused from.
pub(super) fn stored_lifecycle(
    state: &str,
    paused_from: Option<&str>,
) -> Result<Lifecycle, AppError> {
    Ok(Lifecycle {
        state: TrainState::parse(state).or_internal("stored data does not parse")?,
        paused_from: paused_from
            .map(TrainState::parse)
            .transpose()
            .or_internal("stored data does not parse")?,
    })
}

pub(crate) async fn load_participants(
    conn: &mut PgConnection,
    train_id: i64,
) -> Result<Vec<ParticipantStatus>, AppError> {
    let mut of = super::facts::load_participants_of(conn, &[train_id]).await?;
    Ok(of.remove(&train_id).unwrap_or_default())
}

/// The gate matrix of a train at `stage` from its definitions and the newest
/// result per participant × key.
pub(super) async fn load_matrix(
    conn: &mut PgConnection,
    train_id: i64,
    participants: &[String],
    stage: GateStage,
) -> Result<GateMatrix, AppError> {
    let ids = [train_id];
    let definitions = super::facts::load_definitions_of(conn, &ids)
        .await?
        .remove(&train_id)
        .unwrap_or_default();
    let reports = super::facts::load_reports_of(conn, &ids)
        .await?
        .remove(&train_id)
        .unwrap_or_default();
    Ok(evaluate(&definitions, participants, &reports, stage))
}

pub async fn train_status(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
) -> Result<TrainStatus, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    status_of(&mut conn, name).await
}

/// A train's status, through the same loader the dashboard uses.
pub(crate) async fn status_of(
    conn: &mut PgConnection,
    name: &str,
) -> Result<TrainStatus, AppError> {
    facts_of(conn, name).await?.status()
}

/// One train's facts, by name.
pub(crate) async fn facts_of(
    conn: &mut PgConnection,
    name: &str,
) -> Result<super::facts::TrainFacts, AppError> {
    let ids = super::facts::train_ids(conn, &[name.to_owned()]).await?;
    super::facts::load_facts(conn, &ids)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("release train {name:?}")))
}

pub async fn list_trains(
    pool: &PgPool,
    actor: &Actor,
    state: Option<TrainState>,
    limit: i64,
) -> Result<Vec<TrainSummary>, AppError> {
    authorize_read(actor)?;
    let rows = sqlx::query!(
        r#"SELECT t.name, t.state, k.name AS "track?", t.tag, t.target_version, t.planned_start, t.captain,
                  (SELECT count(*) FROM participant p WHERE p.train_id = t.train_id) AS "participants!"
           FROM train t LEFT JOIN track k USING (track_id)
           WHERE ($1::text IS NULL OR t.state = $1)
           ORDER BY t.planned_start DESC NULLS FIRST, t.name
           LIMIT $2"#,
        state.map(|s| s.as_str()),
        limit
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(TrainSummary {
                name: r.name,
                state: TrainState::parse(&r.state).or_internal("stored data does not parse")?,
                track: r.track,
                tag: r.tag,
                target_version: r.target_version,
                planned_start: r.planned_start,
                captain: r.captain,
                participants: r.participants,
            })
        })
        .collect()
}

/// A train's timeline, oldest first.
pub async fn train_events(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
) -> Result<Vec<TrainEventView>, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let train = load_train(&mut conn, name, false).await?;
    let rows = sqlx::query_as!(
        StoredEvent,
        r#"SELECT at, actor, kind, from_state, to_state, reason, detail
           FROM train_event WHERE train_id = $1 ORDER BY at, train_event_id"#,
        train.train_id
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(StoredEvent::read).collect()
}

/// A `train_event` row as stored.
pub(crate) struct StoredEvent {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub kind: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub reason: Option<String>,
    pub detail: serde_json::Value,
}

impl StoredEvent {
    /// The entry, typed; a row this version cannot read is an internal error
    /// naming the row's kind (every row it writes reads back).
    pub(crate) fn read(self) -> Result<TrainEventView, AppError> {
        let state = |s: Option<String>| s.as_deref().map(TrainState::parse).transpose();
        let event = TimelineEvent::from_stored(&self.kind, self.detail).map_err(|e| {
            tracing::error!(kind = %self.kind, error = %e, "a timeline entry does not read");
            AppError::Internal
        })?;
        Ok(TrainEventView {
            at: self.at,
            actor: self.actor,
            from_state: state(self.from_state).or_internal("stored data does not parse")?,
            to_state: state(self.to_state).or_internal("stored data does not parse")?,
            reason: self.reason,
            event,
        })
    }
}

/// Stores a transition the state machine allowed, recording `change` (the
/// transition, or the rollback that made it) in the caller's transaction.
/// The change a plain transition records.
pub(super) fn transitioned(train: &TrainRow, event: &TransitionEvent) -> Change {
    Change::TrainTransitioned {
        train: train.reference(),
        states: crate::domain::change::FromTo {
            from: event.from,
            to: event.to,
        },
        reason: event.reason.clone(),
    }
}

pub(super) async fn store_transition(
    conn: &mut PgConnection,
    actor: &Actor,
    train: &TrainRow,
    next: Lifecycle,
    event: &TransitionEvent,
    change: Change,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE train SET state = $2, paused_from = $3, status_reason = $4, updated_at = $5 WHERE train_id = $1",
        train.train_id,
        next.state.as_str(),
        next.paused_from.map(|s| s.as_str()),
        event.reason,
        event.at
    )
    .execute(&mut *conn)
    .await?;
    changes::record(&mut *conn, actor, change, event.at).await?;
    // Leaving planning is the cut, whoever makes it; a failed train tried
    // again is running again. Later steps of a running train change
    // neither.
    let starts = matches!(event.from, TrainState::Planning | TrainState::Failed);
    if starts && next.state.is_in_flight() && next.state != TrainState::Paused {
        super::tags::record_cut(conn, actor, train, event.at).await?;
    }
    // The calendar follows the train to its end (a skipped train keeps
    // saying why it did not run).
    if let Some(status) = CalendarStatus::of_finished(next.state) {
        sqlx::query!(
            "UPDATE train SET status = $2 WHERE train_id = $1 AND status <> 'skipped'",
            train.train_id,
            status.as_str()
        )
        .execute(&mut *conn)
        .await?;
    }
    // GA: the tag and the sealed evidence bundle come with the transition,
    // or none of them happens.
    if next.state == TrainState::Completed {
        super::tags::tag_general_availability(conn, actor, train, event.at).await?;
        super::roll_forward::roll_forward(conn, actor, &train.reference(), event.at).await?;
        crate::services::release_notes::write_post_release(
            conn,
            actor,
            &train.reference(),
            event.at,
        )
        .await?;
        crate::services::evidence::seal_bundle(conn, actor, train.train_id, &train.name, event.at)
            .await?;
    }
    Ok(())
}
