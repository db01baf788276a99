use super::verdict::verdict;
use crate::domain::access::Action;
use crate::domain::gates::edit::{gate_edit, spec_of};
use crate::domain::train_state::Guard;
use crate::error::{AppError, ResultExt};
use crate::models::train::TrainEventView;
use crate::models::train_page::TrainPageData;
use crate::services::access::{authorize_read, may};
use crate::services::actor::Actor;
use crate::services::calendar_edit::list_freezes;
use crate::services::promotions::{load_contexts, panel_for, OpenRequests};
use crate::services::trains::{last_rollback, train_ids, StoredEvent};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// How many of its newest events the train page shows.
pub const TIMELINE_LENGTH: i64 = 200;

/// Everything the train page shows, read over one connection in a fixed
/// number of queries, however long the train's history.
#[tracing::instrument(skip(pool))]
pub async fn train_page(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    now: DateTime<Utc>,
) -> Result<TrainPageData, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let ids = train_ids(&mut conn, &[name.to_owned()]).await?;
    let ctx = load_contexts(&mut conn, &ids, now)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("release train {name:?}")))?;
    let (events, earlier_events) = timeline(&mut conn, ctx.train_id).await?;
    let freezes = list_freezes(&mut conn, now).await?;
    let open = OpenRequests::load(&mut conn, &ids).await?;
    let promotion = panel_for(&mut conn, actor, &ctx, now).await?;
    let last_rollback = last_rollback(&mut conn, ctx.train_id).await?;
    drop(conn);
    let judged = verdict(&ctx, &freezes, &open, now)?;
    let lifecycle = ctx.facts.train.lifecycle;
    let gate_rule = gate_edit(ctx.status.state);
    let specs: Vec<_> = ctx.status.gates.gates.iter().map(spec_of).collect();
    let gates_yaml = serde_norway::to_string(&specs).or_internal("writing a train's gates")?;
    Ok(TrainPageData {
        now,
        planned_start: ctx.facts.train.planned_start,
        on_call: ctx.facts.train.on_call.clone(),
        calendar_status: ctx.facts.train.calendar_status,
        status: ctx.status,
        events,
        earlier_events,
        phases: judged.phases,
        blocked: judged.blocked,
        transitions: lifecycle
            .allowed()
            .into_iter()
            .map(|(to, guard)| (to, guard == Guard::ReasonRequired))
            .collect(),
        may_manage: may(actor, Action::ManageTrains),
        may_rollback: may(actor, Action::Rollback),
        may_set_gates: may(actor, gate_rule.action),
        gates_reason_required: gate_rule.reason_required,
        gates_yaml,
        last_rollback,
        promotion,
    })
}

/// The newest events of the train's timeline, oldest first, and how many
/// earlier ones there are (the audit trail lists them all).
async fn timeline(
    conn: &mut PgConnection,
    train_id: i64,
) -> Result<(Vec<TrainEventView>, i64), AppError> {
    let rows = sqlx::query!(
        r#"SELECT at, actor, kind, from_state, to_state, reason, detail, count(*) OVER () AS "total!"
           FROM train_event WHERE train_id = $1
           ORDER BY at DESC, train_event_id DESC LIMIT $2"#,
        train_id,
        TIMELINE_LENGTH
    )
    .fetch_all(&mut *conn)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let events: Vec<TrainEventView> = rows
        .into_iter()
        .rev()
        .map(|r| {
            let stored = StoredEvent {
                at: r.at,
                actor: r.actor,
                kind: r.kind,
                from_state: r.from_state,
                to_state: r.to_state,
                reason: r.reason,
                detail: r.detail,
            };
            stored.read()
        })
        .collect::<Result<_, _>>()?;
    let earlier = total - i64::try_from(events.len()).unwrap_or(total);
    Ok((events, earlier))
}
