//! A release promoted through its pipeline as people and the scheduler
//! would: request, approvals, then the wait timer or soak.

use super::reports::{maybe_surprise, report_deploys};
use super::Cast;
use app::domain::promotion::PromotionBlocker;
use app::services::actor::Actor;
use app::services::promotions::{approve_promotion, promotion_panel, request_promotion};
use app::services::scheduler;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// One train in this many is followed by a deploy nobody scheduled.
const SURPRISE_EVERY: u32 = 9;

/// Requests promotions until the release runs in the last environment of
/// its pipeline: approvers approve what needs them, and the scheduler
/// promotes once a wait timer or a soak has run out.
pub(super) async fn promote_all(
    pool: &PgPool,
    cast: &Cast,
    captain: &Actor,
    train: &str,
    mut at: DateTime<Utc>,
) -> anyhow::Result<DateTime<Utc>> {
    let mut reached: Option<String> = None;
    for _ in 0..6 {
        let panel = {
            let mut conn = pool.acquire().await?;
            promotion_panel(&mut conn, captain, train, at).await?
        };
        let Some(next) = panel.next.clone() else {
            if let Some(last) = reached {
                maybe_surprise(pool, cast, train, &last, at, SURPRISE_EVERY).await?;
            }
            return Ok(at);
        };
        request_promotion(pool, captain, train, &format!("ready for {next}"), None, at).await?;
        at += Duration::minutes(20);
        let mut approved = 0;
        for approver in &cast.approvers {
            let mut conn = pool.acquire().await?;
            let panel = promotion_panel(&mut conn, approver, train, at).await?;
            drop(conn);
            let Some(request) = panel.request.filter(|r| r.environment == next) else {
                break;
            };
            if request.state != app::domain::promotion::RequestState::Open {
                break;
            }
            if request.evaluation.approvals_needed == 0 {
                break;
            }
            if panel.approve_refusal.is_none() {
                approve_promotion(pool, approver, train, "looks good", None, at).await?;
                approved += 1;
                at += Duration::minutes(5);
            }
        }
        // Wait out a timer or a soak, then let the scheduler act.
        let mut conn = pool.acquire().await?;
        let panel = promotion_panel(&mut conn, captain, train, at).await?;
        drop(conn);
        if let Some(request) = panel.request.filter(|r| {
            r.environment == next && r.state == app::domain::promotion::RequestState::Open
        }) {
            let until = request
                .evaluation
                .blockers
                .iter()
                .filter_map(|b| match b {
                    PromotionBlocker::WaitTimer { until }
                    | PromotionBlocker::Soak { until, .. } => Some(*until),
                    _ => None,
                })
                .max();
            let Some(until) = until else {
                anyhow::bail!(
                    "promotion to {next} is held ({approved} approvals given): {:?}",
                    request.evaluation.blockers
                );
            };
            at = until + Duration::minutes(1);
            // Only the promotion: the story plays the calendar's part (it
            // makes each train itself), so nothing is planned ahead here.
            loop {
                if scheduler::promote_due(pool, at).await?.is_some() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        }
        report_deploys(pool, cast, train, &next, at).await?;
        reached = Some(next);
        at += Duration::hours(6);
    }
    anyhow::bail!("the pipeline of {train} did not end")
}
