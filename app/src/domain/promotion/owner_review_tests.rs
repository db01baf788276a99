//! Seed 004's component owners: a policy that asks each participant's
//! owners to review lets an owner approve without the approver role, and
//! holds the promotion until every owned service has an owner's approval.

use super::*;
use crate::domain::access::Role;
use crate::domain::promotion::fixtures::*;
use chrono::Duration;

/// Prod with one approver, owners asked, no wait: curve is owned by a
/// person, scenario by a group.
fn reviewed_prod() -> (EnvironmentPolicy, PromotionFacts) {
    let policy = EnvironmentPolicy {
        required_approvals: 1,
        wait_timer: Duration::minutes(10),
        owner_review: true,
        ..policy("prod")
    };
    let mut facts = facts("prod");
    facts.owners = vec![
        ("curve".into(), vec!["olivia".into()]),
        ("backtesting".into(), vec![]),
        ("scenario".into(), vec!["group:rates".into()]),
    ];
    (policy, facts)
}

fn decide(
    policy: &EnvironmentPolicy,
    facts: &PromotionFacts,
    who: &str,
    held: &[Role],
    groups: &[String],
    minute: i64,
) -> Result<Approval, ApprovalRefusal> {
    let roles = roles(held);
    let reviewer = Reviewer {
        subject: who,
        roles: &roles,
        groups,
    };
    match approve(policy, facts, &reviewer, None, t(minute))? {
        ApprovalOutcome::Recorded(a) => Ok(a),
        other => panic!("expected a new approval, got {other:?}"),
    }
}

#[test]
fn an_owner_approves_without_the_role_and_a_stranger_is_told_what_counts() {
    let (policy, facts) = reviewed_prod();
    let olivia = decide(&policy, &facts, "olivia", &[Role::Viewer], &[], 1).unwrap();
    assert_eq!(
        (olivia.as_approver, olivia.owner_of),
        (false, vec!["curve".to_owned()])
    );
    let rates = decide(&policy, &facts, "ravi", &[], &["rates".into()], 1).unwrap();
    assert_eq!(rates.owner_of, ["scenario"]);
    let stranger = decide(
        &policy,
        &facts,
        "sam",
        &[Role::Viewer],
        &["quant".into()],
        1,
    );
    assert_eq!(
        stranger.unwrap_err().to_string(),
        "approving a promotion to prod needs the approver:prod role or ownership of a service in the train"
    );
    let without_review = EnvironmentPolicy {
        owner_review: false,
        ..policy
    };
    assert!(matches!(
        decide(&without_review, &facts, "olivia", &[Role::Viewer], &[], 1),
        Err(ApprovalRefusal::WrongRole { .. })
    ));
}

#[test]
fn the_promotion_waits_for_an_owner_of_each_owned_service_then_for_its_timer() {
    let (policy, mut facts) = reviewed_prod();
    let pia = decide(&policy, &facts, "pia", &[Role::approver("prod")], &[], 1).unwrap();
    facts.approvals.push(pia);
    let verdict = evaluate(&policy, &facts, t(2));
    assert_eq!(verdict.approvals_needed, 0);
    assert_eq!(verdict.owner_review_needed, ["curve", "scenario"]);
    assert_eq!(
        verdict
            .blockers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["waiting for an owner of curve, scenario to approve"]
    );

    let olivia_roles = roles(&[Role::Viewer]);
    let olivia = Reviewer {
        subject: "olivia",
        roles: &olivia_roles,
        groups: &[],
    };
    let verdict = evaluate(&policy, &facts, t(2));
    assert!(
        waits_for(&policy, &facts, &verdict, &olivia),
        "curve waits for its owner"
    );
    let approver_roles = roles(&[Role::approver("prod")]);
    let another = Reviewer {
        subject: "pat",
        roles: &approver_roles,
        groups: &[],
    };
    assert!(
        !waits_for(&policy, &facts, &verdict, &another),
        "enough approvers already"
    );
    let olivia = decide(&policy, &facts, "olivia", &[Role::Viewer], &[], 3).unwrap();
    facts.approvals.push(olivia);
    let verdict = evaluate(&policy, &facts, t(4));
    let olivia = Reviewer {
        subject: "olivia",
        roles: &olivia_roles,
        groups: &[],
    };
    assert!(
        !waits_for(&policy, &facts, &verdict, &olivia),
        "she has reviewed"
    );
    assert_eq!(
        evaluate(&policy, &facts, t(4)).owner_review_needed,
        ["scenario"]
    );

    let ravi = decide(&policy, &facts, "ravi", &[], &["rates".into()], 5).unwrap();
    facts.approvals.push(ravi);
    let verdict = evaluate(&policy, &facts, t(6));
    assert!(verdict.owner_review_needed.is_empty());
    assert_eq!(
        verdict.wait_until,
        Some(t(15)),
        "the wait starts at the last review"
    );
    assert!(!verdict.ready);
    assert!(evaluate(&policy, &facts, t(15)).ready);
}

#[test]
fn an_owners_approval_does_not_count_towards_the_approvers() {
    let (policy, mut facts) = reviewed_prod();
    for (who, groups, minute) in [("olivia", vec![], 1), ("ravi", vec!["rates".to_owned()], 2)] {
        let approval = decide(&policy, &facts, who, &[], &groups, minute).unwrap();
        facts.approvals.push(approval);
    }
    let verdict = evaluate(&policy, &facts, t(30));
    assert_eq!(verdict.approvals_needed, 1);
    assert!(verdict.owner_review_needed.is_empty());
    assert_eq!(verdict.wait_until, None);
}
