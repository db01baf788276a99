use crate::domain::access::Action;
use crate::domain::blocked::{blocked_items, promotion_items, Freeze};
use crate::domain::calendar::{warning, PlannedTrain};
use crate::domain::promotion::RequestState;
use crate::domain::release_phases::{release_phases, Step};
use crate::domain::train_state::{Guard, Lifecycle};
use crate::domain::{CalendarStatus, TrackName, TrainState};
use crate::error::AppError;
use crate::models::train_page::TrainPageData;
use crate::services::access::may;
use crate::services::actor::Actor;
use crate::services::calendar_edit::list_freezes;
use crate::services::evidence::evidence_completeness;
use crate::services::promotions::promotion_panel;
use crate::services::trains::{rollback_status, train_events, train_status};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "stored train does not parse");
    AppError::Internal
}

/// Everything the train page shows.
#[tracing::instrument(skip(pool))]
pub async fn train_page(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    now: DateTime<Utc>,
) -> Result<TrainPageData, AppError> {
    let status = train_status(pool, actor, name).await?;
    let events = train_events(pool, actor, name).await?;
    let mut conn = pool.acquire().await?;
    let row = sqlx::query!(
        r#"SELECT t.train_id, t.planned_start, t.on_call, t.status, k.name AS "track?",
                  (extract(epoch FROM k.freeze_offset))::bigint AS freeze_seconds
           FROM train t LEFT JOIN track k USING (track_id) WHERE t.name = $1"#,
        name
    )
    .fetch_one(&mut *conn)
    .await?;
    let lifecycle = Lifecycle {
        state: status.state,
        paused_from: status.paused_from,
    };
    let steps: Vec<Step> = events
        .iter()
        .filter_map(|e| {
            let from = TrainState::parse(e.from_state.as_deref()?).ok()?;
            let to = TrainState::parse(e.to_state.as_deref()?).ok()?;
            Some(Step { at: e.at, from, to })
        })
        .collect();
    let freeze_at = row
        .planned_start
        .map(|at| at - Duration::seconds(row.freeze_seconds.unwrap_or(0)));
    let phases = release_phases(lifecycle, &steps, freeze_at);
    let calendar_status = row
        .track
        .as_ref()
        .map(|_| CalendarStatus::parse(&row.status))
        .transpose()
        .map_err(internal)?;

    let planning = status.state == TrainState::Planning;
    let freezes: Vec<Freeze> = list_freezes(&mut conn, now)
        .await?
        .into_iter()
        .filter(|f| match row.track.as_deref() {
            Some(track) => f.affects(track),
            // A train on no track is held only by a freeze of every track.
            None => f.tracks.is_empty(),
        })
        .filter(|f| {
            f.is_active(now)
                || (planning
                    && row
                        .planned_start
                        .is_some_and(|at| f.starts_at <= at && at < f.ends_at))
        })
        .map(|f| Freeze {
            moves: f.effect == "move",
            reason: f.reason,
            ends_at: f.ends_at,
        })
        .collect();
    let on_call_warning = match (&row.track, row.planned_start, calendar_status) {
        (Some(track), Some(at), Some(cal)) if planning => {
            let mut planned = PlannedTrain::open(TrackName::parse(track).map_err(internal)?, at);
            planned.status = cal;
            planned.on_call = row.on_call.clone();
            warning(&planned, now)
        }
        _ => None,
    };
    let promotion = promotion_panel(&mut conn, actor, name, now).await?;
    let evidence = evidence_completeness(&mut conn, row.train_id).await?;
    let mut blocked = blocked_items(
        status.state,
        &status.blockers,
        &freezes,
        on_call_warning.as_deref(),
        &evidence.missing,
        promotion.evidence_gate(),
    );
    if let Some(request) = promotion
        .request
        .as_ref()
        .filter(|r| r.state == RequestState::Open)
    {
        blocked.extend(promotion_items(
            &request.environment,
            &request.evaluation.blockers,
        ));
    }
    let transitions = lifecycle
        .allowed()
        .into_iter()
        .map(|(to, guard)| (to, guard == Guard::ReasonRequired))
        .collect();
    let last_rollback = match rollback_status(pool, actor, name).await {
        Ok(plan) => Some(plan),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(TrainPageData {
        now,
        planned_start: row.planned_start,
        on_call: row.on_call,
        calendar_status,
        status,
        events,
        phases,
        blocked,
        transitions,
        may_manage: may(actor, Action::ManageTrains),
        may_rollback: may(actor, Action::Rollback),
        last_rollback,
        promotion,
    })
}
