//! A simulated quarter: a generator drives the API with its own clock
//! (each report carries when it happened) through ten weekly trains, a
//! hotfix, two deploys nobody scheduled, a failed deploy, a rollback, three
//! incidents with their reviews and two postponements. Seed 003's success
//! metrics and DORA must come out as the test computes them from the same
//! events, and `/metrics` must draw them. A train deployed again after a
//! window starts ships no change in it.

use crate::api_client::token_for;
use crate::metrics_quarter::{hours, median, pct, simulate, Deploy};
use chrono::{Datelike, Duration};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_simulated_quarter_gives_the_metrics_computed_from_its_events() {
    let crate::metrics_quarter::Quarter {
        app,
        carl,
        from,
        deploys,
        incidents,
    } = simulate().await;
    let query = format!("from={from}&days=84&interval=weekly");
    let (code, success) = app
        .api(
            Method::GET,
            &format!("/api/v1/metrics/success?{query}"),
            None,
        )
        .await;
    assert_eq!(code, 200, "{success}");
    let metric = |key: &str| {
        success["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["key"] == key)
            .cloned()
            .unwrap()
    };

    let good: Vec<&Deploy> = deploys.iter().filter(|d| d.ok).collect();
    let on = good.iter().filter(|d| d.on_cadence).count();
    let cadence = metric("on_cadence");
    assert_eq!(
        (cadence["counted"].as_u64(), cadence["of"].as_u64()),
        (Some(on as u64), Some(good.len() as u64)),
        "{cadence:#}"
    );
    assert_eq!(cadence["value"], json!(pct(on, good.len())));
    assert_eq!(cadence["met"], json!(pct(on, good.len()) >= 70.0));
    assert_eq!(cadence["items"].as_array().unwrap().len(), good.len());

    let pages = incidents.iter().filter(|i| i.page_for_unscheduled).count();
    let paged = metric("unscheduled_pages");
    assert_eq!(
        (paged["value"].as_f64(), &paged["met"]),
        (Some(pages as f64), &json!(pages == 0))
    );
    assert_eq!(paged["items"][0]["note"], "after backtesting 7.0.0 to prod");

    let postponed = metric("postponements");
    assert_eq!(postponed["counted"], 2);
    assert_eq!(
        postponed["value"],
        json!((2.0f64 / 2.8 * 10.0).round() / 10.0)
    );
    assert_eq!(
        postponed["categories"],
        json!([["chain-ops conflict", 1], ["team event", 1]])
    );

    let citing = incidents.iter().filter(|i| i.cites_train).count();
    let reviews = metric("reviews_citing_a_tag");
    assert_eq!(
        (reviews["counted"].as_u64(), reviews["of"].as_u64()),
        (Some(citing as u64), Some(incidents.len() as u64))
    );
    assert_eq!(reviews["value"], json!(pct(citing, incidents.len())));

    let dora = |name: &'static str| {
        let app = &app;
        let query = query.clone();
        async move {
            let (code, s) = app
                .api(
                    Method::GET,
                    &format!("/api/v1/metrics/dora/{name}?{query}"),
                    None,
                )
                .await;
            assert_eq!(code, 200, "{s}");
            s
        }
    };
    let frequency = dora("deployment_frequency").await;
    let weekly_total: f64 = frequency["points"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["value"].as_f64())
        .sum();
    assert_eq!(
        (frequency["counted"].as_u64(), weekly_total),
        (Some(good.len() as u64), good.len() as f64)
    );
    assert_eq!(
        frequency["points"][0]["date"],
        json!(from - Duration::days(i64::from(from.weekday().num_days_from_monday())))
    );

    let lead: Vec<f64> = good
        .iter()
        .flat_map(|d| d.commits.iter().map(|c| hours(*c, d.at)))
        .collect();
    let lead_time = dora("lead_time_for_changes").await;
    assert_eq!(
        lead_time["overall"],
        json!(median(lead.clone())),
        "{lead:?}"
    );
    assert_eq!(lead_time["counted"], json!(lead.len()));

    let finished = deploys.len();
    let failed = deploys.iter().filter(|d| d.failed_change).count();
    let cfr = dora("change_failure_rate").await;
    assert_eq!(
        (cfr["counted"].as_u64(), cfr["of"].as_u64()),
        (Some(failed as u64), Some(finished as u64)),
        "{cfr:#}"
    );
    assert_eq!(cfr["overall"], json!(pct(failed, finished)));

    let mut restores: Vec<f64> = incidents.iter().map(|i| i.minutes as f64 / 60.0).collect();
    restores.push(2.0); // week 5's failed deploy, put right two hours later
    let ttr = dora("time_to_restore_service").await;
    assert_eq!(ttr["overall"], json!(median(restores)));

    // Narrowed to the unscheduled deploys' service, and to a stage where
    // nothing was deployed; a filter naming nothing is refused by field.
    let (_, narrowed) = app
        .api(
            Method::GET,
            &format!("/api/v1/metrics/dora/deployment_frequency?{query}&service=backtesting"),
            None,
        )
        .await;
    assert_eq!(narrowed["counted"], 2);
    let (_, stage) = app
        .api(
            Method::GET,
            &format!("/api/v1/metrics/dora/deployment_frequency?{query}&environment=stage"),
            None,
        )
        .await;
    assert_eq!(stage["counted"], 0);
    let (code, refused) = app
        .api(Method::GET, "/api/v1/metrics/success?track=nightly", None)
        .await;
    assert_eq!(
        (code, refused["error"]["field"].as_str()),
        (422, Some("track")),
        "{refused}"
    );
    let (code, refused) = app
        .api(Method::GET, "/api/v1/metrics/success?days=0", None)
        .await;
    assert_eq!(
        (code, refused["error"]["field"].as_str()),
        (422, Some("days")),
        "{refused}"
    );
    let (code, _) = app
        .api(Method::GET, "/api/v1/metrics/dora/velocity", None)
        .await;
    assert_eq!(code, 404);

    let (code, days) = app
        .api(
            Method::GET,
            &format!("/api/v1/metrics/deploys?{query}"),
            None,
        )
        .await;
    assert_eq!(code, 200, "{days}");
    let unscheduled: u64 = days
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["matched"] == "unscheduled")
        .map(|d| d["count"].as_u64().unwrap())
        .sum();
    assert_eq!(unscheduled, 2);

    // The page draws it all on the server: the table, four charts and the
    // heat-maps, readable without a script.
    let response = carl.get(&format!("/metrics?{query}")).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("{} %", pct(on, good.len()))),
        "the cadence value"
    );
    assert_eq!(html.matches("data-dora=").count(), 4);
    assert_eq!(
        html.matches("data-heatmap=").count(),
        4,
        "scheduled, hotfix, unscheduled and rollback redeploys"
    );
    assert!(
        html.matches("<svg").count() >= 4 + 3 + 4,
        "charts, heat-maps and sparklines"
    );

    // Week 0's train deployed again days later delivers no change in a
    // window that starts after it first shipped.
    let first = &deploys[0];
    let again = first.at + Duration::days(2);
    let cd = token_for(&app, "cd-again", "deployments:write").await;
    let body = json!({ "service": first.service, "version": first.version, "environment": "prod",
        "status": "succeeded", "pipeline_run_id": "q0-again",
        "started_at": again - Duration::minutes(10), "finished_at": again });
    let (code, reported) = cd
        .api(Method::POST, "/api/v1/deployments", Some(body))
        .await;
    assert_eq!(code, 201, "{reported}");
    assert_eq!(reported["deployment"]["train"], "wk-q0", "{reported}");
    let after = format!("from={}&days=5", first.at.date_naive() + Duration::days(1));
    let series = |name: &'static str| {
        let (app, after) = (&app, &after);
        async move {
            let path = format!("/api/v1/metrics/dora/{name}?{after}");
            app.api(Method::GET, &path, None).await.1
        }
    };
    assert_eq!(series("deployment_frequency").await["counted"], 1);
    let lead_time = series("lead_time_for_changes").await;
    assert_eq!(
        (&lead_time["counted"], &lead_time["overall"]),
        (&json!(0), &json!(null)),
        "{lead_time:#}"
    );
}
