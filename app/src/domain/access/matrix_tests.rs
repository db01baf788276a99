//! The whole permission matrix, cell by cell: every role and every scope
//! against every action. A change to who may do what must change this table.

use super::*;

/// Expected allowances: one row per action, columns in [`roles`] order
/// (viewer, owner, captain, communications, approver:stage, approver:prod, admin), then the
/// scopes in `Scope::ALL` order (gates:write, evidence:write, trains:write, config:write,
/// deployments:write, incidents:write).
const MATRIX: [(Action, [bool; 7], [bool; 6]); 24] = {
    const Y: bool = true;
    const N: bool = false;
    [
        (Action::Read, [Y, Y, Y, Y, Y, Y, Y], [Y, Y, Y, Y, Y, Y]),
        (Action::ReadAudit, [Y, Y, Y, Y, Y, Y, Y], [N, N, N, N, N, N]),
        (
            Action::EditCalendar,
            [N, Y, N, N, N, N, N],
            [N, N, N, N, N, N],
        ),
        (
            Action::ManageTrains,
            [N, N, Y, N, N, N, N],
            [N, N, Y, N, N, N],
        ),
        (
            Action::RecordGateResults,
            [N, N, Y, N, N, N, N],
            [Y, N, N, N, N, N],
        ),
        (
            Action::UploadEvidence,
            [N, N, Y, N, N, N, N],
            [N, Y, N, N, N, N],
        ),
        (
            Action::ReportServiceStatus,
            [N, N, Y, N, N, N, N],
            [N, N, Y, N, N, N],
        ),
        (Action::Rollback, [N, N, Y, N, N, N, N], [N, N, Y, N, N, N]),
        (
            Action::RequestPromotion,
            [N, N, Y, N, N, N, N],
            [N, N, N, N, N, N],
        ),
        (Action::Approve, [N, N, N, N, Y, Y, N], [N, N, N, N, N, N]),
        (
            Action::ReviewAsOwner,
            [Y, Y, Y, Y, Y, Y, Y],
            [N, N, N, N, N, N],
        ),
        (
            Action::BreakGlass,
            [N, N, N, N, N, N, Y],
            [N, N, N, N, N, N],
        ),
        (
            Action::ManageTracks,
            [N, N, N, N, N, N, Y],
            [N, N, N, Y, N, N],
        ),
        (
            Action::ManageServices,
            [N, N, N, N, N, N, Y],
            [N, N, N, Y, N, N],
        ),
        (
            Action::ManageGates,
            [N, N, N, N, N, N, Y],
            [N, N, N, Y, N, N],
        ),
        (
            Action::ManageTokens,
            [N, N, N, N, N, N, Y],
            [N, N, N, N, N, N],
        ),
        (
            Action::VerifyAudit,
            [N, N, N, N, N, N, Y],
            [N, N, N, N, N, N],
        ),
        (
            Action::ManageRotation,
            [N, N, N, N, N, N, Y],
            [N, N, N, N, N, N],
        ),
        (
            Action::ManagePolicy,
            [N, N, N, N, N, N, Y],
            [N, N, N, Y, N, N],
        ),
        (
            Action::ManageWebhooks,
            [N, N, N, N, N, N, Y],
            [N, N, N, N, N, N],
        ),
        (
            Action::EditReleaseNotes,
            [N, N, Y, Y, N, N, N],
            [N, N, Y, N, N, N],
        ),
        (
            Action::ReportDeployment,
            [N, N, Y, N, N, N, N],
            [N, N, N, N, Y, N],
        ),
        (
            Action::ReportIncident,
            [N, N, Y, N, N, N, N],
            [N, N, N, N, N, Y],
        ),
        (
            Action::ConfirmIncidentLink,
            [N, N, Y, N, N, N, N],
            [N, N, N, N, N, N],
        ),
    ]
};

/// One of each role; approver roles for two environments stand for all.
fn roles() -> [Role; 7] {
    [
        Role::Viewer,
        Role::Owner,
        Role::Captain,
        Role::Communications,
        Role::approver("stage"),
        Role::approver("prod"),
        Role::Admin,
    ]
}

fn train() -> Resource {
    Resource::Train("2025.09-wk3".into())
}

#[test]
fn the_matrix_names_every_action_once() {
    let listed: Vec<Action> = MATRIX.iter().map(|(a, _, _)| *a).collect();
    assert_eq!(listed, Action::ALL);
}

#[test]
fn every_role_is_allowed_exactly_what_the_matrix_says() {
    for (action, by_role, _) in MATRIX {
        for (role, expected) in roles().into_iter().zip(by_role) {
            let user = Principal::User {
                roles: RoleSet::new([role.clone()]),
            };
            let decision = permit(&user, action, &train());
            assert_eq!(
                decision.is_allowed(),
                expected,
                "{role} × {action:?}: {decision:?}"
            );
            if let Decision::Deny(reason) = decision {
                assert!(reason.contains(action.verb()), "{reason}");
                assert!(
                    reason.contains(&role.name()),
                    "the reason names the held role: {reason}"
                );
            }
        }
    }
}

#[test]
fn every_scope_is_allowed_exactly_what_the_matrix_says() {
    for (action, _, by_scope) in MATRIX {
        for (scope, expected) in Scope::ALL.into_iter().zip(by_scope) {
            let token = Principal::Token {
                scopes: ScopeSet::new([scope]),
                reach: Reach::everywhere(),
            };
            assert_eq!(
                permit(&token, action, &train()).is_allowed(),
                expected,
                "{scope} × {action:?}"
            );
        }
    }
}

#[test]
fn several_roles_add_up() {
    let both = Principal::User {
        roles: RoleSet::new([Role::Captain, Role::approver("prod")]),
    };
    assert!(permit(&both, Action::Approve, &train()).is_allowed());
    assert!(permit(&both, Action::Rollback, &train()).is_allowed());
    assert!(!permit(&both, Action::ManageTokens, &train()).is_allowed());
}

#[test]
fn anonymous_visitors_may_read_only_when_allowed_and_never_change() {
    for action in Action::ALL {
        for may_read in [true, false] {
            let decision = permit(&Principal::Anonymous { may_read }, action, &train());
            let expected = action == Action::Read && may_read;
            assert_eq!(
                decision.is_allowed(),
                expected,
                "{action:?} may_read={may_read}"
            );
            if !expected {
                assert!(matches!(decision, Decision::SignIn(_)), "{decision:?}");
            }
        }
    }
}

#[test]
fn the_system_may_do_everything() {
    for action in Action::ALL {
        assert!(permit(&Principal::System, action, &Resource::Site).is_allowed());
    }
}

#[test]
fn a_refusal_says_what_is_needed_and_on_what() {
    let viewer = Principal::User {
        roles: RoleSet::new([Role::Viewer]),
    };
    assert_eq!(
        permit(&viewer, Action::Rollback, &train()),
        Decision::Deny(
            "you may not roll back on train 2025.09-wk3: that needs the captain role, and you have viewer"
                .into()
        )
    );
    let token = Principal::Token {
        scopes: ScopeSet::new([Scope::GatesWrite]),
        reach: Reach::everywhere(),
    };
    let Decision::Deny(reason) = permit(&token, Action::UploadEvidence, &train()) else {
        panic!("a gates token must not upload evidence");
    };
    assert!(reason.contains("evidence:write"), "{reason}");
}

/// A token with `scope` that may act on the trains of track dev and on
/// train Q4-curve-upgrade.
fn limited(scope: Scope) -> Principal {
    Principal::Token {
        scopes: ScopeSet::new([scope]),
        reach: Reach::parse("dev", "Q4-curve-upgrade").unwrap(),
    }
}

fn on_track(name: &str, track: &str) -> Resource {
    Resource::TrainOnTrack {
        name: name.into(),
        track: track.into(),
    }
}

#[test]
fn a_limited_token_may_do_what_its_scopes_allow_on_the_trains_it_reaches() {
    let reached = [
        on_track("v0.5.0-dev.1", "dev"),
        Resource::Train("Q4-curve-upgrade".into()),
        on_track("Q4-curve-upgrade", "staging"),
    ];
    for (action, _, by_scope) in MATRIX {
        for (scope, expected) in Scope::ALL.into_iter().zip(by_scope) {
            for train in &reached {
                assert_eq!(
                    permit(&limited(scope), action, train).is_allowed(),
                    expected,
                    "{scope} × {action:?} on {train:?}"
                );
            }
        }
    }
}

#[test]
fn a_limited_token_may_only_read_beyond_the_trains_it_reaches() {
    let beyond = [
        on_track("v0.5.0-staging.1", "staging"),
        Resource::Train("Q1-other".into()),
        Resource::Site,
        Resource::Calendar,
        Resource::Service("curve".into()),
        Resource::Tracks,
        Resource::Gates,
        Resource::Tokens,
        Resource::Webhooks,
        Resource::Audit,
    ];
    for action in Action::ALL {
        for scope in Scope::ALL {
            for resource in &beyond {
                assert_eq!(
                    permit(&limited(scope), action, resource).is_allowed(),
                    action == Action::Read,
                    "{scope} × {action:?} on {resource:?}"
                );
            }
        }
    }
}

#[test]
fn a_track_limited_token_is_refused_a_train_whose_track_was_not_given() {
    let decision = permit(
        &limited(Scope::GatesWrite),
        Action::RecordGateResults,
        &Resource::Train("v0.5.0-dev.1".into()),
    );
    assert!(!decision.is_allowed(), "{decision:?}");
}

#[test]
fn a_refusal_beyond_the_reach_names_the_reach() {
    assert_eq!(
        permit(
            &limited(Scope::GatesWrite),
            Action::RecordGateResults,
            &on_track("v0.5.0-staging.1", "staging"),
        ),
        Decision::Deny(
            "this token may act only on the trains of track dev and train Q4-curve-upgrade; \
             it may not record gate results on train v0.5.0-staging.1"
                .into()
        )
    );
}

#[test]
fn a_missing_scope_is_refused_before_the_reach_is_judged() {
    let Decision::Deny(reason) = permit(
        &limited(Scope::GatesWrite),
        Action::UploadEvidence,
        &on_track("v0.5.0-staging.1", "staging"),
    ) else {
        panic!("a gates token must not upload evidence");
    };
    assert!(reason.contains("evidence:write"), "{reason}");
}

#[test]
fn a_token_stored_before_reaches_existed_reaches_every_train() {
    let principal: Principal =
        serde_json::from_str(r#"{"Token":{"scopes":["GatesWrite"]}}"#).unwrap();
    assert_eq!(
        principal,
        Principal::Token {
            scopes: ScopeSet::new([Scope::GatesWrite]),
            reach: Reach::everywhere(),
        }
    );
}
