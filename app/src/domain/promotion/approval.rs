//! Who may approve or reject a promotion, and what an approval records.

use super::{
    EnvironmentPolicy, Fingerprint, PromotionFacts, PromotionRequest, RequestError, RequestState,
};
use crate::domain::access::{Role, RoleSet};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One person's approval of what a request would promote at the time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// The approver's subject.
    pub approver: String,
    pub at: DateTime<Utc>,
    pub comment: Option<String>,
    /// What would have been promoted when they approved.
    pub fingerprint: Fingerprint,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalRefusal {
    #[error("this promotion request is {0}; only an open request can be approved or rejected")]
    NotOpen(RequestState),
    #[error("{action} a promotion to {environment} needs the {role} role")]
    WrongRole {
        action: &'static str,
        environment: String,
        role: Role,
    },
    #[error("you are this train's captain, and a captain cannot approve or reject its promotions")]
    Captain,
    #[error(
        "you requested this promotion, and {environment} does not let requesters approve or reject their own promotions"
    )]
    Requester { environment: String },
    #[error(transparent)]
    Request(#[from] RequestError),
}

/// What recording an approval did. Approving twice is not an error: the
/// second time changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApprovalOutcome {
    /// A new approval, to be stored.
    Recorded(Approval),
    /// This person already approved what would be promoted now.
    AlreadyApproved(Approval),
}

fn check(
    action: &'static str,
    policy: &EnvironmentPolicy,
    request: &PromotionRequest,
    approver: &str,
    roles: &RoleSet,
    captain: Option<&str>,
) -> Result<(), ApprovalRefusal> {
    if !request.state.is_open() {
        return Err(ApprovalRefusal::NotOpen(request.state));
    }
    if !roles.contains(&policy.approver_role) {
        return Err(ApprovalRefusal::WrongRole {
            action,
            environment: policy.environment.to_string(),
            role: policy.approver_role.clone(),
        });
    }
    if captain == Some(approver) {
        return Err(ApprovalRefusal::Captain);
    }
    if request.requester == approver && !policy.requester_may_approve {
        return Err(ApprovalRefusal::Requester {
            environment: policy.environment.to_string(),
        });
    }
    Ok(())
}

/// Whether `approver`, holding `roles`, may decide on `request` under
/// `policy` (the target environment's). The same rules apply to rejecting:
/// a requester or captain who changes their mind cancels instead.
pub fn check_approver(
    policy: &EnvironmentPolicy,
    request: &PromotionRequest,
    approver: &str,
    roles: &RoleSet,
    captain: Option<&str>,
) -> Result<(), ApprovalRefusal> {
    check("approving", policy, request, approver, roles, captain)
}

/// Records `approver`'s approval of what would be promoted now
/// (`facts.current_fingerprint`). An earlier approval by the same person of
/// the same fingerprint is returned as [`ApprovalOutcome::AlreadyApproved`];
/// one of an older fingerprint (dismissed) does not prevent approving again.
pub fn approve(
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    approver: &str,
    roles: &RoleSet,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ApprovalOutcome, ApprovalRefusal> {
    check_approver(
        policy,
        &facts.request,
        approver,
        roles,
        facts.captain.as_deref(),
    )?;
    if let Some(existing) = facts
        .approvals
        .iter()
        .find(|a| a.approver == approver && a.fingerprint == facts.current_fingerprint)
    {
        return Ok(ApprovalOutcome::AlreadyApproved(existing.clone()));
    }
    Ok(ApprovalOutcome::Recorded(Approval {
        approver: approver.to_owned(),
        at: now,
        comment: comment
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
        fingerprint: facts.current_fingerprint.clone(),
    }))
}

/// Turns the request down: the returned request is `rejected` and stays so;
/// promoting needs a new request.
pub fn reject(
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    approver: &str,
    roles: &RoleSet,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<PromotionRequest, ApprovalRefusal> {
    check(
        "rejecting",
        policy,
        &facts.request,
        approver,
        roles,
        facts.captain.as_deref(),
    )?;
    Ok(facts.request.reject(approver, comment, now)?)
}

#[cfg(test)]
#[path = "approval_tests.rs"]
mod tests;
