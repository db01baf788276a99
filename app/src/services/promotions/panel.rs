//! What the train page and the dashboard show of promotions: assembled from
//! contexts, requests and judges that were loaded in one go, so a page costs
//! the same few queries whatever the number of trains or requests.

use super::context::{load_context, TrainContext};
use super::requests::{load_requests_of, Judge, Stored, Which};
use crate::domain::access::Action;
use crate::domain::change::BreachOutcome;
use crate::domain::promotion::{
    check_approver, waits_for, ApprovalRefusal, PromotionBlocker, RequestState,
};
use crate::error::{AppError, ResultExt};
use crate::models::promotion::{BreachView, PromotionPanel, WaitingForYou};
use crate::services::access::{authorize_read, may};
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use rand::Rng;
use sqlx::PgConnection;

/// How many of a train's requests its panel shows.
const SHOWN_REQUESTS: i64 = 10;
/// How many health breaches its panel shows.
const SHOWN_BREACHES: i64 = 20;

/// The train page's promotion panel, as `actor` may act on it.
pub async fn promotion_panel(
    conn: &mut PgConnection,
    actor: &Actor,
    train: &str,
    now: DateTime<Utc>,
) -> Result<PromotionPanel, AppError> {
    authorize_read(actor)?;
    let ctx = load_context(conn, train, false, now).await?;
    panel_for(conn, actor, &ctx, now).await
}

/// The panel of a train whose context is loaded already (the train page
/// loads it once for everything it shows).
pub(crate) async fn panel_for(
    conn: &mut PgConnection,
    actor: &Actor,
    ctx: &TrainContext,
    now: DateTime<Utc>,
) -> Result<PromotionPanel, AppError> {
    let ids = [ctx.train_id];
    let stored = load_requests_of(conn, &ids, Which::Latest(SHOWN_REQUESTS))
        .await?
        .remove(&ctx.train_id)
        .unwrap_or_default();
    let judge = Judge::load(conn, &ids).await?;
    let breaches = sqlx::query!(
        "SELECT s.name AS service, b.environment, b.criterion, b.since, b.detail, b.outcome
         FROM health_breach b JOIN service s USING (service_id)
         WHERE b.train_id = $1 ORDER BY b.detected_at DESC LIMIT $2",
        ctx.train_id,
        SHOWN_BREACHES
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|b| {
        Ok(BreachView {
            service: b.service,
            environment: b.environment,
            criterion: b.criterion,
            since: b.since,
            detail: b.detail,
            outcome: BreachOutcome::parse(&b.outcome).or_internal("a stored breach outcome")?,
        })
    })
    .collect::<Result<_, AppError>>()?;
    Ok(assemble(actor, ctx, &stored, &judge, breaches, now))
}

fn assemble(
    actor: &Actor,
    ctx: &TrainContext,
    stored: &[Stored],
    judge: &Judge,
    breaches: Vec<BreachView>,
    now: DateTime<Utc>,
) -> PromotionPanel {
    let mut views = Vec::with_capacity(stored.len());
    let mut approve_refusal = None;
    let mut approve_needs_role = false;
    let mut freeze_holds = false;
    for (i, s) in stored.iter().enumerate() {
        let (policy, facts, evaluation) = judge.judge(ctx, s, now);
        if i == 0 && s.request.state == RequestState::Open {
            let roles = actor.role_set();
            approve_refusal = match check_approver(&policy, &facts, &actor.reviewer(&roles)) {
                Err(e) => {
                    approve_needs_role = matches!(
                        e,
                        ApprovalRefusal::WrongRole { .. }
                            | ApprovalRefusal::NeitherRoleNorOwner { .. }
                    );
                    Some(e.to_string())
                }
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
        views.push(super::requests::view(ctx, s, policy, evaluation));
    }
    let open = stored
        .first()
        .is_some_and(|s| s.request.state == RequestState::Open);
    let next_requires_evidence = ctx
        .next()
        .is_some_and(|env| judge.policies.of(&env).require_evidence);
    let mut views = views.into_iter();
    let request = views.next();
    let mut rng = rand::rng();
    PromotionPanel {
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
        approve_needs_role: open && approve_needs_role,
        may_cancel: open && may(actor, Action::RequestPromotion),
        may_break_glass: open
            && freeze_holds
            && ctx.direct_lane()
            && may(actor, Action::BreakGlass),
        may_rollback: may(actor, Action::Rollback),
        form_key: format!("{:016x}{:016x}", rng.random::<u64>(), rng.random::<u64>()),
    }
}

/// The trains with an open promotion request.
pub(crate) async fn trains_with_open_requests(
    conn: &mut PgConnection,
) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT DISTINCT train_id FROM promotion_request WHERE state = 'open' ORDER BY train_id"
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// The open requests of the trains in `contexts` and their verdicts at `now`,
/// loaded for all of them at once.
pub(crate) struct OpenRequests {
    judge: Judge,
    by_train: std::collections::HashMap<i64, Vec<Stored>>,
}

impl OpenRequests {
    pub async fn load(conn: &mut PgConnection, ids: &[i64]) -> Result<Self, AppError> {
        Ok(Self {
            judge: Judge::load(conn, ids).await?,
            by_train: load_requests_of(conn, ids, Which::Open).await?,
        })
    }

    /// The blockers of the train's open request and its environment, as the
    /// train page's "Why is this blocked?" lists them.
    pub fn blockers(
        &self,
        ctx: &TrainContext,
        now: DateTime<Utc>,
    ) -> Option<(String, Vec<PromotionBlocker>)> {
        let stored = self.by_train.get(&ctx.train_id)?.first()?;
        let (_, _, evaluation) = self.judge.judge(ctx, stored, now);
        Some((stored.request.environment.to_string(), evaluation.blockers))
    }

    /// Whether promotion into the train's next environment waits for a
    /// complete evidence bundle.
    pub fn next_requires_evidence(&self, ctx: &TrainContext) -> bool {
        ctx.next()
            .is_some_and(|env| self.judge.policies.of(&env).require_evidence)
    }

    /// Open requests `actor` could approve now and has not: "waiting for you",
    /// as an approver or as an owner of a service the policy asks to review.
    pub fn waiting_for(
        &self,
        actor: &Actor,
        contexts: &[TrainContext],
        now: DateTime<Utc>,
    ) -> Vec<WaitingForYou> {
        if !may(actor, Action::Approve) && !may(actor, Action::ReviewAsOwner) {
            return Vec::new();
        }
        let roles = actor.role_set();
        let mut out = Vec::new();
        for ctx in contexts {
            for s in self.by_train.get(&ctx.train_id).into_iter().flatten() {
                let (policy, facts, evaluation) = self.judge.judge(ctx, s, now);
                if waits_for(&policy, &facts, &evaluation, &actor.reviewer(&roles)) {
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
        out.sort_by(|a, b| a.train.cmp(&b.train));
        out
    }
}

/// Open requests `actor` could approve now and has not, across every train.
pub async fn waiting_for(
    pool: &sqlx::PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<WaitingForYou>, AppError> {
    authorize_read(actor)?;
    if !may(actor, Action::Approve) && !may(actor, Action::ReviewAsOwner) {
        return Ok(Vec::new());
    }
    let mut conn = pool.acquire().await?;
    let ids = trains_with_open_requests(&mut conn).await?;
    let contexts = super::context::load_contexts(&mut conn, &ids, now).await?;
    let open = OpenRequests::load(&mut conn, &ids).await?;
    Ok(open.waiting_for(actor, &contexts, now))
}
