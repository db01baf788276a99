//! The promotion itself: when a fresh verdict says ready, the release runs
//! in the target environment. Exactly once: the request's row is locked and
//! its state moves from open to promoted in the same transaction.

use super::context::{load_contexts, TrainContext};
use super::panel::trains_with_open_requests;
use super::requests::{fingerprint_json, load_requests, load_requests_of, Judge, Stored, Which};
use crate::domain::change::{Change, TrainRef};
use crate::domain::promotion::{EnvironmentPolicy, Evaluation, ReleaseStatus, RequestState};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Promotes `stored` if everything holds at `now`; returns whether it did.
/// The caller holds the train's and the request's row locks.
pub(crate) async fn try_promote(
    conn: &mut PgConnection,
    ctx: &TrainContext,
    stored: &Stored,
    judge: &Judge,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some((policy, evaluation)) = ready_verdict(ctx, stored, judge, now) else {
        return Ok(false);
    };
    // Confirmed by CD: deploying until each participant's deploy succeeds
    // (see `confirm`); recording only: running there from now.
    let status = if policy.confirmed_by_cd {
        ReleaseStatus::Deploying
    } else {
        ReleaseStatus::Deployed
    };
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
        "INSERT INTO train_environment (train_id, environment, deployed_at, fingerprint,
                                        promotion_request_id, status, promoted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $3)
         ON CONFLICT (train_id, environment) DO UPDATE
         SET deployed_at = EXCLUDED.deployed_at, fingerprint = EXCLUDED.fingerprint,
             promotion_request_id = EXCLUDED.promotion_request_id, rolled_back_at = NULL,
             status = EXCLUDED.status, promoted_at = EXCLUDED.promoted_at",
        ctx.train_id,
        env,
        now,
        fingerprint,
        stored.id,
        status.as_str()
    )
    .execute(&mut *conn)
    .await?;
    if status == ReleaseStatus::Deployed {
        record_running(conn, ctx, env, now).await?;
    }
    let glass = evaluation
        .freeze_lifted_by
        .as_ref()
        .map(|g| format!("break-glass by {}: {}", g.by, g.reason));
    let reason = glass.clone().unwrap_or_else(|| stored.request.note.clone());
    let system = Actor::new("scheduler");
    let change = Change::Promoted {
        train: TrainRef::new(ctx.train_id, ctx.status.name.clone()),
        environment: env.to_string(),
        request: stored.id,
        versions: fingerprint,
        break_glass: glass,
        reason,
    };
    changes::record(conn, &system, change, now).await?;
    Ok(true)
}

/// Records the promoted versions as what runs in `env`: at once when the
/// environment only records promotions.
async fn record_running(
    conn: &mut PgConnection,
    ctx: &TrainContext,
    env: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (services, versions): (Vec<String>, Vec<String>) = ctx
        .fingerprint
        .pairs()
        .map(|(s, v)| (s.to_owned(), v.to_owned()))
        .unzip();
    sqlx::query!(
        "INSERT INTO environment_release (environment, service_id, version, train_id, deployed_at)
         SELECT $1, s.service_id, v.version, $4, $5
         FROM unnest($2::text[], $3::text[]) AS v (service, version) JOIN service s ON s.name = v.service
         -- The order rollbacks lock these rows in (no deadlock between them).
         ORDER BY s.service_id
         ON CONFLICT (environment, service_id) DO UPDATE
         SET version = EXCLUDED.version, train_id = EXCLUDED.train_id, deployed_at = EXCLUDED.deployed_at",
        env,
        &services,
        &versions,
        ctx.train_id,
        now
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The verdict of `stored` at `now` when it says promote: the request is
/// open, the train can move, and every rule of the target holds.
fn ready_verdict(
    ctx: &TrainContext,
    stored: &Stored,
    judge: &Judge,
    now: DateTime<Utc>,
) -> Option<(EnvironmentPolicy, Evaluation)> {
    if stored.request.state != RequestState::Open || ctx.promotable().is_err() {
        return None;
    }
    let (policy, _, evaluation) = judge.judge(ctx, stored, now);
    evaluation.ready.then_some((policy, evaluation))
}

/// Promotes request `id` of the train if everything holds at `now`, reading
/// it back first: right after a decision wrote to it.
pub(crate) async fn promote_if_ready(
    conn: &mut PgConnection,
    ctx: &TrainContext,
    judge: &Judge,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let stored = load_requests(conn, ctx.train_id, false)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| {
            tracing::error!(
                request = id,
                "a promotion request just written cannot be read back"
            );
            AppError::Internal
        })?;
    try_promote(conn, ctx, &stored, judge, now).await
}

/// The trains with an open request whose time has come at `now` (wait
/// timers run out, soaks ended), read without taking any lock: the
/// scheduler looks every tick, and only takes the audit chain's lock, which
/// every writer waits for, when this finds something to do. A fixed number
/// of queries however many requests are open.
pub(crate) async fn trains_due(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, AppError> {
    let ids = trains_with_open_requests(conn).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let contexts = load_contexts(conn, &ids, now).await?;
    let requests = load_requests_of(conn, &ids, Which::Open).await?;
    let judge = Judge::load(conn, &ids).await?;
    Ok(contexts
        .iter()
        .filter(|ctx| {
            requests.get(&ctx.train_id).is_some_and(|stored| {
                stored
                    .iter()
                    .any(|s| ready_verdict(ctx, s, &judge, now).is_some())
            })
        })
        .map(|ctx| ctx.train_id)
        .collect())
}

/// Promotes every open request of the trains in `ids` whose time has come,
/// judged again under the trains' and requests' row locks: the scheduler's
/// share of promotions. Returns the trains promoted. The caller holds the
/// audit chain's lock. A train whose row another transaction holds (a
/// decision being taken) waits for the next tick.
pub(crate) async fn promote_due(
    conn: &mut PgConnection,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let ids: Vec<i64> = sqlx::query_scalar!(
        "SELECT t.train_id FROM train t
         WHERE t.train_id = ANY($1)
           AND EXISTS (SELECT 1 FROM promotion_request r WHERE r.train_id = t.train_id AND r.state = 'open')
         ORDER BY t.train_id FOR NO KEY UPDATE OF t SKIP LOCKED",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query!(
        "SELECT promotion_request_id FROM promotion_request WHERE train_id = ANY($1) AND state = 'open'
         ORDER BY promotion_request_id FOR UPDATE",
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let contexts = load_contexts(conn, &ids, now).await?;
    let mut requests = load_requests_of(conn, &ids, Which::Open).await?;
    let judge = Judge::load(conn, &ids).await?;
    let mut promoted = Vec::new();
    for ctx in &contexts {
        for stored in requests.remove(&ctx.train_id).unwrap_or_default() {
            if try_promote(conn, ctx, &stored, &judge, now).await? {
                promoted.push(format!(
                    "{} → {}",
                    ctx.status.name, stored.request.environment
                ));
            }
        }
    }
    Ok(promoted)
}
