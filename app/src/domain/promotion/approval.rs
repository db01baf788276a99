//! Who may approve or reject a promotion, and what an approval records.

use super::{
    EnvironmentPolicy, Evaluation, Fingerprint, PromotionFacts, PromotionRequest, RequestError,
    RequestState,
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
    /// Whether they held the environment's approver role: only then does
    /// the approval count towards the required number.
    #[serde(default = "held_the_role")]
    pub as_approver: bool,
    /// The services of the train they owned when they approved: their
    /// approval is those services' owner review.
    #[serde(default)]
    pub owner_of: Vec<String>,
}

fn held_the_role() -> bool {
    true
}

/// Who approves or rejects: their subject, roles and identity-provider
/// groups (a service's owners may be a group).
#[derive(Clone, Copy, Debug)]
pub struct Reviewer<'a> {
    pub subject: &'a str,
    pub roles: &'a RoleSet,
    pub groups: &'a [String],
}

impl Reviewer<'_> {
    /// The services among `owners` (each with its owners: people, or
    /// `group:<name>`) that this person owns.
    pub fn owns(&self, owners: &[(String, Vec<String>)]) -> Vec<String> {
        owners
            .iter()
            .filter(|(_, owners)| {
                owners.iter().any(|o| match o.strip_prefix("group:") {
                    Some(group) => self.groups.iter().any(|g| g == group),
                    None => o == self.subject,
                })
            })
            .map(|(service, _)| service.clone())
            .collect()
    }
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
    #[error(
        "{action} a promotion to {environment} needs the {role} role or ownership of a service in the train"
    )]
    NeitherRoleNorOwner {
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

/// What `who` decides as: whether they hold the approver role, and the
/// services they own where the policy asks owners to review.
struct Standing {
    as_approver: bool,
    owner_of: Vec<String>,
}

fn check(
    action: &'static str,
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    who: &Reviewer,
) -> Result<Standing, ApprovalRefusal> {
    let request = &facts.request;
    if !request.state.is_open() {
        return Err(ApprovalRefusal::NotOpen(request.state));
    }
    let as_approver = who.roles.contains(&policy.approver_role);
    let owner_of = if policy.owner_review {
        who.owns(&facts.owners)
    } else {
        Vec::new()
    };
    if !as_approver && owner_of.is_empty() {
        let (environment, role) = (policy.environment.to_string(), policy.approver_role.clone());
        return Err(if policy.owner_review {
            ApprovalRefusal::NeitherRoleNorOwner {
                action,
                environment,
                role,
            }
        } else {
            ApprovalRefusal::WrongRole {
                action,
                environment,
                role,
            }
        });
    }
    if facts.captain.as_deref() == Some(who.subject) {
        return Err(ApprovalRefusal::Captain);
    }
    if request.requester == who.subject && !policy.requester_may_approve {
        return Err(ApprovalRefusal::Requester {
            environment: policy.environment.to_string(),
        });
    }
    Ok(Standing {
        as_approver,
        owner_of,
    })
}

/// Whether `who` may decide on the request of `facts` under `policy` (the
/// target environment's). The same rules apply to rejecting: a requester or
/// captain who changes their mind cancels instead.
pub fn check_approver(
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    who: &Reviewer,
) -> Result<(), ApprovalRefusal> {
    check("approving", policy, facts, who).map(|_| ())
}

/// Whether the request waits for `who` ("waiting for your approval"): they
/// may decide, have not approved what would be promoted now, and are
/// needed, as an approver while approvals are missing or as an owner of a
/// service whose review is missing.
pub fn waits_for(
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    evaluation: &Evaluation,
    who: &Reviewer,
) -> bool {
    if check_approver(policy, facts, who).is_err() {
        return false;
    }
    let approved = facts
        .approvals
        .iter()
        .any(|a| a.approver == who.subject && a.fingerprint == facts.current_fingerprint);
    let as_approver = who.roles.contains(&policy.approver_role) && evaluation.approvals_needed > 0;
    let as_owner = who
        .owns(&facts.owners)
        .iter()
        .any(|s| evaluation.owner_review_needed.contains(s));
    !approved && (as_approver || as_owner)
}

/// Records `who`'s approval of what would be promoted now
/// (`facts.current_fingerprint`). An earlier approval by the same person of
/// the same fingerprint is returned as [`ApprovalOutcome::AlreadyApproved`];
/// one of an older fingerprint (dismissed) does not prevent approving again.
pub fn approve(
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    who: &Reviewer,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ApprovalOutcome, ApprovalRefusal> {
    let standing = check("approving", policy, facts, who)?;
    if let Some(existing) = facts
        .approvals
        .iter()
        .find(|a| a.approver == who.subject && a.fingerprint == facts.current_fingerprint)
    {
        return Ok(ApprovalOutcome::AlreadyApproved(existing.clone()));
    }
    Ok(ApprovalOutcome::Recorded(Approval {
        approver: who.subject.to_owned(),
        at: now,
        comment: comment
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
        fingerprint: facts.current_fingerprint.clone(),
        as_approver: standing.as_approver,
        owner_of: standing.owner_of,
    }))
}

/// Turns the request down: the returned request is `rejected` and stays so;
/// promoting needs a new request.
pub fn reject(
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    who: &Reviewer,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<PromotionRequest, ApprovalRefusal> {
    check("rejecting", policy, facts, who)?;
    Ok(facts.request.reject(who.subject, comment, now)?)
}

#[cfg(test)]
#[path = "approval_tests.rs"]
mod tests;
