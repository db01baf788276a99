//! The control-room pages as the server renders them (what a browser without
//! JavaScript gets), and the train actions behind their buttons.

use crate::calendar_edit::post_form;
use crate::helpers::spawn_app;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_train_page_shows_its_gate_matrix_blockers_phases_and_timeline_in_the_html() {
    let app = spawn_app(&[]).await;
    crate::api_client::freeze_everything_now(&app, "exchange cut-over").await;
    let html = app.page("/trains/curve-2.1-rollout").await;
    assert!(
        !html.contains("<template"),
        "the page is complete before any script runs"
    );
    for (cell, status) in [
        ("cell-curve-quality", "passed"),
        ("cell-backtesting-quality", "failed"),
        ("cell-scenario-critical-vulns", "failed"),
        ("cell-scenario-quality", "passed"),
    ] {
        let at = html
            .find(&format!("data-testid=\"{cell}\""))
            .unwrap_or_else(|| panic!("{cell} missing"));
        let tag_start = html[..at].rfind("<a").unwrap();
        assert!(
            html[tag_start..at].contains(&format!("data-status=\"{status}\"")),
            "{cell} should be {status}"
        );
    }
    assert!(html.contains("Why is this blocked?"));
    assert!(html.contains("Gate quality fails for backtesting"));
    assert!(
        html.contains("quality_score is 72, needs &gt;= 80")
            || html.contains("quality_score is 72, needs >= 80")
    );
    assert!(
        html.contains("Freeze window: exchange cut-over"),
        "a freeze of every track holds a train on no track"
    );
    assert!(html.contains("Stabilisation"));
    assert!(
        html.contains("planning → validating"),
        "the timeline shows the transition"
    );
    assert_eq!(app.get("/trains/no-such-train").await.status(), 404);
}

#[tokio::test]
async fn a_gate_cell_shows_every_report_and_a_chart_of_its_values() {
    let app = spawn_app(&[]).await;
    let (code, _) = app
        .api(
            Method::POST,
            "/api/v1/release-trains/curve-2.1-rollout/gate-results",
            Some(json!({ "results": [
                { "participant": "backtesting", "gate": "quality_score", "value": 79, "source": "ci #42" }
            ] })),
        )
        .await;
    assert_eq!(code, 200);
    let html = app
        .page("/trains/curve-2.1-rollout?cell=backtesting%2Fquality")
        .await;
    assert!(html.contains("History: backtesting × quality"), "{html}");
    assert!(
        html.contains("Rule: quality_score &gt;= 80") || html.contains("Rule: quality_score >= 80")
    );
    assert!(html.contains("<svg"), "two numbers make a chart");
    let first = html.find(">79<").expect("the newest report");
    let second = html.find(">72<").expect("the earlier report");
    assert!(first < second, "newest first");
}

#[tokio::test]
async fn the_trains_list_filters_by_state_track_service_and_dates_and_pages() {
    let app = spawn_app(&[]).await;
    let html = app.page("/trains?state=validating").await;
    assert!(html.contains(">curve-2.1-rollout<"));
    assert!(!html.contains(">Q4-curve-upgrade<"));
    assert!(html.contains("1 train · newest planned first"), "{html}");
    let html = app.page("/trains?track=staging").await;
    assert!(html.contains(">v0.5.0-staging.1<") && !html.contains(">v0.5.0-dev.1<"));
    let html = app.page("/trains?from=2099-01-01").await;
    assert!(html.contains("No train matches these filters."));
    let html = app.page("/trains?state=running").await;
    assert!(
        html.contains("unknown train state"),
        "a bad filter says what is wrong: {html}"
    );
    for i in 0..30 {
        let (code, body) = app
            .api(
                Method::POST,
                "/api/v1/release-trains",
                Some(json!({ "name": format!("bulk-{i:02}"), "participants": ["curve"] })),
            )
            .await;
        assert_eq!(code, 201, "{body}");
    }
    let first = app.page("/trains?service=curve").await;
    assert!(
        first.contains("Older →") && !first.contains("← Newer"),
        "{first}"
    );
    let older = link_before(&first, "Older →");
    assert!(
        older.starts_with("/trains?service=curve&amp;after="),
        "{older}"
    );
    let second = app.page(&older.replace("&amp;", "&")).await;
    assert!(second.contains("← Newer"), "{second}");
    let names = |html: &str| -> Vec<String> {
        html.match_indices(">bulk-")
            .map(|(i, _)| html[i + 1..i + 8].to_owned())
            .collect()
    };
    let (a, b) = (names(&first), names(&second));
    assert_eq!(
        a.len() + b.len(),
        30,
        "every bulk train on one of the two pages: {a:?} {b:?}"
    );
    assert!(a.iter().all(|n| !b.contains(n)), "no train on both pages");
    let newer = link_before(&second, "← Newer");
    let back = app.page(&newer.replace("&amp;", "&")).await;
    assert_eq!(names(&back), a, "Newer leads back to the first page");
}

#[tokio::test]
async fn the_dashboard_shows_trains_in_flight_freezes_rollbacks_and_next_trains() {
    let app = spawn_app(&[]).await;
    let html = app.page("/").await;
    assert!(html.contains(">curve-2.1-rollout<"));
    assert!(html.contains(">Stabilisation<"), "the phase column");
    assert!(
        html.contains("5 blockers"),
        "two failing gates and three kinds of missing evidence; the quiet window holds staging only: {html}"
    );
    assert!(
        html.contains(">backtesting-3.0-rollout<"),
        "in flight, waiting for stage"
    );
    assert!(html.contains("validator node upgrade: chain ops quiet window"));
    assert!(html.contains(">scenario-1.9-rollout<"));
    assert!(html.contains("p95 latency above 1.5 s"));
    assert!(html.contains(">v0.5.0-dev.1<") || html.contains("cut in"));
}

#[tokio::test]
async fn a_captain_pauses_and_resumes_a_train_and_failing_it_needs_a_reason_while_a_viewer_cannot_act(
) {
    let app = spawn_app_with_sign_in(&[]).await;
    let val = sign_in(&app, "val").await;
    let (code, _) = post_form(
        &val,
        "trains/transition",
        &[("name", "curve-2.1-rollout"), ("to", "paused")],
    )
    .await;
    assert_eq!(code, 403);
    let carl = sign_in(&app, "carl").await;
    let (code, body) = post_form(
        &carl,
        "trains/transition",
        &[("name", "curve-2.1-rollout"), ("to", "paused")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = post_form(
        &carl,
        "trains/transition",
        &[("name", "curve-2.1-rollout"), ("to", "staging")],
    )
    .await;
    assert_eq!(code, 409, "a paused train resumes where it paused: {body}");
    let (code, body) = post_form(
        &carl,
        "trains/transition",
        &[("name", "curve-2.1-rollout"), ("to", "validating")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = post_form(
        &carl,
        "trains/transition",
        &[
            ("name", "curve-2.1-rollout"),
            ("to", "failed"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(code, 409, "{body}");
    assert!(body.to_string().contains("needs a reason"));
    let html = carl.page("/trains/curve-2.1-rollout").await;
    assert!(
        html.contains("Pause…") && html.contains("Mark as failed…"),
        "the captain sees the actions"
    );
    assert!(
        !val.page("/trains/curve-2.1-rollout")
            .await
            .contains("Pause…"),
        "a viewer does not"
    );
    let kinds: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT e.to_state, e.actor FROM train_event e JOIN train t USING (train_id)
         WHERE t.name = 'curve-2.1-rollout' AND e.kind = 'transition' ORDER BY e.train_event_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(to, actor): (Option<String>, String)| (to.unwrap_or_default(), Some(actor)))
    .collect();
    let states: Vec<&str> = kinds.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(states, ["validating", "paused", "validating"]);
}

/// The `href` of the link whose text is `text`.
fn link_before(html: &str, text: &str) -> String {
    let end = html.find(text).expect("the link");
    let start = html[..end].rfind("href=\"").expect("an href") + 6;
    let stop = html[start..].find('"').expect("a closed href") + start;
    html[start..stop].to_owned()
}
