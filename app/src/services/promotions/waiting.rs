//! A request that did not promote at once waits for people: that is said
//! to receivers (`promotion.waiting`), naming the approvers' role and the
//! owners still to review, so a team's chat channel hears it needs them.

use super::context::TrainContext;
use super::requests::{load_requests, Judge};
use crate::domain::change::{Change, TrainRef};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Records that request `id` waits, when what it waits for is people
/// (approvals or owners' reviews) rather than only a timer or a gate.
pub(crate) async fn announce_waiting(
    conn: &mut PgConnection,
    ctx: &TrainContext,
    judge: &Judge,
    id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let requests = load_requests(conn, ctx.train_id, false).await?;
    let Some(stored) = requests.into_iter().find(|s| s.id == id) else {
        return Ok(());
    };
    let (policy, _, evaluation) = judge.judge(ctx, &stored, now);
    if evaluation.approvals_needed == 0 && evaluation.owner_review_needed.is_empty() {
        return Ok(());
    }
    let change = Change::PromotionWaiting {
        train: TrainRef::new(ctx.train_id, ctx.status.name.clone()),
        environment: stored.request.environment.to_string(),
        request: id,
        approver_role: policy.approver_role.to_string(),
        approvals_needed: evaluation.approvals_needed,
        owners: evaluation.owner_review_needed,
    };
    changes::record(conn, actor, change, now).await
}
