//! The promotion itself: when a fresh verdict says ready, the release runs
//! in the target environment. Exactly once: the request's row is locked and
//! its state moves from open to promoted in the same transaction.

use super::context::{load_context, TrainContext};
use super::requests::{fingerprint_json, judge, load_requests, Stored};
use crate::domain::promotion::RequestState;
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::trains::{record_change, TrainChange};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Promotes `stored` if everything holds at `now`; returns whether it did.
/// The caller holds the train's and the request's row locks.
pub(crate) async fn try_promote(
    conn: &mut PgConnection,
    ctx: &TrainContext,
    stored: &Stored,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if stored.request.state != RequestState::Open || ctx.promotable().is_err() {
        return Ok(false);
    }
    let (_, _, evaluation) = judge(conn, ctx, stored, now).await?;
    if !evaluation.ready {
        return Ok(false);
    }
    let moved = sqlx::query!(
        "UPDATE promotion_request SET state = 'promoted', decided_at = $2
         WHERE promotion_request_id = $1 AND state = 'open'",
        stored.id,
        now
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if moved != 1 {
        return Ok(false);
    }
    let env = stored.request.environment.as_str();
    let fingerprint = fingerprint_json(&ctx.fingerprint);
    sqlx::query!(
        "INSERT INTO train_environment (train_id, environment, deployed_at, fingerprint, promotion_request_id)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (train_id, environment) DO UPDATE
         SET deployed_at = EXCLUDED.deployed_at, fingerprint = EXCLUDED.fingerprint,
             promotion_request_id = EXCLUDED.promotion_request_id, rolled_back_at = NULL",
        ctx.train_id,
        env,
        now,
        fingerprint,
        stored.id
    )
    .execute(&mut *conn)
    .await?;
    for (service, version) in ctx.fingerprint.pairs() {
        sqlx::query!(
            "INSERT INTO environment_release (environment, service_id, version, train_id, deployed_at)
             SELECT $1, service_id, $3, $4, $5 FROM service WHERE name = $2
             ON CONFLICT (environment, service_id) DO UPDATE
             SET version = EXCLUDED.version, train_id = EXCLUDED.train_id, deployed_at = EXCLUDED.deployed_at",
            env,
            service,
            version,
            ctx.train_id,
            now
        )
        .execute(&mut *conn)
        .await?;
    }
    let glass = evaluation
        .freeze_lifted_by
        .as_ref()
        .map(|g| format!("break-glass by {}: {}", g.by, g.reason));
    let detail = serde_json::json!({
        "promoted": env, "request": stored.id, "versions": fingerprint, "break_glass": glass,
    });
    let reason = glass.clone().unwrap_or_else(|| stored.request.note.clone());
    let system = Actor::new("scheduler");
    let change = TrainChange {
        train_id: ctx.train_id,
        train: &ctx.status.name,
        kind: "promotion",
        action: "promotion.promote",
        reason: Some(&reason),
        before: None,
        after: detail,
        at: now,
    };
    record_change(conn, &system, change).await?;
    Ok(true)
}

/// Promotes request `id` of the train if everything holds at `now`, reading
/// it back first: right after a decision wrote to it.
pub(crate) async fn promote_if_ready(
    conn: &mut PgConnection,
    ctx: &TrainContext,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let stored = load_requests(conn, ctx.train_id, false)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::Internal)?;
    try_promote(conn, ctx, &stored, now).await
}

/// Every open request whose time has come (wait timers run out, soaks
/// ended): the scheduler's share of promotions. Returns the trains promoted.
pub(crate) async fn promote_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let trains: Vec<String> = sqlx::query_scalar!(
        "SELECT DISTINCT t.name FROM promotion_request r JOIN train t USING (train_id) WHERE r.state = 'open'"
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut promoted = Vec::new();
    for name in trains {
        let ctx = load_context(conn, &name, true, now).await?;
        for stored in load_requests(conn, ctx.train_id, true).await? {
            if try_promote(conn, &ctx, &stored, now).await? {
                promoted.push(format!("{name} → {}", stored.request.environment));
            }
        }
    }
    Ok(promoted)
}
