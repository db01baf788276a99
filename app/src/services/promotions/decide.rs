//! What people do to promotions: a captain requests one, approvers approve
//! or reject it, the requester or captain cancels it, an admin breaks the
//! glass for a hotfix during a freeze. Each is one transaction with its
//! timeline event and audit record, retried safely with an idempotency key.

use super::coalesce;
use super::context::{load_context, TrainContext};
use super::promote::promote_if_ready;
use super::requests::{fingerprint_json, load_requests, Judge, Stored};
use crate::domain::access::Action;
use crate::domain::change::{AuditAction, Change, TrainRef};
use crate::domain::idempotency_key::IdempotencyKey;
use crate::domain::promotion::{
    approve, reject, ApprovalOutcome, BreakGlass, PromotionRequest, RequestState,
};
use crate::error::bad_field as field;
use crate::error::AppError;
use crate::services::access::{authorize_any, authorize_train, train_resource};
use crate::services::actor::Actor;
use crate::services::changes;
use crate::services::idempotency;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};

/// What a decision did; also the answer a retried call gets back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Requested { request: i64, promoted: bool },
    Approved { promoted: bool },
    AlreadyApproved,
    Rejected,
    Cancelled,
    GlassBroken { promoted: bool },
}

/// The train a decision concerns, as its change names it.
fn train_of(ctx: &TrainContext) -> TrainRef {
    TrainRef::new(ctx.train_id, ctx.status.name.clone())
}

/// Runs `act` on `train` in one transaction, answering a retried call with
/// the same `key` from the first one.
async fn transaction<F>(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    key: Option<&IdempotencyKey>,
    action: &str,
    now: DateTime<Utc>,
    act: F,
) -> Result<Outcome, AppError>
where
    F: for<'c> FnOnce(
        &'c mut PgConnection,
        TrainContext,
        Vec<Stored>,
        Judge,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Outcome, AppError>> + Send + 'c>,
    >,
{
    let mut tx = crate::services::audit::begin_write(pool).await?;
    if let Some(key) = key {
        if let Some(answer) =
            idempotency::claim::<Outcome>(&mut tx, &actor.name, key.as_str(), action, now).await?
        {
            return Ok(answer);
        }
    }
    let ctx = load_context(&mut tx, train, true, now).await?;
    let requests = load_requests(&mut tx, ctx.train_id, true).await?;
    let judge = Judge::load(&mut tx, &[ctx.train_id]).await?;
    let outcome = act(&mut tx, ctx, requests, judge).await?;
    if let Some(key) = key {
        idempotency::answer(&mut tx, &actor.name, key.as_str(), &outcome).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

fn open_request(requests: Vec<Stored>, id: Option<i64>) -> Result<Stored, AppError> {
    requests
        .into_iter()
        .find(|s| {
            id.is_none_or(|id| s.id == id)
                && (id.is_some() || s.request.state == RequestState::Open)
        })
        .ok_or_else(|| AppError::NotFound("an open promotion request of this train".into()))
}

/// A captain asks to promote the train to the next environment of its pipeline.
#[tracing::instrument(skip(pool))]
pub async fn request_promotion(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    note: &str,
    key: Option<&IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    authorize_train(pool, actor, Action::RequestPromotion, train).await?;
    let actor = actor.clone();
    let note = note.to_owned();
    let action = AuditAction::PromotionRequest.as_str();
    transaction(pool, &actor.clone(), train, key, action, now, move |tx, ctx, requests, judge| {
        Box::pin(async move {
            ctx.promotable().map_err(AppError::Conflict)?;
            if let Some(env) = ctx.deploying() {
                return Err(AppError::Conflict(format!(
                    "{} is deploying to {env}: CD has not yet reported every participant's deploy there",
                    ctx.title()
                )));
            }
            let target = ctx.next().ok_or_else(|| {
                AppError::Conflict(format!("{} already runs in the last environment of its pipeline", ctx.title()))
            })?;
            if let Some(open) = requests.iter().find(|s| s.request.state == RequestState::Open) {
                return Err(AppError::Conflict(format!(
                    "{} already has an open request to promote to {}; decide or cancel it first",
                    ctx.title(),
                    open.request.environment
                )));
            }
            let request = PromotionRequest::open(target.clone(), &actor.name, &note, ctx.fingerprint.clone(), now)
                .map_err(|e| field("note", e))?;
            let id = sqlx::query_scalar!(
                "INSERT INTO promotion_request (train_id, environment, requested_by, note, requested_at, fingerprint)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING promotion_request_id",
                ctx.train_id,
                target.as_str(),
                actor.name,
                request.note,
                now,
                fingerprint_json(&request.fingerprint)
            )
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::PromotionRequested {
                train: train_of(&ctx),
                environment: target.as_str().to_owned(),
                request: id,
                versions: fingerprint_json(&request.fingerprint),
                note: request.note.clone(),
            };
            changes::record(tx, &actor, change, now).await?;
            let promoted = promote_if_ready(tx, &ctx, &judge, id, now).await?;
            if !promoted {
                super::waiting::announce_waiting(tx, &ctx, &judge, id, &actor, now).await?;
            }
            Ok(Outcome::Requested { request: id, promoted })
        })
    })
    .await
}

/// An approver approves the open request (once per person; again is a no-op).
#[tracing::instrument(skip(pool))]
pub async fn approve_promotion(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    comment: &str,
    key: Option<&IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let resource = train_resource(pool, actor, train).await?;
    authorize_any(actor, &[Action::Approve, Action::ReviewAsOwner], &resource)?;
    let actor = actor.clone();
    let comment = comment.to_owned();
    let action = AuditAction::PromotionApprove.as_str();
    let flight = coalesce::key(&[
        "approve",
        &actor.name,
        train,
        &comment,
        key.map_or("", |k| k.as_str()),
    ]);
    let (pool, train, key) = (pool.clone(), train.to_owned(), key.cloned());
    coalesce::coalesced(flight, async move {
    transaction(&pool, &actor.clone(), &train, key.as_ref(), action, now, move |tx, ctx, requests, judge| {
        Box::pin(async move {
            let stored = open_request(requests, None)?;
            let (policy, facts, _) = judge.judge(&ctx, &stored, now);
            let roles = actor.role_set();
            let approval = match approve(&policy, &facts, &actor.reviewer(&roles), Some(&comment), now)
                .map_err(|e| AppError::Forbidden(e.to_string()))?
            {
                ApprovalOutcome::AlreadyApproved(_) => return Ok(Outcome::AlreadyApproved),
                ApprovalOutcome::Recorded(approval) => approval,
            };
            let inserted = sqlx::query_scalar!(
                "INSERT INTO approval (promotion_request_id, approver, approver_name, comment, approved_at,
                                       fingerprint, fingerprint_digest, as_approver, owner_of)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (promotion_request_id, approver, fingerprint_digest) DO NOTHING RETURNING approval_id",
                stored.id,
                approval.approver,
                actor.display_name,
                approval.comment,
                now,
                fingerprint_json(&approval.fingerprint),
                approval.fingerprint.digest(),
                approval.as_approver,
                &approval.owner_of
            )
            .fetch_optional(&mut *tx)
            .await?;
            if inserted.is_none() {
                return Ok(Outcome::AlreadyApproved);
            }
            let change = Change::PromotionApproved {
                train: train_of(&ctx),
                environment: stored.request.environment.as_str().to_owned(),
                request: stored.id,
                comment: approval.comment.clone(),
            };
            changes::record(tx, &actor, change, now).await?;
            let promoted = promote_if_ready(tx, &ctx, &judge, stored.id, now).await?;
            Ok(Outcome::Approved { promoted })
        })
    })
    .await
    })
    .await
}

/// An approver turns the open request down; promoting then needs a new one.
#[tracing::instrument(skip(pool))]
pub async fn reject_promotion(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    comment: &str,
    key: Option<&IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let resource = train_resource(pool, actor, train).await?;
    authorize_any(actor, &[Action::Approve, Action::ReviewAsOwner], &resource)?;
    let actor = actor.clone();
    let comment = comment.to_owned();
    let action = AuditAction::PromotionReject.as_str();
    transaction(
        pool,
        &actor.clone(),
        train,
        key,
        action,
        now,
        move |tx, ctx, requests, judge| {
            Box::pin(async move {
                let stored = open_request(requests, None)?;
                let (policy, facts, _) = judge.judge(&ctx, &stored, now);
                let roles = actor.role_set();
                let rejected = reject(&policy, &facts, &actor.reviewer(&roles), &comment, now)
                    .map_err(|e| match e {
                        crate::domain::promotion::ApprovalRefusal::Request(r) => {
                            field("comment", r)
                        }
                        other => AppError::Forbidden(other.to_string()),
                    })?;
                let comment = rejected
                    .rejection
                    .as_ref()
                    .map(|r| r.comment.clone())
                    .unwrap_or_default();
                sqlx::query!(
                "UPDATE promotion_request SET state = 'rejected', decided_by = $2, decided_at = $3,
                                              decision_comment = $4
                 WHERE promotion_request_id = $1",
                stored.id,
                actor.name,
                now,
                comment
            )
                .execute(&mut *tx)
                .await?;
                let change = Change::PromotionRejected {
                    train: train_of(&ctx),
                    environment: stored.request.environment.as_str().to_owned(),
                    request: stored.id,
                    comment: comment.clone(),
                };
                changes::record(tx, &actor, change, now).await?;
                Ok(Outcome::Rejected)
            })
        },
    )
    .await
}

/// The requester or the captain withdraws the open request.
#[tracing::instrument(skip(pool))]
pub async fn cancel_promotion(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    key: Option<&IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    authorize_train(pool, actor, Action::RequestPromotion, train).await?;
    let actor = actor.clone();
    transaction(
        pool,
        &actor.clone(),
        train,
        key,
        AuditAction::PromotionCancel.as_str(),
        now,
        move |tx, ctx, requests, _judge| {
            Box::pin(async move {
                let stored = open_request(requests, None)?;
                stored
                    .request
                    .cancel()
                    .map_err(|e| AppError::Conflict(e.to_string()))?;
                sqlx::query!(
                "UPDATE promotion_request SET state = 'cancelled', decided_by = $2, decided_at = $3
                 WHERE promotion_request_id = $1",
                stored.id,
                actor.name,
                now
            )
                .execute(&mut *tx)
                .await?;
                let change = Change::PromotionCancelled {
                    train: train_of(&ctx),
                    environment: stored.request.environment.as_str().to_owned(),
                    request: stored.id,
                };
                changes::record(tx, &actor, change, now).await?;
                Ok(Outcome::Cancelled)
            })
        },
    )
    .await
}

/// An admin lets a hotfix train through a freeze, with the reason kept
/// prominently in the audit trail (`promotion.break_glass`).
#[tracing::instrument(skip(pool))]
pub async fn break_glass(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    reason: &str,
    key: Option<&IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    authorize_train(pool, actor, Action::BreakGlass, train).await?;
    let glass = BreakGlass::new(&actor.name, reason).map_err(|e| field("reason", e))?;
    let actor = actor.clone();
    let action = AuditAction::PromotionBreakGlass.as_str();
    transaction(pool, &actor.clone(), train, key, action, now, move |tx, ctx, requests, judge| {
        Box::pin(async move {
            if !ctx.direct_lane() {
                return Err(AppError::Conflict(format!(
                    "{} is not on a direct lane; during a freeze only a train of a direct lane \
                     (a hotfix track) can be promoted",
                    ctx.title()
                )));
            }
            let stored = open_request(requests, None)?;
            sqlx::query!(
                "UPDATE promotion_request SET break_glass_by = $2, break_glass_reason = $3, break_glass_at = $4
                 WHERE promotion_request_id = $1",
                stored.id,
                glass.by,
                glass.reason,
                now
            )
            .execute(&mut *tx)
            .await?;
            let change = Change::GlassBroken {
                train: train_of(&ctx),
                environment: stored.request.environment.as_str().to_owned(),
                request: stored.id,
                reason: glass.reason.clone(),
            };
            changes::record(tx, &actor, change, now).await?;
            let promoted = promote_if_ready(tx, &ctx, &judge, stored.id, now).await?;
            Ok(Outcome::GlassBroken { promoted })
        })
    })
    .await
}
