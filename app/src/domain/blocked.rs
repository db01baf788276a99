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
            None,
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
            None,
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
        for state in [TrainState::Completed, TrainState::RolledBack] {
            assert!(
                blocked_items(state, &failing, &[], Some("w"), &missing, Some("prod")).is_empty()
            );
        }
    }

    fn missing_evidence() -> Vec<Missing> {
        use crate::domain::evidence::{completeness, EvidenceKind};
        let participants = ["curve".to_owned(), "backtesting".into(), "scenario".into()];
        let present = [(EvidenceKind::CyclonedxSbom, Some("curve".to_owned()))];
        completeness(&EvidenceRequirement::STANDARD, &participants, &present).missing
    }

    #[test]
    fn missing_evidence_is_called_out_with_one_line_for_the_participants_without_an_sbom() {
        let items = blocked_items(
            TrainState::Validating,
            &[],
            &[],
            None,
            &missing_evidence(),
            None,
        );
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
        assert!(
            items[0].detail.contains("sealed then, gaps included"),
            "without a completeness gate nothing claims to hold a promotion: {}",
            items[0].detail
        );
    }

    #[test]
    fn missing_evidence_names_the_promotion_a_completeness_gate_holds() {
        let missing = missing_evidence();
        let items = blocked_items(TrainState::Staging, &[], &[], None, &missing, Some("prod"));
        assert_eq!(items.len(), 4);
        assert!(items.iter().all(|i| i
            .detail
            .ends_with("promotion to prod waits until it is there.")));
    }

    #[test]
    fn a_train_still_in_planning_is_not_held_by_evidence_it_cannot_have_yet() {
        let missing = missing_evidence();
        let items = blocked_items(TrainState::Planning, &[], &[], None, &missing, Some("dev"));
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
        assert!(
            !items[1].detail.contains("2026"),
            "the timer's end is shown once, from `until`: {}",
            items[1].detail
        );
    }

    #[test]
    fn a_soak_says_what_restarted_its_clock() {
        use crate::domain::promotion::PromotionBlocker as P;
        let until = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
        let items = promotion_items(
            "staging",
            &[P::Soak {
                until,
                restarted_by: Some("rollback at 2026-11-24 09:00 UTC: scenario rolled back".into()),
            }],
        );
        assert_eq!(items[0].title, "Soaking before staging");
        assert!(items[0].detail.ends_with(
            "Clock restarted by rollback at 2026-11-24 09:00 UTC: scenario rolled back."
        ));
    }
}
