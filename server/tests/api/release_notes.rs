//! What CI reports a train contains, and the notes made of it: changes are
//! recorded once per commit, only for a participant, sorted into seed 004's
//! sections (or the organisation's own), breaking ones called out first.

use crate::api_client::{config_job, create, error_code, seed_train};
use crate::helpers::{spawn_app, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

fn commit(sha: &str, title: &str, labels: &[&str]) -> Value {
    json!({
        "sha": sha, "title": title, "author": "ana",
        "committed_at": "2026-12-01T10:00:00Z", "pr_number": 12,
        "pr_url": "https://git.example/curve/pull/12", "labels": labels
    })
}

async fn report(
    app: &TestApp,
    train: &str,
    participant: &str,
    changes: Vec<Value>,
) -> (u16, Value) {
    let body = json!({ "participant": participant, "changes": changes });
    app.api(
        Method::POST,
        &format!("/api/v1/release-trains/{train}/changes"),
        Some(body),
    )
    .await
}

async fn notes(app: &TestApp, train: &str) -> String {
    let response = app
        .get(&format!("/api/v1/release-trains/{train}/release-notes.md"))
        .await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    response.text().await.unwrap()
}

#[tokio::test]
async fn reported_changes_land_once_in_their_sections() {
    let app = spawn_app(&[]).await;
    let (code, body) = create(&app, seed_train("notes-1")).await;
    assert_eq!(code, 201, "{body}");
    let changes = vec![
        commit("aaaaaaa1", "feat(curve)!: drop v1 curves", &[]),
        commit("bbbbbbb2", "ci: cache the toolchain", &[]),
        commit("ccccccc3", "NaN on holidays", &["known-issue"]),
    ];
    let (code, first) = report(&app, "notes-1", "curve", changes.clone()).await;
    assert_eq!(code, 200, "{first}");
    assert_eq!(first, json!({ "added": 3, "already_known": 0 }));
    let (_, again) = report(&app, "notes-1", "curve", changes).await;
    assert_eq!(
        again,
        json!({ "added": 0, "already_known": 3 }),
        "idempotent by sha"
    );

    let (code, listed) = app
        .api(Method::GET, "/api/v1/release-trains/notes-1/changes", None)
        .await;
    assert_eq!(code, 200);
    let sections: Vec<(&str, &str)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["sha"].as_str().unwrap(), c["section"].as_str().unwrap()))
        .collect();
    assert!(sections.contains(&("aaaaaaa1", "Highlights")), "{listed}");
    assert!(
        sections.contains(&("bbbbbbb2", "Infrastructure Changes")),
        "{listed}"
    );
    assert!(sections.contains(&("ccccccc3", "Known Issues")), "{listed}");
    assert_eq!(listed[0]["breaking"], true, "{listed}");

    let md = notes(&app, "notes-1").await;
    let breaking = md.find("**Breaking changes**").expect(&md);
    let highlights = md.find("## Highlights").expect(&md);
    let infrastructure = md.find("## Infrastructure Changes").expect(&md);
    let known = md.find("## Known Issues").expect(&md);
    let versions = md.find("## Versions").expect(&md);
    assert!(breaking < highlights && highlights < infrastructure && infrastructure < known);
    assert!(known < versions, "{md}");
    assert!(
        md[infrastructure..known].contains("cache the toolchain"),
        "{md}"
    );
    assert!(md[known..versions].contains("NaN on holidays"), "{md}");
    assert!(md.contains("| curve | 2.0.0 | 1.9.3 |"), "{md}");

    let recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_record WHERE action = 'train.report_changes'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(recorded, 1, "a report that adds nothing records nothing");
}

#[tokio::test]
async fn a_report_names_what_it_gets_wrong_and_stores_nothing() {
    let app = spawn_app(&[]).await;
    create(&app, seed_train("notes-2")).await;
    let (code, body) = report(
        &app,
        "notes-2",
        "ledger",
        vec![commit("aaaaaaa1", "x", &[])],
    )
    .await;
    assert_eq!((code, error_code(&body)), (422, "unprocessable"), "{body}");
    assert_eq!(body["error"]["field"], "participant", "{body}");
    let changes = vec![commit("aaaaaaa1", "ok", &[]), commit("not-a-sha", "x", &[])];
    let (code, body) = report(&app, "notes-2", "curve", changes).await;
    assert_eq!(code, 422, "{body}");
    assert_eq!(body["error"]["field"], "changes[1].sha", "{body}");
    let (_, listed) = app
        .api(Method::GET, "/api/v1/release-trains/notes-2/changes", None)
        .await;
    assert_eq!(listed, json!([]), "all or nothing");
    let (code, _) = app
        .anonymous()
        .api(
            Method::POST,
            "/api/v1/release-trains/notes-2/changes",
            Some(json!({ "participant": "curve", "changes": [] })),
        )
        .await;
    assert_eq!(code, 401);
}

#[tokio::test]
async fn an_organisation_names_its_own_sections() {
    let app = spawn_app(&[]).await;
    create(&app, seed_train("notes-3")).await;
    report(
        &app,
        "notes-3",
        "curve",
        vec![commit("aaaaaaa1", "fix: nan", &["bug"])],
    )
    .await;
    let mine = json!({
        "categories": [
            { "title": "Fixes", "labels": ["bug"] },
            { "title": "Everything else", "labels": ["*"] }
        ],
        "exclude_labels": []
    });
    let (code, _) = app
        .api(
            Method::PUT,
            "/api/v1/release-notes/categories",
            Some(mine.clone()),
        )
        .await;
    assert_eq!(
        code, 403,
        "a trains:write token does not set the organisation's sections"
    );
    let job = config_job(&app).await;
    let (code, body) = job
        .api(Method::PUT, "/api/v1/release-notes/categories", Some(mine))
        .await;
    assert_eq!(code, 200, "{body}");
    let md = notes(&app, "notes-3").await;
    assert!(md.contains("## Fixes\n\n- **curve**: fix: nan"), "{md}");
    assert!(md.contains("## Everything else\n\nNone."), "{md}");
}

#[tokio::test]
async fn each_service_shows_what_changed_since_the_last_train_that_shipped_it() {
    let app = spawn_app(&[]).await;
    let train = |name: &str, curve: &str| {
        json!({
            "name": name, "gates": [],
            "participants": [{ "service": "curve", "target_version": curve }, "backtesting"]
        })
    };
    for (name, curve) in [("shipped", "2.0.0"), ("failed", "2.0.5"), ("next", "2.1.0")] {
        let (code, body) = create(&app, train(name, curve)).await;
        assert_eq!(code, 201, "{body}");
    }
    for to in [
        "validating",
        "staging",
        "executing",
        "verifying",
        "completed",
    ] {
        let (code, body) = crate::api_client::transition(&app, "shipped", to).await;
        assert_eq!(code, 200, "{to}: {body}");
    }
    crate::api_client::transition(&app, "failed", "failed").await;
    let (code, _) = report(
        &app,
        "next",
        "curve",
        vec![commit("ddddddd4", "fix: EUR holidays", &[])],
    )
    .await;
    assert_eq!(code, 200);

    let (code, services) = app
        .api(
            Method::GET,
            "/api/v1/release-trains/next/changes/by-service",
            None,
        )
        .await;
    assert_eq!(code, 200, "{services}");
    let curve = &services[0];
    assert_eq!(curve["service"], "curve");
    assert_eq!(curve["version"], "2.1.0");
    assert_eq!(
        curve["since"],
        json!({ "train": "shipped", "tag": null, "version": "2.0.0" }),
        "the failed train in between shipped nothing"
    );
    assert_eq!(curve["changes"][0]["sha"], "ddddddd4");
    assert_eq!(curve["changes"].as_array().unwrap().len(), 1);
    let backtesting = &services[1];
    assert_eq!(backtesting["service"], "backtesting");
    assert_eq!(backtesting["changes"], json!([]));
}

#[tokio::test]
async fn a_completed_train_gets_post_release_notes_from_its_changes_and_health() {
    let app = spawn_app(&[]).await;
    let (code, body) = create(
        &app,
        json!({ "name": "post", "gates": [],
                "participants": [{ "service": "curve", "target_version": "2.1.0" }] }),
    )
    .await;
    assert_eq!(code, 201, "{body}");
    let (code, _) = app
        .api(
            Method::GET,
            "/api/v1/release-trains/post/post-release-notes",
            None,
        )
        .await;
    assert_eq!(code, 404, "none before completion");
    report(
        &app,
        "post",
        "curve",
        vec![
            commit("aaaaaaa1", "feat: EUR holidays", &[]),
            commit("bbbbbbb2", "add holiday column", &["migration"]),
        ],
    )
    .await;
    for to in ["validating", "staging", "executing"] {
        crate::api_client::transition(&app, "post", to).await;
    }
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/services/curve/health",
            Some(json!({ "environment": "prod",
                         "samples": [{ "metric": "error_rate_pct", "value": 0.5 }] })),
        )
        .await;
    assert!(code < 300, "{code} {body}");
    for to in ["verifying", "completed"] {
        let (code, body) = crate::api_client::transition(&app, "post", to).await;
        assert_eq!(code, 200, "{to}: {body}");
    }

    let (code, notes) = app
        .api(
            Method::GET,
            "/api/v1/release-trains/post/post-release-notes",
            None,
        )
        .await;
    assert_eq!(code, 200, "{notes}");
    let text = notes["markdown"].as_str().unwrap();
    for part in [
        "# Post-release notes: post",
        "Features:\n\n- **curve**: feat: EUR holidays ([#12]",
        "## Migrations executed\n\n- **curve**: add holiday column",
        "| curve | prod | error\\_rate\\_pct | 0.5 | 1 |",
        "No rollback.",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    let recorded: Value = sqlx::query_scalar(
        "SELECT after FROM audit_record WHERE action = 'train.post_release_notes'
         AND resource = 'train:post'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(recorded["markdown"], text);
}
