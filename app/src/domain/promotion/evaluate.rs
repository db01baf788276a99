//! The one verdict on a promotion request: what counts, what is missing and
//! whether it may happen now. The service layer calls [`evaluate`] both to
//! show the blockers panel and, again at the moment of promotion, to decide.

use super::freeze::{ActiveFreeze, BreakGlass};
use super::soak::{soak_clock, SoakFacts};
use super::{diff, Approval, EnvironmentPolicy, Fingerprint, PromotionRequest, RequestState};
use crate::domain::TrackName;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Everything the verdict depends on, gathered by the service layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromotionFacts {
    pub request: PromotionRequest,
    /// Every approval recorded on this request, in any order.
    pub approvals: Vec<Approval>,
    /// What would be promoted now.
    pub current_fingerprint: Fingerprint,
    /// The train's captain (subject), whose approval never counts.
    pub captain: Option<String>,
    /// The train's track, which decides the freezes that apply; a train on
    /// no track is held only by freezes of every track.
    pub track: Option<TrackName>,
    /// Readable lines for the blocking gates that fail now
    /// (`scenario: coverage 72 is below 75`).
    pub failing_gates: Vec<String>,
    /// What the train's evidence bundle lacks (`no SBOM for participant curve`).
    pub missing_evidence: Vec<String>,
    /// The release's history in the environment it comes from; `None` when
    /// it was never deployed there.
    pub soak: Option<SoakFacts>,
    /// Freeze windows that may hold now; [`evaluate`] keeps those that
    /// cover `now` and the train's track.
    pub active_freezes: Vec<ActiveFreeze>,
    /// Whether the train's track deploys directly (a hotfix lane): only
    /// such a train may break the glass during a freeze.
    pub direct_lane: bool,
    pub break_glass: Option<BreakGlass>,
    /// The train's services with their owners (people, or `group:<name>`),
    /// for a policy that asks owners to review.
    pub owners: Vec<(String, Vec<String>)>,
}

/// An approval that does not count, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAside {
    pub approval: Approval,
    pub reason: String,
}

/// One reason a promotion cannot happen now, worded for the blockers panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PromotionBlocker {
    NotOpen {
        state: RequestState,
    },
    Rejected {
        by: String,
        comment: String,
    },
    Freeze {
        reason: String,
        until: DateTime<Utc>,
    },
    FailingGates {
        lines: Vec<String>,
    },
    MissingEvidence {
        lines: Vec<String>,
    },
    /// The release never ran in the environment its soak is counted in.
    SoakNotStarted,
    Soak {
        until: DateTime<Utc>,
        /// The disturbance that restarted the clock, as people read it.
        restarted_by: Option<String>,
    },
    MissingApprovals {
        needed: u8,
        have: u8,
    },
    /// Services whose owners have not approved yet (seed 004).
    MissingOwnerReview {
        services: Vec<String>,
    },
    WaitTimer {
        until: DateTime<Utc>,
    },
}

fn when(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

impl fmt::Display for PromotionBlocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotOpen { state } => match state {
                RequestState::Promoted => f.write_str("this request has already been promoted"),
                RequestState::Superseded => f.write_str("a newer request replaced this one"),
                other => write!(f, "this request is {other}; promoting needs a new request"),
            },
            Self::Rejected { by, comment } => {
                write!(f, "rejected by {by}: {comment}; promoting needs a new request")
            }
            Self::Freeze { reason, until } => write!(
                f,
                "frozen until {}: {reason}; only a train of a direct lane (a hotfix track) can be promoted, with break-glass",
                when(until)
            ),
            Self::FailingGates { lines } => {
                write!(f, "blocking gates fail: {}", lines.join("; "))
            }
            Self::MissingEvidence { lines } => {
                write!(f, "the evidence bundle is incomplete: {}", lines.join("; "))
            }
            Self::SoakNotStarted => f.write_str(
                "the release has not run in the environment it comes from, so its soak has not started",
            ),
            Self::Soak {
                until,
                restarted_by,
            } => {
                write!(f, "soaking until {}", when(until))?;
                if let Some(by) = restarted_by {
                    write!(f, " (clock restarted by {by})")?;
                }
                Ok(())
            }
            Self::MissingApprovals { needed, have } => {
                let noun = if *needed == 1 { "approval" } else { "approvals" };
                write!(f, "needs {needed} {noun}, has {have}")
            }
            Self::MissingOwnerReview { services } => {
                write!(f, "waiting for an owner of {} to approve", services.join(", "))
            }
            Self::WaitTimer { until } => write!(f, "wait timer runs until {}", when(until)),
        }
    }
}

/// The verdict. `ready` holds exactly when the request is open and
/// `blockers` is empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Approvals that count, earliest first, one per person.
    pub counted: Vec<Approval>,
    /// Approvals of something other than what would be promoted now; the
    /// reason lists what changed.
    pub dismissed: Vec<SetAside>,
    /// Approvals by people whose approval does not count here (the captain,
    /// the requester) or repeated ones.
    pub ignored: Vec<SetAside>,
    /// How many more approvals are needed.
    pub approvals_needed: u8,
    /// The services whose owners have yet to approve, when the policy asks
    /// owners to review.
    pub owner_review_needed: Vec<String>,
    /// When the wait timer runs out: set once enough approvals count and the
    /// policy has a wait timer.
    pub wait_until: Option<DateTime<Utc>>,
    /// When the soak in the source environment ends, if the policy has one
    /// and the release ran there.
    pub soak_until: Option<DateTime<Utc>>,
    /// What changed since the request was made (empty when nothing did).
    pub changes_since_request: Vec<String>,
    /// Set when a freeze holds and a break-glass on a hotfix train lifts it.
    pub freeze_lifted_by: Option<BreakGlass>,
    pub blockers: Vec<PromotionBlocker>,
    pub ready: bool,
}

/// Judges `facts` under `policy` (the target environment's) at `now`.
///
/// - Approvals count once per person and only for the fingerprint being
///   promoted now; the captain's never count, nor the requester's unless the
///   policy allows it.
/// - The wait timer starts when the request became fully approved: at the
///   approval that brought the count to the required number (so a later,
///   extra approval does not push it back), or at the request itself when
///   none are required.
/// - A closed request is reported by its state alone; other blockers are
///   left out, since they no longer matter.
pub fn evaluate(
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    now: DateTime<Utc>,
) -> Evaluation {
    let (counted, dismissed, ignored) = sort_approvals(policy, facts);
    let have = u8::try_from(counted.iter().filter(|a| a.as_approver).count()).unwrap_or(u8::MAX);
    let required = policy.required_approvals;
    let approvals_needed = required.saturating_sub(have);
    let owners_asked: Vec<&str> = facts
        .owners
        .iter()
        .filter(|(_, owners)| policy.owner_review && !owners.is_empty())
        .map(|(service, _)| service.as_str())
        .collect();
    let owner_review_needed: Vec<String> = owners_asked
        .iter()
        .filter(|s| !reviewed(&counted, s))
        .map(|s| (*s).to_owned())
        .collect();

    let wait_until = approved_at(
        &counted,
        required,
        &owners_asked,
        facts.request.requested_at,
    )
    .filter(|_| !policy.wait_timer.is_zero())
    .map(|start| start + policy.wait_timer);
    let soak = policy
        .soak
        .map(|length| facts.soak.as_ref().map(|s| soak_clock(s, length, now)));
    let soak_until = soak.as_ref().and_then(|c| c.as_ref().map(|c| c.ends_at));

    let mut blockers = Vec::new();
    let mut freeze_lifted_by = None;
    match facts.request.state {
        RequestState::Open => {
            if policy.freeze_blocks {
                let holding: Vec<&ActiveFreeze> = facts
                    .active_freezes
                    .iter()
                    .filter(|f| f.holds_for(facts.track.as_ref(), now))
                    .collect();
                match &facts.break_glass {
                    Some(glass) if facts.direct_lane && !holding.is_empty() => {
                        freeze_lifted_by = Some(glass.clone());
                    }
                    _ => blockers.extend(holding.into_iter().map(|f| PromotionBlocker::Freeze {
                        reason: f.reason.clone(),
                        until: f.until,
                    })),
                }
            }
            if policy.require_gates && !facts.failing_gates.is_empty() {
                blockers.push(PromotionBlocker::FailingGates {
                    lines: facts.failing_gates.clone(),
                });
            }
            if policy.require_evidence && !facts.missing_evidence.is_empty() {
                blockers.push(PromotionBlocker::MissingEvidence {
                    lines: facts.missing_evidence.clone(),
                });
            }
            match soak {
                Some(None) => blockers.push(PromotionBlocker::SoakNotStarted),
                Some(Some(clock)) if !clock.is_done() => blockers.push(PromotionBlocker::Soak {
                    until: clock.ends_at,
                    restarted_by: clock.restarted_by.map(|d| d.to_string()),
                }),
                _ => {}
            }
            if approvals_needed > 0 {
                blockers.push(PromotionBlocker::MissingApprovals {
                    needed: required,
                    have,
                });
            }
            if !owner_review_needed.is_empty() {
                blockers.push(PromotionBlocker::MissingOwnerReview {
                    services: owner_review_needed.clone(),
                });
            }
            if let Some(until) = wait_until.filter(|until| now < *until) {
                blockers.push(PromotionBlocker::WaitTimer { until });
            }
        }
        RequestState::Rejected => blockers.push(match &facts.request.rejection {
            Some(r) => PromotionBlocker::Rejected {
                by: r.by.clone(),
                comment: r.comment.clone(),
            },
            None => PromotionBlocker::NotOpen {
                state: RequestState::Rejected,
            },
        }),
        state => blockers.push(PromotionBlocker::NotOpen { state }),
    }

    Evaluation {
        counted,
        dismissed,
        ignored,
        approvals_needed,
        owner_review_needed,
        wait_until,
        soak_until,
        changes_since_request: diff(&facts.request.fingerprint, &facts.current_fingerprint),
        freeze_lifted_by,
        ready: facts.request.state.is_open() && blockers.is_empty(),
        blockers,
    }
}

/// Whether an owner of `service` is among the approvals.
fn reviewed(approvals: &[Approval], service: &str) -> bool {
    approvals
        .iter()
        .any(|a| a.owner_of.iter().any(|o| o == service))
}

/// When the request became fully approved: at the approval that completed
/// both the required number and the owners' review (so a later, extra
/// approval does not push it back), or at the request itself when nothing
/// was asked; `None` while it is not.
fn approved_at(
    counted: &[Approval],
    required: u8,
    owners_asked: &[&str],
    requested_at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let done = |approvals: &[Approval]| {
        approvals.iter().filter(|a| a.as_approver).count() >= usize::from(required)
            && owners_asked.iter().all(|s| reviewed(approvals, s))
    };
    if done(&[]) {
        return Some(requested_at);
    }
    (1..=counted.len())
        .find(|&n| done(&counted[..n]))
        .map(|n| counted[n - 1].at)
}

type Sorted = (Vec<Approval>, Vec<SetAside>, Vec<SetAside>);

fn sort_approvals(policy: &EnvironmentPolicy, facts: &PromotionFacts) -> Sorted {
    let mut approvals = facts.approvals.clone();
    approvals.sort_by(|a, b| (a.at, &a.approver).cmp(&(b.at, &b.approver)));
    let (mut counted, mut dismissed, mut ignored) =
        (Vec::<Approval>::new(), Vec::new(), Vec::new());
    for approval in approvals {
        let set_aside = |reason: String| SetAside {
            approval: approval.clone(),
            reason,
        };
        if facts.captain.as_deref() == Some(approval.approver.as_str()) {
            ignored.push(set_aside("the train's captain does not count".to_owned()));
        } else if approval.approver == facts.request.requester && !policy.requester_may_approve {
            ignored.push(set_aside(format!(
                "the requester's approval does not count for {}",
                policy.environment
            )));
        } else if approval.fingerprint != facts.current_fingerprint {
            let changes = diff(&approval.fingerprint, &facts.current_fingerprint);
            dismissed.push(set_aside(format!(
                "what would be promoted changed: {}",
                changes.join(", ")
            )));
        } else if counted.iter().any(|c| c.approver == approval.approver) {
            ignored.push(set_aside("counted once already".to_owned()));
        } else {
            counted.push(approval);
        }
    }
    (counted, dismissed, ignored)
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
