//! What the promotion panel, the policy page and the API show.

use crate::domain::change::BreachOutcome;
use crate::domain::promotion::{EnvironmentPolicy, Evaluation, ReleaseStatus, RequestState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One environment of a train's pipeline and whether its release runs there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnvironmentStep {
    pub environment: String,
    /// When it started running there: promoted (record only) or confirmed
    /// by CD.
    pub deployed_at: Option<DateTime<Utc>>,
    pub rolled_back_at: Option<DateTime<Utc>>,
    /// Where a promotion there stands; none before the first.
    #[serde(default)]
    pub status: Option<ReleaseStatus>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApprovalView {
    pub approver: String,
    pub approver_name: Option<String>,
    pub at: DateTime<Utc>,
    pub comment: Option<String>,
    /// `counted`, `dismissed` or `ignored`.
    pub status: String,
    /// Why it does not count, when it does not.
    pub why: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequestView {
    pub id: i64,
    pub train: String,
    pub environment: String,
    pub requested_by: String,
    pub note: String,
    pub requested_at: DateTime<Utc>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub state: RequestState,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
    pub break_glass_by: Option<String>,
    pub break_glass_reason: Option<String>,
    pub approvals: Vec<ApprovalView>,
    /// The verdict now: blockers, approvals needed, timers.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub evaluation: Evaluation,
    /// The target environment's rules.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub policy: EnvironmentPolicy,
}

/// A rollback criterion that held for the train's release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BreachView {
    pub service: String,
    pub environment: String,
    pub criterion: String,
    pub since: DateTime<Utc>,
    pub detail: String,
    pub outcome: BreachOutcome,
}

/// The train page's promotion panel (and `GET …/promotions`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PromotionPanel {
    pub now: DateTime<Utc>,
    pub train: String,
    pub title: String,
    pub pipeline: Vec<EnvironmentStep>,
    /// Where a new request would promote to.
    pub next: Option<String>,
    /// Whether `next`'s policy holds the promotion until the evidence bundle
    /// is complete (the completeness gate).
    pub next_requires_evidence: bool,
    /// The open request, or else the latest one.
    pub request: Option<RequestView>,
    pub earlier: Vec<RequestView>,
    pub breaches: Vec<BreachView>,
    pub may_request: bool,
    /// Why the viewer may not approve the request (`None`: they may).
    pub approve_refusal: Option<String>,
    /// The refusal is only that the viewer lacks the approver role (the
    /// page then offers nothing, rather than explaining).
    #[serde(default)]
    pub approve_needs_role: bool,
    pub may_cancel: bool,
    pub may_break_glass: bool,
    pub may_rollback: bool,
    /// A fresh key for the forms, so a double click or a retried post counts once.
    pub form_key: String,
}

impl PromotionPanel {
    /// The environment whose promotion waits for a complete evidence bundle,
    /// if the next one does.
    pub fn evidence_gate(&self) -> Option<&str> {
        self.next.as_deref().filter(|_| self.next_requires_evidence)
    }
}

/// A request waiting for the viewer's approval (the dashboard).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingForYou {
    pub train: String,
    pub title: String,
    pub environment: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub approvals_needed: u8,
}
