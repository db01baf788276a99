//! Owners edit the calendar through the same server functions the forms
//! post to; everyone else is refused, and every edit is audited.

use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;
use serde_json::Value;

/// Posts a form to a server function as a signed-in browser would.
pub async fn post_form(who: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = who
        .request(Method::POST, &format!("/sfn/{endpoint}"))
        .header("origin", &who.address)
        .form(form)
        .send()
        .await
        .expect("a response");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The first demo train still open on the calendar, with its on-call.
pub async fn next_open_train(app: &TestApp) -> (String, Option<String>) {
    sqlx::query_as(
        "SELECT name, on_call FROM train WHERE status = 'open' AND state = 'planning'
         AND planned_start > now() + interval '1 hour' AND track_id IS NOT NULL ORDER BY planned_start LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

async fn audit_actions(app: &TestApp, resource: &str) -> Vec<(String, Option<String>, String)> {
    sqlx::query_as(
        "SELECT action, reason, actor FROM audit_record
         WHERE resource = $1 AND action LIKE 'calendar.%' ORDER BY audit_record_id",
    )
    .bind(resource)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_owner_assigns_moves_and_skips_a_planned_train_and_each_edit_is_audited() {
    let app = spawn_app_with_sign_in(&[]).await;
    let olivia = sign_in(&app, "olivia").await;
    let (train, _) = next_open_train(&app).await;

    let (code, body) = post_form(
        &olivia,
        "calendar/on-call",
        &[("name", &train), ("on_call", "@dana")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let on_call: Option<String> = sqlx::query_scalar("SELECT on_call FROM train WHERE name = $1")
        .bind(&train)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(on_call.as_deref(), Some("dana"));

    let to = (chrono::Utc::now() + chrono::Duration::days(60))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let (code, body) = post_form(
        &olivia,
        "calendar/move",
        &[("name", &train), ("to", &to), ("reason", "release party")],
    )
    .await;
    assert_eq!(code, 422, "past its slot a move is a postponement: {body}");
    assert!(body.to_string().contains("category"), "{body}");
    let (code, body) = post_form(
        &olivia,
        "calendar/move",
        &[
            ("name", &train),
            ("to", &to),
            ("reason", "release party"),
            ("category", "team event"),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (status, category): (String, Option<String>) =
        sqlx::query_as("SELECT status, status_category FROM train WHERE name = $1")
            .bind(&train)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), category.as_deref()),
        ("postponed", Some("team event"))
    );
    let (moved, slot): (
        chrono::DateTime<chrono::Utc>,
        Option<chrono::DateTime<chrono::Utc>>,
    ) = sqlx::query_as("SELECT planned_start, cadence_slot FROM train WHERE name = $1")
        .bind(&train)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(moved.format("%Y-%m-%dT%H:%M").to_string(), to);
    assert!(slot.is_some(), "the slot it was planned for is kept");

    let (code, body) = post_form(
        &olivia,
        "calendar/skip",
        &[("name", &train), ("reason", "nobody can watch it")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (status, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status, status_reason FROM train WHERE name = $1")
            .bind(&train)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_deref()),
        ("skipped", Some("nobody can watch it"))
    );

    let trail = audit_actions(&app, &format!("train:{train}")).await;
    let actions: Vec<&str> = trail.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["calendar.assign_on_call", "calendar.move", "calendar.skip"]
    );
    assert!(trail.iter().all(|(_, _, actor)| actor != "anonymous"));
    assert_eq!(trail[2].1.as_deref(), Some("nobody can watch it"));

    // A skipped train is no longer open: changing it again is a conflict.
    let (code, body) = post_form(
        &olivia,
        "calendar/on-call",
        &[("name", &train), ("on_call", "ana")],
    )
    .await;
    assert_eq!(code, 409, "{body}");
    assert!(body.to_string().contains("skipped"), "{body}");
}

#[tokio::test]
async fn a_viewer_or_a_cross_site_form_cannot_edit_the_calendar_and_nothing_changes() {
    let app = spawn_app_with_sign_in(&[]).await;
    let (train, before) = next_open_train(&app).await;
    let val = sign_in(&app, "val").await;
    let (code, body) = post_form(
        &val,
        "calendar/skip",
        &[("name", &train), ("reason", "forged")],
    )
    .await;
    assert_eq!(code, 403, "{body}");
    assert!(
        body.to_string().contains("may not edit the calendar"),
        "{body}"
    );

    let olivia = sign_in(&app, "olivia").await;
    let forged = olivia
        .request(Method::POST, "/sfn/calendar/skip")
        .header("origin", "https://evil.example")
        .form(&[("name", train.as_str()), ("reason", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged
        .text()
        .await
        .unwrap()
        .contains("cross-site request refused"));

    let (code, _) = post_form(
        &app.anonymous(),
        "calendar/skip",
        &[("name", &train), ("reason", "x")],
    )
    .await;
    assert_eq!(code, 401);

    let after: (String, Option<String>) =
        sqlx::query_as("SELECT status, on_call FROM train WHERE name = $1")
            .bind(&train)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(after, ("open".to_owned(), before));
    assert!(audit_actions(&app, &format!("train:{train}"))
        .await
        .is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_it_concerns() {
    let app = spawn_app_with_sign_in(&[]).await;
    let olivia = sign_in(&app, "olivia").await;
    let (train, _) = next_open_train(&app).await;
    let field = |body: &Value| -> String {
        body.get("Unprocessable")
            .or_else(|| body.get("BadRequest"))
            .and_then(|b| b["field"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: [Case; 6] = [
        (
            "calendar/on-call",
            vec![("name", &train), ("on_call", "@TBD")],
            "on_call",
            "is nobody",
        ),
        (
            "calendar/skip",
            vec![("name", &train), ("reason", "  ")],
            "reason",
            "give a reason",
        ),
        (
            "calendar/move",
            vec![("name", &train), ("to", "2020-01-01T10:00"), ("reason", "")],
            "to",
            "future",
        ),
        (
            "calendar/move",
            vec![("name", &train), ("to", "next week"), ("reason", "")],
            "to",
            "YYYY-MM-DDTHH:MM",
        ),
        (
            "calendar/freeze/save",
            vec![
                ("starts_at", "2031-01-02T10:00"),
                ("ends_at", "2031-01-01T10:00"),
                ("reason", "x"),
                ("effect", "block"),
            ],
            "ends_at",
            "must end after it starts",
        ),
        (
            "calendar/freeze/save",
            vec![
                ("starts_at", "2031-01-01T10:00"),
                ("ends_at", "2031-01-02T10:00"),
                ("reason", "x"),
                ("tracks[]", "nightly"),
                ("effect", "block"),
            ],
            "tracks",
            "no track named",
        ),
    ];
    for (endpoint, form, expected_field, words) in cases {
        let (code, body) = post_form(&olivia, endpoint, &form).await;
        assert_eq!(code, 422, "{endpoint} {form:?}: {body}");
        assert_eq!(field(&body), expected_field, "{endpoint}: {body}");
        assert!(body.to_string().contains(words), "{endpoint}: {body}");
    }
    let changed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_record WHERE action LIKE 'calendar.%' OR action LIKE 'freeze.%'",
    )
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        changed, 2,
        "only the demo's two freezes: refused edits write nothing"
    );
}

#[tokio::test]
async fn only_admins_set_the_rotation_and_the_calendar_names_this_months_owner() {
    let app = spawn_app_with_sign_in(&[]).await;
    let html = app.page("/calendar").await;
    assert!(html.contains("Calendar owner this month: "), "{html}");
    assert!(
        html.contains(">dev infra<"),
        "the demo's rotation starts this month with dev infra"
    );

    let olivia = sign_in(&app, "olivia").await;
    let form = [
        ("teams", "validators\ndev infra"),
        ("starts_on", "2026-01-01"),
    ];
    let (code, body) = post_form(&olivia, "calendar/rotation/save", &form).await;
    assert_eq!(
        code, 403,
        "owners edit the calendar, not who owns it: {body}"
    );

    let adam = sign_in(&app, "adam").await;
    let (code, body) = post_form(
        &adam,
        "calendar/rotation/save",
        &[("teams", "a\nA"), ("starts_on", "2026-01-01")],
    )
    .await;
    assert_eq!(code, 422, "{body}");
    assert!(body.to_string().contains("listed twice"));
    let this_month = chrono::Utc::now().format("%Y-%m-01").to_string();
    let (code, body) = post_form(
        &adam,
        "calendar/rotation/save",
        &[
            ("teams", "validators\ndev infra"),
            ("starts_on", &this_month),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let html = app.page("/calendar").await;
    assert!(html.contains(">validators<"), "{html}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_record WHERE action = 'rotation.update' AND actor <> 'demo'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}
