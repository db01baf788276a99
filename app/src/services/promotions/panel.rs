//! What the train page and the dashboard show of promotions.

use super::context::load_context;
use super::policy::policy_for;
use super::requests::{judge, load_requests};
use crate::domain::access::Action;
use crate::domain::promotion::{check_approver, PromotionBlocker, RequestState};
use crate::error::AppError;
use crate::models::promotion::{BreachView, PromotionPanel, WaitingForYou};
use crate::services::access::{authorize_read, may};
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use rand::Rng;
use sqlx::{PgConnection, PgPool};

/// The train page's promotion panel, as `actor` may act on it.
pub async fn promotion_panel(
    conn: &mut PgConnection,
    actor: &Actor,
    train: &str,
    now: DateTime<Utc>,
) -> Result<PromotionPanel, AppError> {
    authorize_read(actor)?;
    let ctx = load_context(conn, train, false, now).await?;
    let stored = load_requests(conn, ctx.train_id, false).await?;
    let mut views = Vec::with_capacity(stored.len());
    let mut approve_refusal = None;
    let mut freeze_holds = false;
    for (i, s) in stored.iter().enumerate().take(10) {
        let (policy, facts, evaluation) = judge(conn, &ctx, s, now).await?;
        if i == 0 && s.request.state == RequestState::Open {
            approve_refusal = match check_approver(
                &policy,
                &s.request,
                &actor.name,
                &actor.role_set(),
                ctx.captain(),
            ) {
                Err(e) => Some(e.to_string()),
                Ok(())
                    if facts.approvals.iter().any(|a| {
                        a.approver == actor.name && a.fingerprint == facts.current_fingerprint
                    }) =>
                {
                    Some("you have approved this already".to_owned())
                }
                Ok(()) => None,
            };
            freeze_holds = evaluation
                .blockers
                .iter()
                .any(|b| matches!(b, PromotionBlocker::Freeze { .. }));
        }
        views.push(super::requests::view(&ctx, s, policy, evaluation));
    }
    let open = stored
        .first()
        .is_some_and(|s| s.request.state == RequestState::Open);
    let breaches = sqlx::query!(
        "SELECT s.name AS service, b.environment, b.criterion, b.since, b.detail, b.outcome
         FROM health_breach b JOIN service s USING (service_id)
         WHERE b.train_id = $1 ORDER BY b.detected_at DESC LIMIT 20",
        ctx.train_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|b| BreachView {
        service: b.service,
        environment: b.environment,
        criterion: b.criterion,
        since: b.since,
        detail: b.detail,
        outcome: b.outcome,
    })
    .collect();
    // The latest request for that environment has its policy loaded already.
    let next_requires_evidence = match (ctx.next(), views.first()) {
        (Some(env), Some(latest)) if latest.environment == env.as_str() => {
            latest.policy.require_evidence
        }
        (Some(env), _) => policy_for(conn, &env).await?.require_evidence,
        (None, _) => false,
    };
    let mut views = views.into_iter();
    let request = views.next();
    let mut rng = rand::rng();
    Ok(PromotionPanel {
        now,
        train: ctx.status.name.clone(),
        title: ctx.title(),
        pipeline: ctx.steps.clone(),
        next: ctx.next().map(|e| e.to_string()),
        next_requires_evidence,
        earlier: views.collect(),
        request,
        breaches,
        may_request: !open
            && ctx.next().is_some()
            && ctx.promotable().is_ok()
            && may(actor, Action::RequestPromotion),
        approve_refusal: if open {
            approve_refusal
        } else {
            Some("there is no open request".to_owned())
        },
        may_cancel: open && may(actor, Action::RequestPromotion),
        may_break_glass: open && freeze_holds && ctx.is_hotfix() && may(actor, Action::BreakGlass),
        may_rollback: may(actor, Action::Rollback),
        form_key: format!("{:016x}{:016x}", rng.random::<u64>(), rng.random::<u64>()),
    })
}

/// Open requests `actor` could approve now and has not: the dashboard's
/// "waiting for you".
pub async fn waiting_for(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<WaitingForYou>, AppError> {
    authorize_read(actor)?;
    if !(may(actor, Action::ApproveStage) || may(actor, Action::ApproveProd)) {
        return Ok(Vec::new());
    }
    let mut conn = pool.acquire().await?;
    let trains: Vec<String> = sqlx::query_scalar!(
        "SELECT DISTINCT t.name FROM promotion_request r JOIN train t USING (train_id) WHERE r.state = 'open' ORDER BY t.name"
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for name in trains {
        let ctx = load_context(&mut conn, &name, false, now).await?;
        for s in load_requests(&mut conn, ctx.train_id, false).await? {
            if s.request.state != RequestState::Open {
                continue;
            }
            let (policy, facts, evaluation) = judge(&mut conn, &ctx, &s, now).await?;
            let allowed = check_approver(
                &policy,
                &s.request,
                &actor.name,
                &actor.role_set(),
                ctx.captain(),
            )
            .is_ok();
            let approved = facts
                .approvals
                .iter()
                .any(|a| a.approver == actor.name && a.fingerprint == facts.current_fingerprint);
            if allowed && !approved && evaluation.approvals_needed > 0 {
                out.push(WaitingForYou {
                    train: ctx.status.name.clone(),
                    title: ctx.title(),
                    environment: s.request.environment.to_string(),
                    requested_by: s.request.requester.clone(),
                    requested_at: s.request.requested_at,
                    approvals_needed: evaluation.approvals_needed,
                });
            }
        }
    }
    Ok(out)
}
