use super::verdict::verdict;
use crate::domain::change::BreachOutcome;
use crate::domain::TrainState;
use crate::error::{AppError, ResultExt};
use crate::models::dashboard::{DashboardData, InFlightTrain, NextTrain, RecentRollback, Signal};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use crate::services::calendar::list_tracks;
use crate::services::calendar_edit::list_freezes;
use crate::services::calendar_plan::calendar_entries;
use crate::services::deployments::recent_unscheduled;
use crate::services::promotions::{load_contexts, trains_with_open_requests, OpenRequests};
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};

/// How far ahead "next train" looks.
const HORIZON_WEEKS: i64 = 8;
const RECENT_ROLLBACKS: i64 = 5;
const RECENT_SIGNALS: i64 = 10;
/// How many unscheduled deployments the dashboard flags, and how far back.
const UNSCHEDULED_SHOWN: i64 = 5;
const UNSCHEDULED_DAYS: i64 = 7;

/// The dashboard: every train in flight with its verdict, each track's next
/// train, active freezes, recent rollbacks and signals, and what waits for
/// the viewer. A fixed number of queries, whatever the number of trains in
/// flight or the length of the history.
#[tracing::instrument(skip(pool))]
pub async fn dashboard(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<DashboardData, AppError> {
    authorize_read(actor)?;
    let tracks = list_tracks(pool, actor).await?;
    let entries =
        calendar_entries(pool, actor, now, now, now + Duration::weeks(HORIZON_WEEKS)).await?;
    let mut conn = pool.acquire().await?;
    let flying = in_flight_ids(&mut conn).await?;
    let mut ids = trains_with_open_requests(&mut conn).await?;
    let more: Vec<i64> = flying
        .iter()
        .copied()
        .filter(|id| !ids.contains(id))
        .collect();
    ids.extend(more);
    let contexts = load_contexts(&mut conn, &ids, now).await?;
    let all_freezes = list_freezes(&mut conn, now).await?;
    let open = OpenRequests::load(&mut conn, &ids).await?;
    let rollbacks = recent_rollbacks(&mut conn).await?;
    let signals = recent_signals(&mut conn, now).await?;
    let since = now - Duration::days(UNSCHEDULED_DAYS);
    let unscheduled = recent_unscheduled(&mut conn, since, UNSCHEDULED_SHOWN).await?;
    drop(conn);

    let mut in_flight = Vec::with_capacity(flying.len());
    for ctx in contexts.iter().filter(|c| flying.contains(&c.train_id)) {
        let judged = verdict(ctx, &all_freezes, &open, now)?;
        let status = &ctx.status;
        in_flight.push(InFlightTrain {
            name: status.name.clone(),
            tag: status.tag.clone(),
            track: status.track.clone(),
            state: status.state,
            paused_from: status.paused_from,
            progress: status.progress,
            phase: judged.current_phase(),
            blockers: judged.blocked.len(),
            top_blocker: judged.blocked.first().map(|b| b.title.clone()),
            captain: status.captain.clone(),
            on_call: ctx.facts.train.on_call.clone(),
            environment: ctx.current().map(|e| e.to_string()),
            participants: status.participants.len(),
        });
    }
    in_flight.sort_by(|a, b| a.name.cmp(&b.name));
    let next_trains = tracks
        .into_iter()
        .map(|track| NextTrain {
            entry: entries
                .iter()
                .find(|e| e.track == track.name && e.at > now && e.status.is_ahead())
                .cloned(),
            track,
        })
        .collect();
    Ok(DashboardData {
        now,
        viewer: actor.signed_in().then(|| actor.name.clone()),
        waiting: open.waiting_for(actor, &contexts, now),
        signals,
        in_flight,
        next_trains,
        freezes: all_freezes
            .into_iter()
            .filter(|f| f.is_active(now))
            .collect(),
        rollbacks,
        unscheduled,
    })
}

/// Trains in flight, and failed ones waiting for someone to retry or roll
/// them back.
async fn in_flight_ids(conn: &mut PgConnection) -> Result<Vec<i64>, AppError> {
    let states = TrainState::names_where(|s| s.is_in_flight() || s == TrainState::Failed);
    Ok(sqlx::query_scalar!(
        "SELECT train_id FROM train WHERE state = ANY($1) ORDER BY train_id",
        &states as &[&str]
    )
    .fetch_all(&mut *conn)
    .await?)
}

async fn recent_rollbacks(conn: &mut PgConnection) -> Result<Vec<RecentRollback>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT t.name, r.reason, r.requested_by, r.created_at, jsonb_array_length(r.steps) AS "steps!"
           FROM rollback r JOIN train t USING (train_id)
           ORDER BY r.created_at DESC, r.rollback_id DESC LIMIT $1"#,
        RECENT_ROLLBACKS
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| RecentRollback {
        train: r.name,
        reason: r.reason,
        requested_by: r.requested_by,
        at: r.created_at,
        steps: usize::try_from(r.steps).unwrap_or(0),
    })
    .collect())
}

/// Rollback criteria that held in the last day.
async fn recent_signals(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Signal>, AppError> {
    sqlx::query!(
        "SELECT t.name AS train, s.name AS service, b.environment, b.detail, b.outcome, b.detected_at
         FROM health_breach b JOIN train t USING (train_id) JOIN service s ON s.service_id = b.service_id
         WHERE b.detected_at > $1 ORDER BY b.detected_at DESC LIMIT $2",
        now - Duration::days(1),
        RECENT_SIGNALS
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(Signal {
            train: r.train,
            service: r.service,
            environment: r.environment,
            detail: r.detail,
            outcome: BreachOutcome::parse(&r.outcome).or_internal("a stored breach outcome")?,
            at: r.detected_at,
        })
    })
    .collect()
}
