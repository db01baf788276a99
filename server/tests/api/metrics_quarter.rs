//! The generator of a simulated quarter: it drives the API with its own
//! clock (each report says when it happened) and keeps what it did, so
//! that the metrics test can compute the expected values itself.

use crate::api_client::{token_for, transition};
use crate::deployments::set_up;
use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhooks_api::as_person;
use crate::webhooks_delivery::FAST;
use app::domain::access::{Role, RoleSet};
use app::services::actor::Actor;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use reqwest::Method;
use serde_json::{json, Value};

/// One deploy the generator reports, and what the test expects of it.
pub struct Deploy {
    pub service: &'static str,
    pub version: String,
    pub run: String,
    pub at: DateTime<Utc>,
    pub ok: bool,
    /// On a Thursday (the weekly track's day, in Berlin).
    pub on_cadence: bool,
    /// Commit times of the changes its train carries.
    pub commits: Vec<DateTime<Utc>>,
    /// A failed change: failed, rolled back or linked to an incident.
    pub failed_change: bool,
}

pub struct Incident {
    pub id: &'static str,
    pub started: DateTime<Utc>,
    pub minutes: i64,
    pub cites: &'static str,
    pub cites_train: bool,
    /// The run of the deploy a person links it to.
    pub caused_by: String,
    pub page_for_unscheduled: bool,
}

pub fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, 0, 0).unwrap().and_utc()
}

pub fn hours(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    ((to - from).num_seconds() as f64 / 36.0).round() / 100.0
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    }
}

pub fn pct(part: usize, whole: usize) -> f64 {
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

async fn post(who: &TestApp, path: &str, body: Value) -> Value {
    let (code, answer) = who.api(Method::POST, path, Some(body)).await;
    assert!(code == 200 || code == 201, "{path}: {code} {answer}");
    answer
}

/// What the quarter held, and the app it happened in.
pub struct Quarter {
    pub app: TestApp,
    /// A person who may read the pages.
    pub carl: TestApp,
    pub from: NaiveDate,
    pub deploys: Vec<Deploy>,
    pub incidents: Vec<Incident>,
}

/// Ten weekly trains, a hotfix, two deploys nobody scheduled, a failed
/// deploy, a rollback, three reviewed incidents and two postponements, in
/// the 84 days up to today.
pub async fn simulate() -> Quarter {
    let app = spawn_app_with_sign_in(&FAST).await;
    set_up(&app).await;
    // The calendar plans the weekly track ahead first (as the scheduler
    // does soon after a set-up), so that its planned trains never take a
    // tag this quarter's trains are about to be given.
    while !app::services::scheduler::run_due(&app.pool, Utc::now())
        .await
        .unwrap()
        .acted
    {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let cd = token_for(&app, "cd", "deployments:write").await;
    let pager = token_for(&app, "pager", "incidents:write").await;
    let today = Utc::now().date_naive();
    let from = today - Duration::days(83);
    let first_thursday = (0..7)
        .map(|d| from + Duration::days(d))
        .find(|d| d.weekday() == Weekday::Thu)
        .unwrap();

    // Ten weekly trains, each with two changes, deployed to prod on its
    // Thursday, except two that slipped to Friday; week 5's first attempt
    // failed and a second went well two hours later.
    let mut deploys: Vec<Deploy> = Vec::new();
    for w in 0..10i64 {
        let thursday = first_thursday + Duration::weeks(w);
        let (name, version) = (format!("wk-q{w}"), format!("3.{w}.0"));
        let planned = at(thursday, 17);
        let commits = vec![planned - Duration::hours(48), planned - Duration::hours(24)];
        post(
            &app,
            "/api/v1/release-trains",
            json!({
            "name": name, "track": "weekly", "tag": format!("v{version}-rc1"), "gates": [],
            "participants": [{ "service": "curve", "target_version": version }] }),
        )
        .await;
        let changes: Vec<Value> = commits
            .iter()
            .enumerate()
            .map(|(i, c)| {
                json!({
            "sha": format!("{w:x}{i:x}aaaaaa"), "title": format!("fix: change {i} of week {w}"),
            "author": "ana", "committed_at": c })
            })
            .collect();
        post(
            &app,
            &format!("/api/v1/release-trains/{name}/changes"),
            json!({ "participant": "curve", "changes": changes }),
        )
        .await;
        if w == 5 {
            deploys.push(Deploy {
                service: "curve",
                version: version.clone(),
                run: format!("q{w}-a"),
                at: at(thursday, 16),
                ok: false,
                on_cadence: true,
                commits: commits.clone(),
                failed_change: true,
            });
        }
        let (day, hour, on_cadence) = match w {
            3 | 7 => (thursday + Duration::days(1), 9, false),
            5 => (thursday, 18, true),
            _ => (thursday, 17, true),
        };
        deploys.push(Deploy {
            service: "curve",
            version,
            run: format!("q{w}"),
            at: at(day, hour),
            ok: true,
            on_cadence,
            commits,
            failed_change: false,
        });
    }
    // A hotfix on a Monday, and two deploys no train carries: a Saturday's
    // and a Thursday's (on the weekly track's day in prod).
    post(
        &app,
        "/api/v1/release-trains",
        json!({
        "name": "hf-q", "track": "hotfix", "tag": "v3.99.1", "gates": [],
        "participants": [{ "service": "curve", "target_version": "3.99.1" }] }),
    )
    .await;
    let monday = first_thursday + Duration::weeks(6) - Duration::days(3);
    let saturday = first_thursday + Duration::weeks(2) + Duration::days(2);
    let thursday = first_thursday + Duration::weeks(8);
    for (service, version, run, when, on_cadence) in [
        ("curve", "3.99.1", "hf", at(monday, 3), false),
        (
            "backtesting",
            "7.0.0",
            "surprise-1",
            at(saturday, 11),
            false,
        ),
        ("backtesting", "7.0.1", "surprise-2", at(thursday, 12), true),
    ] {
        deploys.push(Deploy {
            service,
            version: version.into(),
            run: run.into(),
            at: when,
            ok: true,
            on_cadence,
            commits: Vec::new(),
            failed_change: false,
        });
    }
    let mut ids = std::collections::HashMap::new();
    for d in &deploys {
        let body = json!({ "service": d.service, "version": d.version, "environment": "prod",
            "status": if d.ok { "succeeded" } else { "failed" }, "pipeline_run_id": d.run,
            "started_at": d.at - Duration::minutes(10), "finished_at": d.at });
        let answer = post(&cd, "/api/v1/deployments", body).await;
        ids.insert(d.run.clone(), answer["deployment"]["id"].as_i64().unwrap());
    }

    // Week 9's train is rolled back after its deploy.
    for to in ["validating", "staging", "executing"] {
        let (code, body) = transition(&app, "wk-q9", to).await;
        assert_eq!(code, 200, "{to}: {body}");
    }
    post(
        &app,
        "/api/v1/release-trains/wk-q9/rollback",
        json!({ "reason": "p95 regression" }),
    )
    .await;
    deploys
        .iter_mut()
        .find(|d| d.run == "q9")
        .unwrap()
        .failed_change = true;

    // Three incidents, each reviewed, each linked by a person to its cause.
    let incidents = [
        Incident {
            id: "PD-Q1",
            started: at(saturday, 12),
            minutes: 90,
            cites: "abc1234..def5678",
            cites_train: false,
            caused_by: "surprise-1".into(),
            page_for_unscheduled: true,
        },
        Incident {
            id: "PD-Q2",
            started: at(first_thursday + Duration::weeks(4), 20),
            minutes: 180,
            cites: "v3.4.0-rc1",
            cites_train: true,
            caused_by: "q4".into(),
            page_for_unscheduled: false,
        },
        Incident {
            id: "PD-Q3",
            started: at(monday, 5),
            minutes: 30,
            cites: "v3.99.1",
            cites_train: true,
            caused_by: "hf".into(),
            page_for_unscheduled: false,
        },
    ];
    let carl = sign_in(&app, "carl").await;
    for i in &incidents {
        let service = deploys
            .iter()
            .find(|d| d.run == i.caused_by)
            .unwrap()
            .service;
        let answer = post(
            &pager,
            "/api/v1/incidents",
            json!({
            "external_id": i.id, "title": format!("Incident {}", i.id), "severity": "high",
            "services": [service], "environment": "prod", "started_at": i.started,
            "resolved_at": i.started + Duration::minutes(i.minutes),
            "review_url": format!("https://wiki.example/pir/{}", i.id), "cited_tags": [i.cites] }),
        )
        .await;
        let id = answer["incident"]["id"].as_i64().unwrap();
        let (code, linked) = as_person(
            &carl,
            Method::POST,
            &format!("/api/v1/incidents/{id}/links"),
            Some(json!({ "deployment": ids[&i.caused_by] })),
        )
        .await;
        assert_eq!(code, 200, "{linked}");
        deploys
            .iter_mut()
            .find(|d| d.run == i.caused_by)
            .unwrap()
            .failed_change = true;
    }

    // Two planned trains postponed by their owner, on the quarter's clock.
    let clock = at(from, 8);
    // The app's own scheduler may hold the scheduler's lock for a moment.
    for _ in 0..100 {
        if app::services::scheduler::run_due(&app.pool, clock)
            .await
            .unwrap()
            .acted
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let planned: Vec<(String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT t.name, t.planned_start FROM train t JOIN track tr USING (track_id)
         WHERE tr.name = 'weekly' AND t.slot IS NOT NULL ORDER BY t.planned_start LIMIT 2",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(planned.len(), 2, "the calendar plans the weekly track");
    let owner = Actor::user("olivia", None, RoleSet::new([Role::Owner]));
    for ((name, slot), category) in planned.iter().zip(["chain-ops conflict", "team event"]) {
        let to = (*slot + Duration::days(1))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        app::services::calendar_edit::move_train(
            &app.pool,
            &owner,
            name,
            &to,
            "validators re-roll",
            category,
            clock.max(*slot - Duration::days(1)),
        )
        .await
        .unwrap();
    }

    Quarter {
        app,
        carl,
        from,
        deploys,
        incidents: incidents.into(),
    }
}
