//! Issue 17's sessions: a change of rights under a signed-in session (the
//! deployment's role map changes) replaces the session id, records the
//! change once, and takes the rights away at once; a person left without
//! any role is signed out.

use crate::helpers::{spawn_second_instance_with, TestApp};
use crate::oidc::{sign_in, spawn_app_with_sign_in};

async fn session_ids(pool: &sqlx::PgPool, subject: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT session_id FROM session WHERE data -> 'user' ->> 'subject' = $1")
        .bind(subject)
        .fetch_all(pool)
        .await
        .unwrap()
}

/// (before, after) of every `auth.roles_change` record about `subject`.
async fn role_changes(
    pool: &sqlx::PgPool,
    subject: &str,
) -> Vec<(serde_json::Value, serde_json::Value)> {
    sqlx::query_as(
        "SELECT before, after FROM audit_record
         WHERE action = 'auth.roles_change' AND resource = 'user:' || $1 ORDER BY audit_record_id",
    )
    .bind(subject)
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The home page as a browser holding only `session_id` sees it.
async fn page_with_cookie(app: &TestApp, session_id: &str) -> String {
    let html = reqwest::Client::new()
        .get(format!("{}/", app.address))
        .header("cookie", format!("trainyard_session={session_id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    crate::helpers::strip_markers(&html)
}

#[tokio::test]
async fn a_role_taken_away_leaves_the_session_at_once_under_a_new_id() {
    let app = spawn_app_with_sign_in(&[]).await;
    let ana = sign_in(&app, "ana").await;
    assert!(ana
        .page("/")
        .await
        .contains("approver:prod, approver:stage"));
    let before = session_ids(&app.pool, "ana").await;
    assert_eq!(before.len(), 1);
    // The deployment now grants approver:prod to nobody (an instance
    // started with the new TRAINYARD_ROLE_MAP, on the same database).
    let changed = spawn_second_instance_with(
        &app,
        &[("TRAINYARD_ROLE_MAP", "approver:stage=approver:stage")],
    )
    .await;
    let ana = TestApp {
        address: changed.address.clone(),
        ..ana
    };
    let header = ana.page("/").await;
    assert!(header.contains("Ana Approver"), "still signed in");
    assert!(header.contains("approver:stage"), "{header}");
    assert!(
        !header.contains("approver:prod"),
        "the role is gone at once"
    );
    let after = session_ids(&app.pool, "ana").await;
    assert_eq!(after.len(), 1, "one session, under a new id");
    assert_ne!(after, before);
    // Whoever kept the old id holds nothing.
    let stale = page_with_cookie(&changed, &before[0]).await;
    assert!(!stale.contains("Ana Approver"), "the old id still signs in");
    // Recorded once, however many requests follow.
    assert!(ana.page("/").await.contains("Ana Approver"));
    let changes = role_changes(&app.pool, "ana").await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        changes[0].0["roles"],
        serde_json::json!(["approver:prod", "approver:stage"])
    );
    assert_eq!(changes[0].1["roles"], serde_json::json!(["approver:stage"]));
    assert_eq!(session_ids(&app.pool, "ana").await, after);
}

#[tokio::test]
async fn a_person_left_without_any_role_is_signed_out() {
    let app = spawn_app_with_sign_in(&[]).await;
    let val = sign_in(&app, "val").await;
    assert!(val.page("/").await.contains("Val Viewer"));
    let strict = spawn_second_instance_with(
        &app,
        &[
            ("TRAINYARD_ROLE_MAP", "owner=owner"),
            ("TRAINYARD_UNMAPPED_USERS", "refuse"),
        ],
    )
    .await;
    let val = TestApp {
        address: strict.address.clone(),
        ..val
    };
    assert!(!val.page("/").await.contains("Val Viewer"), "signed out");
    assert!(session_ids(&app.pool, "val").await.is_empty());
    let changes = role_changes(&app.pool, "val").await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].1["roles"], serde_json::json!([]));
}
