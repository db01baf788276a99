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
/// built anything to give evidence of before).
pub fn blocked_items(
    state: TrainState,
    gates: &[Blocker],
    freezes: &[Freeze],
    on_call_warning: Option<&str>,
    missing_evidence: &[Missing],
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
        items.extend(missing_evidence_items(missing_evidence));
    }
    items
}

/// One line per missing requirement; the participants lacking an SBOM share
/// one line, as the participants a gate waits for do.
fn missing_evidence_items(missing: &[Missing]) -> Vec<BlockedItem> {
    let mut items: Vec<BlockedItem> = Vec::new();
    let without_sbom: Vec<&str> = missing
        .iter()
        .filter(|m| m.requirement == EvidenceRequirement::SbomPerParticipant)
        .filter_map(|m| m.participant.as_deref())
        .collect();
    let detail = "Upload it to the train's evidence bundle; a completeness gate holds promotion until it is there.";
    if !without_sbom.is_empty() {
        items.push(BlockedItem {
            kind: BlockedKind::MissingEvidence,
            title: format!("Evidence missing: no SBOM for {}", without_sbom.join(", ")),
            detail: detail.to_owned(),
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
            detail: detail.to_owned(),
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
            Some(BlockedItem {
                kind,
                title,
                detail: b.to_string(),
                until,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn gate(participant: &str, status: CellStatus, detail: &str) -> Blocker {
        Blocker {
            participant: participant.into(),
            gate: "quality".into(),
            status,
            detail: detail.into(),
        }
    }

    #[test]
    fn failing_gates_come_first_then_freezes_then_waiting_gates() {
        let until = Utc.with_ymd_and_hms(2026, 12, 10, 0, 0, 0).unwrap();
        let items = blocked_items(
            TrainState::Validating,
            &[
                gate("curve", CellStatus::Pending, "waiting for quality_score"),
                gate(
                    "scenario",
                    CellStatus::Failed,
                    "quality_score is 72, needs >= 80",
                ),
            ],
            &[Freeze {
                reason: "chain re-roll".into(),
                ends_at: until,
                moves: false,
            }],
            None,
            &[],
        );
        let kinds: Vec<BlockedKind> = items.iter().map(|i| i.kind).collect();
        assert_eq!(
            items.last().unwrap().title,
            "Gate quality is waiting for curve"
        );
        assert_eq!(
            kinds,
            [
                BlockedKind::FailingGate,
                BlockedKind::Freeze,
                BlockedKind::PendingGate
            ]
        );
        assert_eq!(items[0].title, "Gate quality fails for scenario");
        assert_eq!(items[1].until, Some(until));
    }

    #[test]
    fn a_gate_waiting_for_several_participants_is_one_line() {
        let items = blocked_items(
            TrainState::Validating,
            &[
                gate("curve", CellStatus::Pending, "waiting for quality_score"),
                gate("scenario", CellStatus::Pending, "waiting for quality_score"),
            ],
            &[],
            None,
            &[],
        );
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].title,
            "Gate quality is waiting for curve, scenario"
        );
    }

    #[test]
    fn a_finished_train_is_blocked_by_nothing() {
        let failing = [gate("curve", CellStatus::Failed, "x")];
        let missing = missing_evidence();
        assert!(blocked_items(TrainState::Completed, &failing, &[], None, &missing).is_empty());
        assert!(
            blocked_items(TrainState::RolledBack, &failing, &[], Some("w"), &missing).is_empty()
        );
    }

    fn missing_evidence() -> Vec<Missing> {
        use crate::domain::evidence::{completeness, EvidenceKind};
        let participants = ["curve".to_owned(), "backtesting".into(), "scenario".into()];
        let present = [(EvidenceKind::CyclonedxSbom, Some("curve".to_owned()))];
        completeness(&EvidenceRequirement::STANDARD, &participants, &present).missing
    }

    #[test]
    fn missing_evidence_is_called_out_with_one_line_for_the_participants_without_an_sbom() {
        let items = blocked_items(TrainState::Validating, &[], &[], None, &missing_evidence());
        let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Evidence missing: no SBOM for backtesting, scenario",
                "Evidence missing: no test results (JUnit XML)",
                "Evidence missing: no build provenance (SLSA statement)",
                "Evidence missing: no release metadata document",
            ]
        );
        assert!(items.iter().all(|i| i.kind == BlockedKind::MissingEvidence));
    }

    #[test]
    fn a_train_still_in_planning_is_not_held_by_evidence_it_cannot_have_yet() {
        let items = blocked_items(TrainState::Planning, &[], &[], None, &missing_evidence());
        assert!(items.is_empty());
    }

    #[test]
    fn an_open_request_adds_its_approvals_and_timers_but_not_what_the_train_lists_already() {
        use crate::domain::promotion::PromotionBlocker as P;
        let until = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        let items = promotion_items(
            "prod",
            &[
                P::MissingApprovals { needed: 2, have: 1 },
                P::WaitTimer { until },
                P::FailingGates {
                    lines: vec!["curve: x".into()],
                },
                P::Freeze {
                    reason: "r".into(),
                    until,
                },
            ],
        );
        let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(
            titles,
            ["Approvals for prod: 1 of 2", "Wait timer before prod"]
        );
        assert_eq!(items[1].until, Some(until));
    }
}
