use crate::domain::release_phases::PhaseStatus;
use crate::domain::CalendarStatus;
use crate::error::AppError;
use crate::models::dashboard::{DashboardData, InFlightTrain, NextTrain, RecentRollback, Signal};
use crate::services::actor::Actor;
use crate::services::calendar::list_tracks;
use crate::services::calendar_edit::list_freezes;
use crate::services::calendar_plan::calendar_entries;
use crate::services::trains::list_trains;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// How far ahead "next train" looks.
const HORIZON_WEEKS: i64 = 8;

/// The dashboard: trains in flight, each track's next train, active freezes
/// and recent rollbacks.
#[tracing::instrument(skip(pool))]
pub async fn dashboard(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<DashboardData, AppError> {
    let tracks = list_tracks(pool, actor).await?;
    let mut in_flight = Vec::new();
    for train in list_trains(pool, actor, None, 500).await? {
        if !(train.state.is_in_flight() || train.state == crate::domain::TrainState::Failed) {
            continue;
        }
        // The same blockers and phase the train's own page shows.
        let page = super::train_page(pool, actor, &train.name, now).await?;
        let status = page.status;
        let phase = page
            .phases
            .into_iter()
            .find(|p| matches!(p.status, PhaseStatus::Current | PhaseStatus::Stopped))
            .map_or_else(|| "Planning".to_owned(), |p| p.name);
        in_flight.push(InFlightTrain {
            name: status.name,
            tag: status.tag,
            track: status.track,
            state: status.state,
            paused_from: status.paused_from,
            progress: status.progress,
            phase,
            blockers: page.blocked.len(),
            captain: status.captain,
        });
    }
    let entries =
        calendar_entries(pool, actor, now, now, now + Duration::weeks(HORIZON_WEEKS)).await?;
    let next_trains = tracks
        .into_iter()
        .enumerate()
        .map(|(position, track)| NextTrain {
            entry: entries
                .iter()
                .find(|e| e.track == track.name && e.at > now && e.status == CalendarStatus::Open)
                .cloned(),
            track,
            position,
        })
        .collect();
    let mut conn = pool.acquire().await?;
    let freezes = list_freezes(&mut conn, now)
        .await?
        .into_iter()
        .filter(|f| f.is_active(now))
        .collect();
    let rollbacks = sqlx::query!(
        r#"SELECT t.name, r.reason, r.requested_by, r.created_at, jsonb_array_length(r.steps) AS "steps!"
           FROM rollback r JOIN train t USING (train_id)
           ORDER BY r.created_at DESC, r.rollback_id DESC LIMIT 5"#
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
    .collect();
    let signals = sqlx::query!(
        "SELECT t.name AS train, s.name AS service, b.environment, b.detail, b.outcome, b.detected_at
         FROM health_breach b JOIN train t USING (train_id) JOIN service s ON s.service_id = b.service_id
         WHERE b.detected_at > $1 ORDER BY b.detected_at DESC LIMIT 10",
        now - Duration::days(1)
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Signal {
        train: r.train,
        service: r.service,
        environment: r.environment,
        detail: r.detail,
        outcome: r.outcome,
        at: r.detected_at,
    })
    .collect();
    drop(conn);
    let waiting = crate::services::promotions::waiting_for(pool, actor, now).await?;
    Ok(DashboardData {
        now,
        waiting,
        signals,
        in_flight,
        next_trains,
        freezes,
        rollbacks,
    })
}
