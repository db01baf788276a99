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
        assert!(blocked_items(state, &failing, &[], Some("w"), &missing, Some("prod")).is_empty());
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
    assert!(items[0]
        .detail
        .ends_with("Clock restarted by rollback at 2026-11-24 09:00 UTC: scenario rolled back."));
}
