use super::*;
use crate::domain::promotion::fixtures::*;
use Role::*;

fn outcome(
    facts: &PromotionFacts,
    who: &str,
    held: &[Role],
) -> Result<ApprovalOutcome, ApprovalRefusal> {
    approve(
        &policy("prod"),
        facts,
        &person(who, held).reviewer(),
        Some(" lgtm "),
        t(5),
    )
}

#[test]
fn an_approver_with_the_environments_role_is_recorded_against_what_would_be_promoted() {
    let recorded = outcome(&facts("prod"), "pia", &[Role::approver("prod")]).unwrap();
    assert_eq!(
        recorded,
        ApprovalOutcome::Recorded(Approval {
            approver: "pia".into(),
            at: t(5),
            comment: Some("lgtm".into()),
            fingerprint: v1(),
            as_approver: true,
            owner_of: vec![],
        })
    );
}

#[test]
fn the_wrong_approver_role_is_refused_with_the_role_needed() {
    let err = outcome(&facts("prod"), "sam", &[Role::approver("stage"), Admin]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "approving a promotion to prod needs the approver:prod role"
    );
    let stage = approve(
        &policy("stage"),
        &facts("stage"),
        &person("sam", &[Role::approver("stage")]).reviewer(),
        None,
        t(1),
    );
    assert!(matches!(stage, Ok(ApprovalOutcome::Recorded(_))));
}

#[test]
fn the_requester_cannot_approve_their_own_promotion_unless_the_policy_allows_it() {
    let err = outcome(&facts("prod"), REQUESTER, &[Role::approver("prod")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "you requested this promotion, and prod does not let requesters approve or reject their own promotions"
    );
    let lenient = EnvironmentPolicy {
        requester_may_approve: true,
        ..policy("prod")
    };
    let ok = approve(
        &lenient,
        &facts("prod"),
        &person(REQUESTER, &[Role::approver("prod")]).reviewer(),
        None,
        t(1),
    );
    assert!(matches!(ok, Ok(ApprovalOutcome::Recorded(_))));
}

#[test]
fn the_trains_captain_cannot_approve_even_where_requesters_may() {
    let lenient = EnvironmentPolicy {
        requester_may_approve: true,
        ..policy("prod")
    };
    let err = approve(
        &lenient,
        &facts("prod"),
        &person(CAPTAIN, &[Role::approver("prod")]).reviewer(),
        None,
        t(1),
    );
    assert_eq!(err, Err(ApprovalRefusal::Captain));
}

#[test]
fn approving_twice_changes_nothing_and_returns_the_first_approval() {
    let mut f = facts("prod");
    f.approvals.push(approval("pia", 2, v1()));
    assert_eq!(
        outcome(&f, "pia", &[Role::approver("prod")]),
        Ok(ApprovalOutcome::AlreadyApproved(approval("pia", 2, v1())))
    );
}

#[test]
fn an_approval_of_an_older_fingerprint_does_not_stop_approving_again() {
    let mut f = facts("prod");
    f.approvals.push(approval("pia", 2, v1()));
    f.current_fingerprint = v2();
    match outcome(&f, "pia", &[Role::approver("prod")]).unwrap() {
        ApprovalOutcome::Recorded(a) => assert_eq!(a.fingerprint, v2()),
        other => panic!("expected a new approval, got {other:?}"),
    }
}

#[test]
fn a_closed_request_cannot_be_approved_or_rejected() {
    let mut f = facts("prod");
    f.request = f.request.cancel().unwrap();
    let err = outcome(&f, "pia", &[Role::approver("prod")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "this promotion request is cancelled; only an open request can be approved or rejected"
    );
    let err = reject(
        &policy("prod"),
        &f,
        &person("pia", &[Role::approver("prod")]).reviewer(),
        "no",
        t(3),
    );
    assert_eq!(err, Err(ApprovalRefusal::NotOpen(RequestState::Cancelled)));
}

#[test]
fn a_rejection_needs_the_approver_role_and_a_comment() {
    let f = facts("prod");
    let p = policy("prod");
    assert_eq!(
        reject(
            &p,
            &f,
            &person("sam", &[Role::approver("stage")]).reviewer(),
            "no",
            t(3)
        )
        .unwrap_err()
        .to_string(),
        "rejecting a promotion to prod needs the approver:prod role"
    );
    assert_eq!(
        reject(
            &p,
            &f,
            &person("pia", &[Role::approver("prod")]).reviewer(),
            " ",
            t(3)
        )
        .unwrap_err()
        .to_string(),
        "rejecting a promotion needs a comment saying why"
    );
    let rejected = reject(
        &p,
        &f,
        &person("pia", &[Role::approver("prod")]).reviewer(),
        "budget spent",
        t(3),
    )
    .unwrap();
    assert_eq!(rejected.state, RequestState::Rejected);
    assert_eq!(rejected.rejection.unwrap().by, "pia");
}

#[test]
fn check_approver_answers_without_recording_anything() {
    let f = facts("prod");
    let p = policy("prod");
    assert_eq!(
        check_approver(&p, &f, &person("pia", &[Role::approver("prod")]).reviewer(),),
        Ok(())
    );
    assert_eq!(
        check_approver(
            &p,
            &f,
            &person(CAPTAIN, &[Role::approver("prod")]).reviewer(),
        ),
        Err(ApprovalRefusal::Captain)
    );
}
