//! The permission matrix through HTTP: every demo user (one per role) signed
//! in through the real provider tries every action that has a route (API
//! routes and server functions); the result must be what the pure
//! permission function says for their roles, and a refusal is a 403 with the
//! reason. Tokens and anonymous callers are checked the same way.

use crate::api_client::seed_train;
use crate::helpers::{spawn_app, TestApp};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use app::domain::access::{permit, Action, Principal, Reach, Resource, Role, RoleSet, ScopeSet};
use app::services::actor::Actor;
use reqwest::Method;
use serde_json::json;

/// The demo users and the roles the provider gives them.
fn users() -> [(&'static str, Vec<Role>); 6] {
    [
        ("val", vec![Role::Viewer]),
        ("olivia", vec![Role::Owner]),
        ("carl", vec![Role::Captain]),
        ("ana", vec![Role::approver("stage"), Role::approver("prod")]),
        ("ben", vec![Role::approver("prod")]),
        ("adam", vec![Role::Admin]),
    ]
}

/// Sends one action's request as `who`; returns the status and body.
async fn attempt(who: &TestApp, action: Action, tag: &str) -> (u16, String) {
    let train = "matrix";
    let (method, path, body): (Method, String, Option<serde_json::Value>) = match action {
        Action::Read => (Method::GET, "/api/v1/release-trains".into(), None),
        Action::ManageTrains => (
            Method::POST,
            "/api/v1/release-trains".into(),
            Some(seed_train(&format!("matrix-{tag}"))),
        ),
        Action::RecordGateResults => (
            Method::POST,
            format!("/api/v1/release-trains/{train}/gate-results"),
            Some(
                json!({ "results": [{ "participant": "curve", "gate": "quality_score", "value": 91 }] }),
            ),
        ),
        Action::ReportServiceStatus => (
            Method::PUT,
            "/api/v1/services/scenario/status".into(),
            Some(json!({ "status": "deploying", "version": "1.0.0" })),
        ),
        Action::Rollback => (
            Method::POST,
            format!("/api/v1/release-trains/{train}/rollback"),
            Some(json!({ "reason": "matrix check" })),
        ),
        Action::UploadEvidence => (
            Method::POST,
            format!("/api/v1/release-trains/{train}/evidence"),
            None,
        ),
        Action::ReadAudit => (Method::POST, "/sfn/audit/records".into(), None),
        Action::ManageTokens => (Method::POST, "/sfn/admin/tokens".into(), None),
        Action::VerifyAudit => (Method::POST, "/sfn/admin/audit/verify".into(), None),
        Action::EditCalendar | Action::ManageRotation => (
            Method::POST,
            if action == Action::EditCalendar {
                "/sfn/calendar/freeze/save"
            } else {
                "/sfn/calendar/rotation/save"
            }
            .into(),
            None,
        ),
        Action::RequestPromotion => (
            Method::POST,
            format!("/api/v1/release-trains/{train}/promotions"),
            Some(json!({ "note": "matrix check" })),
        ),
        Action::BreakGlass => (
            Method::POST,
            format!("/api/v1/release-trains/{train}/promotions/break-glass"),
            Some(json!({ "note": "matrix check" })),
        ),
        Action::ManagePolicy => (
            Method::POST,
            "/api/v1/environments".into(),
            Some(json!({ "name": format!("m-{tag}"), "kind": "preview" })),
        ),
        Action::ManageServices => (
            Method::POST,
            "/api/v1/services".into(),
            Some(json!({ "name": format!("matrix-{tag}"), "depends_on": ["curve"] })),
        ),
        Action::ManageGates => (
            Method::POST,
            "/api/v1/gate-templates".into(),
            Some(json!({ "name": format!("m-{tag}"), "gates": ["no_open_critical_vulns"] })),
        ),
        Action::ManageTracks => (
            Method::POST,
            "/api/v1/tracks".into(),
            Some(json!({ "name": format!("m-{tag}") })),
        ),
        other => panic!("{other:?} has no route yet"),
    };
    let mut request = who.request(method, &path).header("origin", &who.address);
    request = match (body, path.starts_with("/sfn/")) {
        (Some(body), _) => request.json(&body),
        (None, true) if action == Action::ReadAudit => request
            .header("content-type", "application/x-www-form-urlencoded")
            .body("filter[page]=1"),
        (None, true) if action == Action::EditCalendar => request.form(&[
            ("starts_at", "2031-01-01T10:00"),
            ("ends_at", "2031-01-02T10:00"),
            ("reason", "matrix check"),
            ("effect", "block"),
        ]),
        (None, true) if action == Action::ManageRotation => request.form(&[
            ("teams", "dev infra\nvalidators"),
            ("starts_on", "2026-01-01"),
        ]),
        (None, true) => request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(""),
        (None, false) if action == Action::UploadEvidence => {
            let summary = b"matrix check: every gate passed\n".to_vec();
            let digest = app::domain::evidence::digest_of(&summary).to_string();
            let file = reqwest::multipart::Part::bytes(summary).file_name("summary.txt");
            request.multipart(
                reqwest::multipart::Form::new()
                    .text("kind", "summary")
                    .text("sha256", digest)
                    .part("file", file),
            )
        }
        (None, false) => request,
    };
    let response = request.send().await.expect("a response");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// Every action that can be reached over HTTP today.
const ROUTED: [Action; 17] = [
    Action::Read,
    Action::ReadAudit,
    Action::ManageTrains,
    Action::RecordGateResults,
    Action::UploadEvidence,
    Action::ReportServiceStatus,
    Action::Rollback,
    Action::ManageTokens,
    Action::VerifyAudit,
    Action::EditCalendar,
    Action::ManageRotation,
    Action::RequestPromotion,
    Action::BreakGlass,
    Action::ManagePolicy,
    Action::ManageServices,
    Action::ManageTracks,
    Action::ManageGates,
];

fn check(who: &str, principal: &Principal, action: Action, (status, body): (u16, String)) {
    let decision = permit(principal, action, &Resource::Train("matrix".into()));
    if decision.is_allowed() {
        assert!(
            !matches!(status, 401 | 403),
            "{who} may {action:?} but got {status}: {body}"
        );
    } else {
        assert!(
            matches!(status, 401 | 403),
            "{who} may not {action:?} but got {status}: {body}"
        );
        if status == 403 {
            assert!(
                body.contains("may not"),
                "{who} {action:?}: the reason is missing: {body}"
            );
        }
    }
}

/// The train the gate-result and rollback attempts act on.
async fn create_matrix_train(app: &TestApp) {
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains",
            Some(seed_train("matrix")),
        )
        .await;
    assert_eq!(code, 201, "{body}");
}

#[tokio::test]
async fn every_role_gets_exactly_its_permissions_through_http() {
    let app = spawn_app_with_sign_in(&[]).await;
    create_matrix_train(&app).await;
    for (user, roles) in users() {
        let signed_in = sign_in(&app, user).await;
        let principal = Principal::User {
            roles: RoleSet::new(roles),
        };
        for action in ROUTED {
            let outcome = attempt(&signed_in, action, user).await;
            check(user, &principal, action, outcome);
        }
    }
}

#[tokio::test]
async fn tokens_and_anonymous_callers_get_exactly_their_permissions_through_http() {
    let app = spawn_app(&[]).await;
    create_matrix_train(&app).await;
    for scope in [
        "gates:write",
        "evidence:write",
        "trains:write",
        "config:write",
    ] {
        let token = app::services::tokens::create_token(
            &app.pool,
            &Actor::new("test"),
            &format!("t-{}", scope.replace(':', "-")),
            scope,
            "",
            "",
            None,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let caller = app.with_bearer(&token.secret);
        let principal = Principal::Token {
            scopes: ScopeSet::parse(scope).unwrap(),
            reach: Reach::everywhere(),
        };
        for action in ROUTED {
            let outcome = attempt(&caller, action, &scope.replace(':', "-")).await;
            check(scope, &principal, action, outcome);
        }
    }
    let anonymous = app.anonymous();
    for action in ROUTED {
        let outcome = attempt(&anonymous, action, "anon").await;
        check(
            "anonymous",
            &Principal::Anonymous { may_read: true },
            action,
            outcome,
        );
    }
}

#[tokio::test]
async fn the_service_layer_refuses_each_role_what_the_matrix_denies() {
    let app = spawn_app(&[]).await;
    let now = chrono::Utc::now();
    for role in Role::FIXED.into_iter().chain([Role::approver("prod")]) {
        let actor = Actor::user(format!("u-{role}"), None, RoleSet::new([role.clone()]));
        let created = app::services::trains::create_train(
            &app.pool,
            &actor,
            serde_json::from_value(seed_train(&format!(
                "svc-{}",
                role.name().replace(':', "-")
            )))
            .unwrap(),
            now,
        )
        .await;
        let tokens = app::services::tokens::list_tokens(&app.pool, &actor, now).await;
        let audit = app::services::audit_log::check(&app.pool, &actor).await;
        let calendar = app::services::calendar::calendar_view(&app.pool, &actor, now, 10).await;
        for (action, ok) in [
            (Action::ManageTrains, created.is_ok()),
            (Action::ManageTokens, tokens.is_ok()),
            (Action::VerifyAudit, audit.is_ok()),
            (Action::Read, calendar.is_ok()),
        ] {
            let expected = permit(&actor.principal, action, &Resource::Site).is_allowed();
            assert_eq!(ok, expected, "{role} × {action:?}");
        }
        if let Err(e) = created {
            assert_eq!(e.status_code(), 403, "{e}");
        }
    }
}
