use super::*;
use crate::domain::promotion::fixtures::*;
use crate::domain::promotion::{Disturbance, DisturbanceKind};
use chrono::Duration;
use proptest::prelude::*;

fn approved(env: &str, approvers: &[(&str, i64)]) -> PromotionFacts {
    let mut f = facts(env);
    f.approvals = approvers
        .iter()
        .map(|(who, m)| approval(who, *m, v1()))
        .collect();
    f
}

fn freeze(track: Option<&str>, from: i64, until: i64) -> ActiveFreeze {
    ActiveFreeze {
        reason: "chain ops: validator re-roll".into(),
        starts_at: t(from),
        until: t(until),
        tracks: track.map(|t| vec![TrackName::parse(t).unwrap()]),
    }
}

fn lines(e: &Evaluation) -> Vec<String> {
    e.blockers.iter().map(ToString::to_string).collect()
}

#[test]
fn prod_without_approvals_waits_for_two() {
    let e = evaluate(&policy("prod"), &facts("prod"), t(1));
    assert!(!e.ready);
    assert_eq!(e.approvals_needed, 2);
    assert_eq!(e.wait_until, None);
    assert_eq!(
        e.blockers,
        [PromotionBlocker::MissingApprovals { needed: 2, have: 0 }]
    );
    assert_eq!(lines(&e), ["needs 2 approvals, has 0"]);
}

#[test]
fn two_approvals_and_an_elapsed_wait_make_prod_ready() {
    let e = evaluate(
        &policy("prod"),
        &approved("prod", &[("pia", 2), ("max", 3)]),
        t(13),
    );
    assert!(e.ready, "{:?}", e.blockers);
    assert_eq!(e.approvals_needed, 0);
    assert_eq!(e.counted.len(), 2);
}

#[test]
fn the_wait_timer_counts_from_the_last_counted_approval() {
    let f = approved("prod", &[("pia", 2), ("max", 6)]);
    let early = evaluate(&policy("prod"), &f, t(15));
    assert_eq!(early.wait_until, Some(t(16)));
    assert_eq!(
        early.blockers,
        [PromotionBlocker::WaitTimer { until: t(16) }]
    );
    assert_eq!(
        lines(&early),
        ["wait timer runs until 2026-11-24 14:16 UTC"]
    );
    assert!(evaluate(&policy("prod"), &f, t(16)).ready);
}

#[test]
fn an_extra_approval_after_the_request_is_fully_approved_does_not_push_the_wait_back() {
    let f = approved("prod", &[("pia", 2), ("max", 6), ("ola", 12)]);
    let e = evaluate(&policy("prod"), &f, t(16));
    assert_eq!(e.wait_until, Some(t(16)));
    assert!(e.ready);
}

#[test]
fn without_required_approvals_the_wait_counts_from_the_request() {
    let p = EnvironmentPolicy {
        wait_timer: Duration::minutes(5),
        ..policy("dev")
    };
    let e = evaluate(&p, &facts("dev"), t(4));
    assert_eq!(e.wait_until, Some(t(5)));
    assert!(!e.ready);
    assert!(evaluate(&p, &facts("dev"), t(5)).ready);
    assert!(evaluate(&policy("dev"), &facts("dev"), t(0)).ready);
}

#[test]
fn the_captains_and_the_requesters_approvals_are_ignored_with_the_reason() {
    let f = approved("prod", &[(CAPTAIN, 1), (REQUESTER, 2), ("pia", 3)]);
    let e = evaluate(&policy("prod"), &f, t(30));
    assert_eq!(e.counted, [approval("pia", 3, v1())]);
    let reasons: Vec<&str> = e.ignored.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "the train's captain does not count",
            "the requester's approval does not count for prod"
        ]
    );
    assert_eq!(
        e.blockers,
        [PromotionBlocker::MissingApprovals { needed: 2, have: 1 }]
    );

    let lenient = EnvironmentPolicy {
        requester_may_approve: true,
        ..policy("prod")
    };
    let e = evaluate(&lenient, &f, t(30));
    assert_eq!(
        e.counted.len(),
        2,
        "the requester counts, the captain still does not"
    );
    assert!(e.ready);
}

#[test]
fn a_repeated_approval_by_one_person_counts_once() {
    let f = approved("prod", &[("pia", 2), ("pia", 4)]);
    let e = evaluate(&policy("prod"), &f, t(30));
    assert_eq!(e.counted, [approval("pia", 2, v1())]);
    assert_eq!(e.ignored[0].reason, "counted once already");
    assert_eq!(e.approvals_needed, 1);
}

#[test]
fn a_stale_approval_is_dismissed_with_what_changed_as_the_reason() {
    let mut f = approved("prod", &[("pia", 2), ("max", 3)]);
    f.current_fingerprint = Fingerprint::new([("scenario", "2.0.1"), ("risk", "0.9.0")]).unwrap();
    f.approvals
        .push(approval("pia", 8, f.current_fingerprint.clone()));
    let e = evaluate(&policy("prod"), &f, t(30));
    assert_eq!(e.counted.len(), 1);
    assert_eq!(e.dismissed.len(), 2);
    assert_eq!(
        e.dismissed[0].reason,
        "what would be promoted changed: participant curve removed, participant risk added, scenario 2.0.0 → 2.0.1"
    );
    assert_eq!(e.changes_since_request.len(), 3);
    assert_eq!(
        e.blockers,
        [PromotionBlocker::MissingApprovals { needed: 2, have: 1 }]
    );
}

#[test]
fn a_rejected_request_stays_stopped_whatever_else_holds() {
    let mut f = approved("prod", &[("pia", 2), ("max", 3)]);
    f.request = f.request.reject("ola", "error budget spent", t(4)).unwrap();
    let e = evaluate(&policy("prod"), &f, t(60));
    assert!(!e.ready);
    assert_eq!(
        lines(&e),
        ["rejected by ola: error budget spent; promoting needs a new request"]
    );
}

#[test]
fn a_promoted_request_reports_only_that() {
    let mut f = facts("prod");
    f.request = f.request.promoted().unwrap();
    f.failing_gates = vec!["scenario: coverage 72 is below 75".into()];
    let e = evaluate(&policy("prod"), &f, t(60));
    assert_eq!(lines(&e), ["this request has already been promoted"]);
}

#[test]
fn failing_blocking_gates_block_when_the_policy_requires_gates() {
    let mut f = approved("stage", &[("pia", 2)]);
    f.failing_gates = vec![
        "scenario: coverage 72 is below 75".into(),
        "curve: check \"e2e-tests\" failed".into(),
    ];
    let e = evaluate(&policy("stage"), &f, t(5));
    assert_eq!(
        lines(&e),
        ["blocking gates fail: scenario: coverage 72 is below 75; curve: check \"e2e-tests\" failed"]
    );
    let relaxed = EnvironmentPolicy {
        require_gates: false,
        ..policy("stage")
    };
    assert!(evaluate(&relaxed, &f, t(5)).ready);
}

#[test]
fn a_gate_that_fails_during_the_wait_stops_the_promotion() {
    let mut f = approved("prod", &[("pia", 2), ("max", 3)]);
    assert!(evaluate(&policy("prod"), &f, t(13)).ready);
    f.failing_gates = vec!["scenario: failure_rate 7 is above 5".into()];
    let e = evaluate(&policy("prod"), &f, t(13));
    assert!(!e.ready);
    assert!(matches!(
        e.blockers[..],
        [PromotionBlocker::FailingGates { .. }]
    ));
}

#[test]
fn a_soak_that_never_started_or_has_not_ended_blocks() {
    let f = approved("staging", &[("pia", 1)]);
    let e = evaluate(&policy("staging"), &f, t(5));
    assert_eq!(e.blockers, [PromotionBlocker::SoakNotStarted]);

    let mut f = f;
    let deployed = t(0) - Duration::days(6);
    f.soak = Some(SoakFacts {
        deployed_at: deployed,
        disturbances: vec![],
    });
    let e = evaluate(&policy("staging"), &f, t(5));
    assert_eq!(e.soak_until, Some(deployed + Duration::days(7)));
    assert_eq!(lines(&e), ["soaking until 2026-11-25 14:00 UTC"]);
    assert!(evaluate(&policy("staging"), &f, t(0) + Duration::days(1)).ready);
}

#[test]
fn a_disturbance_restarts_the_soak_and_the_panel_says_which() {
    let mut f = approved("staging", &[("pia", 1)]);
    f.soak = Some(SoakFacts {
        deployed_at: t(0) - Duration::days(10),
        disturbances: vec![Disturbance {
            at: t(0) - Duration::days(2),
            kind: DisturbanceKind::Rollback,
            detail: "scenario rolled back".into(),
        }],
    });
    let e = evaluate(&policy("staging"), &f, t(5));
    assert_eq!(
        lines(&e),
        ["soaking until 2026-11-29 14:00 UTC \
          (clock restarted by rollback at 2026-11-22 14:00 UTC: scenario rolled back)"]
    );
}

#[test]
fn a_freeze_on_the_trains_track_blocks_while_it_holds() {
    let mut f = approved("stage", &[("pia", 1)]);
    f.active_freezes = vec![freeze(Some("dev"), -60, 60)];
    let e = evaluate(&policy("stage"), &f, t(5));
    assert_eq!(
        lines(&e),
        [
            "frozen until 2026-11-24 15:00 UTC: chain ops: validator re-roll; \
          only a train of a direct lane (a hotfix track) can be promoted, with break-glass"
        ]
    );
    assert!(
        evaluate(&policy("stage"), &f, t(60)).ready,
        "the window has ended"
    );
    f.active_freezes = vec![freeze(Some("staging"), -60, 60)];
    assert!(
        evaluate(&policy("stage"), &f, t(5)).ready,
        "another track's freeze"
    );
    f.active_freezes = vec![freeze(None, -60, 60)];
    let unfrozen = EnvironmentPolicy {
        freeze_blocks: false,
        ..policy("stage")
    };
    assert!(evaluate(&unfrozen, &f, t(5)).ready);
}

#[test]
fn break_glass_lifts_a_freeze_for_a_direct_lane_train_only() {
    let mut f = approved("stage", &[("pia", 1)]);
    f.active_freezes = vec![freeze(None, -60, 60)];
    let glass = BreakGlass::new("ada", "sev1: payments down").unwrap();

    f.direct_lane = true;
    let no_glass = evaluate(&policy("stage"), &f, t(5));
    assert!(matches!(
        no_glass.blockers[..],
        [PromotionBlocker::Freeze { .. }]
    ));

    f.break_glass = Some(glass.clone());
    let lifted = evaluate(&policy("stage"), &f, t(5));
    assert!(lifted.ready);
    assert_eq!(lifted.freeze_lifted_by, Some(glass));

    f.direct_lane = false;
    let not_direct = evaluate(&policy("stage"), &f, t(5));
    assert!(!not_direct.ready);
    assert_eq!(not_direct.freeze_lifted_by, None);
}

#[test]
fn break_glass_lifts_only_the_freeze() {
    let mut f = facts("prod");
    f.active_freezes = vec![freeze(None, -60, 60)];
    f.direct_lane = true;
    f.break_glass = Some(BreakGlass::new("ada", "sev1").unwrap());
    let e = evaluate(&policy("prod"), &f, t(5));
    assert_eq!(
        e.blockers,
        [PromotionBlocker::MissingApprovals { needed: 2, have: 0 }]
    );
}

#[test]
fn every_blocker_at_once_is_listed_most_fundamental_first() {
    let mut f = approved("staging", &[]);
    f.active_freezes = vec![freeze(None, -60, 60)];
    f.failing_gates = vec!["scenario: quality 70 is below 80".into()];
    let e = evaluate(&policy("staging"), &f, t(5));
    let kinds: Vec<&str> = e
        .blockers
        .iter()
        .map(|b| match b {
            PromotionBlocker::Freeze { .. } => "freeze",
            PromotionBlocker::FailingGates { .. } => "gates",
            PromotionBlocker::SoakNotStarted => "soak",
            PromotionBlocker::MissingApprovals { .. } => "approvals",
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["freeze", "gates", "soak", "approvals"]);
    assert_eq!(lines(&e)[3], "needs 1 approval, has 0");
}

#[test]
fn the_evaluation_serialises_for_the_browser_with_tagged_blockers() {
    let e = evaluate(&policy("prod"), &facts("prod"), t(1));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["blockers"][0]["kind"], "missing_approvals");
    assert_eq!(serde_json::from_value::<Evaluation>(json).unwrap(), e);
}

proptest! {
    #[test]
    fn every_approval_lands_in_exactly_one_list_and_counted_people_are_distinct(
        approvals in proptest::collection::vec((0usize..5, 0i64..30, any::<bool>()), 0..12),
        now in 0i64..60,
        required in 0u8..4,
    ) {
        let people = ["pia", "max", "ola", CAPTAIN, REQUESTER];
        let mut f = facts("prod");
        f.approvals = approvals
            .iter()
            .map(|(who, m, fresh)| approval(people[*who], *m, if *fresh { v1() } else { v2() }))
            .collect();
        let p = EnvironmentPolicy { required_approvals: required, ..policy("prod") };
        let e = evaluate(&p, &f, t(now));
        prop_assert_eq!(e.counted.len() + e.dismissed.len() + e.ignored.len(), f.approvals.len());
        let mut names: Vec<&str> = e.counted.iter().map(|a| a.approver.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        prop_assert_eq!(names.len(), e.counted.len());
        prop_assert!(!names.contains(&CAPTAIN) && !names.contains(&REQUESTER));
        prop_assert!(e.counted.iter().all(|a| a.fingerprint == v1()));
        prop_assert_eq!(e.ready, e.blockers.is_empty());
        if let Some(until) = e.wait_until {
            prop_assert!(e.approvals_needed == 0);
            prop_assert_eq!(e.ready, t(now) >= until);
        }
    }
}

#[test]
fn an_incomplete_evidence_bundle_blocks_only_where_the_policy_asks_for_it() {
    let mut f = facts("dev");
    f.missing_evidence = vec!["no SBOM for participant curve".to_owned()];
    assert!(evaluate(&policy("dev"), &f, t(1)).ready, "off by default");
    let strict = EnvironmentPolicy {
        require_evidence: true,
        ..policy("dev")
    };
    let verdict = evaluate(&strict, &f, t(1));
    assert!(!verdict.ready);
    assert_eq!(
        verdict.blockers[0].to_string(),
        "the evidence bundle is incomplete: no SBOM for participant curve"
    );
}
