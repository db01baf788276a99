//! What the train page and the dashboard say about a train — its phase and
//! everything that blocks it — computed by one function from loaded facts,
//! so the dashboard's blocker count is always the length of the train page's
//! list.

use crate::domain::blocked::{blocked_items, promotion_items, BlockedItem, Freeze};
use crate::domain::calendar::{warning, PlannedTrain};
use crate::domain::release_phases::{release_phases, PhaseStatus, PhaseView};
use crate::domain::{TrackName, TrainState};
use crate::error::AppError;
use crate::models::calendar::FreezeView;
use crate::services::promotions::{OpenRequests, TrainContext};
use chrono::{DateTime, Utc};

pub(crate) struct Verdict {
    pub phases: Vec<PhaseView>,
    pub blocked: Vec<BlockedItem>,
}

impl Verdict {
    /// Seed 000's phase the train is in now.
    pub fn current_phase(&self) -> String {
        self.phases
            .iter()
            .find(|p| matches!(p.status, PhaseStatus::Current | PhaseStatus::Stopped))
            .map_or_else(|| "Planning".to_owned(), |p| p.name.clone())
    }
}

/// Judges one train at `now`: `freezes` are every freeze window that has not
/// ended, `open` the open promotion requests loaded for it.
pub(crate) fn verdict(
    ctx: &TrainContext,
    freezes: &[FreezeView],
    open: &OpenRequests,
    now: DateTime<Utc>,
) -> Result<Verdict, AppError> {
    let facts = &ctx.facts.train;
    let state = facts.lifecycle.state;
    let phases = release_phases(facts.lifecycle, &ctx.facts.transitions, facts.freeze_at);
    let holding = holding_freezes(ctx, freezes, now);
    let on_call_warning = on_call_warning(ctx, now)?;
    let completeness = ctx.facts.evidence_completeness();
    let next = ctx.next().map(|e| e.to_string());
    let evidence_gate = next.as_deref().filter(|_| open.next_requires_evidence(ctx));
    let mut blocked = blocked_items(
        state,
        &ctx.status.blockers,
        &holding,
        on_call_warning.as_deref(),
        &completeness.missing,
        evidence_gate,
    );
    if let Some((environment, blockers)) = open.blockers(ctx, now) {
        blocked.extend(promotion_items(&environment, &blockers));
    }
    Ok(Verdict { phases, blocked })
}

/// The freeze windows that hold the train: active now, or, while it is
/// planned, covering its cut.
fn holding_freezes(ctx: &TrainContext, freezes: &[FreezeView], now: DateTime<Utc>) -> Vec<Freeze> {
    let facts = &ctx.facts.train;
    let planning = facts.lifecycle.state == TrainState::Planning;
    freezes
        .iter()
        .filter(|f| match facts.track.as_deref() {
            Some(track) => f.affects(track),
            // A train on no track is held only by a freeze of every track.
            None => f.tracks.is_empty(),
        })
        .filter(|f| {
            f.is_active(now)
                || (planning
                    && facts
                        .planned_start
                        .is_some_and(|at| f.starts_at <= at && at < f.ends_at))
        })
        .map(|f| Freeze {
            moves: f.effect == "move",
            reason: f.reason.clone(),
            ends_at: f.ends_at,
        })
        .collect()
}

/// The skip rule's warning, while a planned train has nobody on call.
fn on_call_warning(ctx: &TrainContext, now: DateTime<Utc>) -> Result<Option<String>, AppError> {
    let facts = &ctx.facts.train;
    match (&facts.track, facts.planned_start, facts.calendar_status) {
        (Some(track), Some(at), Some(status)) if facts.lifecycle.state == TrainState::Planning => {
            let track = TrackName::parse(track).map_err(|e| {
                tracing::error!(error = %e, "stored track name does not parse");
                AppError::Internal
            })?;
            let mut planned = PlannedTrain::open(track, at);
            planned.status = status;
            planned.on_call = facts.on_call.clone();
            planned.runs_unwatched = facts.runs_unwatched;
            Ok(warning(&planned, now))
        }
        _ => Ok(None),
    }
}
