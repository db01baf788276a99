//! "Why is this blocked?": every reason a train cannot move on, in one list.

use super::evidence::{EvidenceRequirement, Missing};
use super::gates::{Blocker, CellStatus};
use super::TrainState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockedKind {
    FailingGate,
    PendingGate,
    Freeze,
    NoOnCall,
    Approval,
    Soak,
    WaitTimer,
    Rejected,
    /// The evidence bundle lacks what the track's policy requires.
    MissingEvidence,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedItem {
    pub kind: BlockedKind,
    pub title: String,
    pub detail: String,
    /// When it stops blocking by itself (a freeze's end, a timer).
    pub until: Option<DateTime<Utc>>,
}

/// A freeze window that holds this train: active now, or covering its cut.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Freeze {
    pub reason: String,
    pub ends_at: DateTime<Utc>,
    pub moves: bool,
}

/// The train's blockers, failing gates first; none once it has finished.
/// Missing evidence counts once the train has left planning (nobody has
/// built anything to give evidence of before); `evidence_gate` names the
/// environment whose promotion waits for a complete bundle, if the next one
/// does.
pub fn blocked_items(
    state: TrainState,
    gates: &[Blocker],
    freezes: &[Freeze],
    on_call_warning: Option<&str>,
    missing_evidence: &[Missing],
    evidence_gate: Option<&str>,
) -> Vec<BlockedItem> {
    if matches!(state, TrainState::Completed | TrainState::RolledBack) {
        return Vec::new();
    }
    let mut items = Vec::new();
    for gate in gates.iter().filter(|g| g.status == CellStatus::Failed) {
        items.push(BlockedItem {
            kind: BlockedKind::FailingGate,
            title: format!("Gate {} fails for {}", gate.gate, gate.participant),
            detail: gate.detail.clone(),
            until: None,
        });
    }
    for freeze in freezes {
        items.push(BlockedItem {
            kind: BlockedKind::Freeze,
            title: format!("Freeze window: {}", freeze.reason),
            detail: if freeze.moves {
                "trains inside it run when it ends".to_owned()
            } else {
                "trains inside it do not run".to_owned()
            },
            until: Some(freeze.ends_at),
        });
    }
    if let Some(warning) = on_call_warning {
        items.push(BlockedItem {
            kind: BlockedKind::NoOnCall,
            title: "Nobody is on call".to_owned(),
            detail: warning.to_owned(),
            until: None,
        });
    }
    // One line per waiting gate, naming every participant it waits for.
    let mut waiting: Vec<(&str, Vec<&str>, &str)> = Vec::new();
    for gate in gates.iter().filter(|g| g.status == CellStatus::Pending) {
        match waiting.iter_mut().find(|(name, _, _)| *name == gate.gate) {
            Some((_, participants, _)) => participants.push(&gate.participant),
            None => waiting.push((&gate.gate, vec![&gate.participant], &gate.detail)),
        }
    }
    for (gate, participants, detail) in waiting {
        items.push(BlockedItem {
            kind: BlockedKind::PendingGate,
            title: format!("Gate {gate} is waiting for {}", participants.join(", ")),
            detail: detail.to_owned(),
            until: None,
        });
    }
    if state != TrainState::Planning {
        items.extend(missing_evidence_items(missing_evidence, evidence_gate));
    }
    items
}

/// One line per missing requirement; the participants lacking an SBOM share
/// one line, as the participants a gate waits for do.
fn missing_evidence_items(missing: &[Missing], gate: Option<&str>) -> Vec<BlockedItem> {
    let mut items: Vec<BlockedItem> = Vec::new();
    let without_sbom: Vec<&str> = missing
        .iter()
        .filter(|m| m.requirement == EvidenceRequirement::SbomPerParticipant)
        .filter_map(|m| m.participant.as_deref())
        .collect();
    let detail = match gate {
        Some(env) => {
            format!("Upload it to the train's evidence bundle: promotion to {env} waits until it is there.")
        }
        None => "Upload it to the train's evidence bundle before the train completes: \
                 the bundle is sealed then, gaps included."
            .to_owned(),
    };
    if !without_sbom.is_empty() {
        items.push(BlockedItem {
            kind: BlockedKind::MissingEvidence,
            title: format!("Evidence missing: no SBOM for {}", without_sbom.join(", ")),
            detail: detail.clone(),
            until: None,
        });
    }
    let others = missing.iter().filter(|m| {
        m.requirement != EvidenceRequirement::SbomPerParticipant || m.participant.is_none()
    });
    for m in others {
        items.push(BlockedItem {
            kind: BlockedKind::MissingEvidence,
            title: format!("Evidence missing: {}", m.message),
            detail: detail.clone(),
            until: None,
        });
    }
    items
}

/// What an open promotion request still waits for, beside the gates and
/// freezes the train's own list already shows.
pub fn promotion_items(
    environment: &str,
    blockers: &[super::promotion::PromotionBlocker],
) -> Vec<BlockedItem> {
    use super::promotion::PromotionBlocker as P;
    blockers
        .iter()
        .filter_map(|b| {
            let (kind, title, until) = match b {
                P::MissingApprovals { needed, have } => (
                    BlockedKind::Approval,
                    format!("Approvals for {environment}: {have} of {needed}"),
                    None,
                ),
                P::WaitTimer { until } => (
                    BlockedKind::WaitTimer,
                    format!("Wait timer before {environment}"),
                    Some(*until),
                ),
                P::Soak { until, .. } => (
                    BlockedKind::Soak,
                    format!("Soaking before {environment}"),
                    Some(*until),
                ),
                P::SoakNotStarted => (
                    BlockedKind::Soak,
                    format!("Soak before {environment} has not started"),
                    None,
                ),
                P::MissingOwnerReview { services } => (
                    BlockedKind::Approval,
                    format!("Owners' review for {environment}: {}", services.join(", ")),
                    None,
                ),
                P::Rejected { .. } => (
                    BlockedKind::Rejected,
                    format!("The promotion to {environment} was rejected"),
                    None,
                ),
                P::Freeze { .. }
                | P::FailingGates { .. }
                | P::MissingEvidence { .. }
                | P::NotOpen { .. } => return None,
            };
            let detail = match b {
                // The panel shows `until` itself; the detail says what runs.
                P::WaitTimer { .. } => "The policy waits after the last approval; \
                                        if a condition stops holding meanwhile, \
                                        the promotion does not happen."
                    .to_owned(),
                P::Soak { restarted_by, .. } => {
                    let rule = format!(
                        "The release must run clean where it comes from: {}.",
                        super::promotion::clean_means()
                    );
                    match restarted_by {
                        Some(by) => format!("{rule} Clock restarted by {by}."),
                        None => rule,
                    }
                }
                other => other.to_string(),
            };
            Some(BlockedItem {
                kind,
                title,
                detail,
                until,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "blocked_tests.rs"]
mod tests;
