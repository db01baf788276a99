//! Seed 002's monitoring endpoints over HTTP: a train's progress, services,
//! gate and dependency progress and issues; a service's health and
//! performance as bounded series against seed 001's thresholds.

use crate::deployments::organisation;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_train_shows_its_progress_services_gates_dependencies_and_issues() {
    let app = organisation().await;
    let train = json!({ "name": "mon-1", "gates": ["all_participants_quality >=80"],
                        "participants": ["curve", "backtesting", "scenario"] });
    let (code, body) = app
        .api(Method::POST, "/api/v1/release-trains", Some(train))
        .await;
    assert_eq!(code, 201, "{body}");
    let results = json!({ "results": [
        { "participant": "curve", "gate": "quality_score", "value": 91 },
        { "participant": "backtesting", "gate": "quality_score", "value": 60 },
    ]});
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains/mon-1/gate-results",
            Some(results),
        )
        .await;
    assert_eq!(code, 200, "{body}");

    let (code, m) = app
        .api(Method::GET, "/api/v1/monitoring/release-trains/mon-1", None)
        .await;
    assert_eq!(code, 200, "{m}");
    assert_eq!(
        m["progress"],
        json!({ "done": 0, "total": 3, "percent": 0.0 })
    );
    assert_eq!(
        m["gates"],
        json!({ "done": 1, "total": 3, "percent": 33.3 }),
        "{m:#}"
    );
    assert_eq!(
        m["dependencies"]["done"], 1,
        "only curve waits for nothing: {m:#}"
    );
    let services: Vec<&Value> = m["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["service"])
        .collect();
    assert_eq!(
        services,
        [&json!("curve"), &json!("backtesting"), &json!("scenario")],
        "release order"
    );
    let issues = m["issues"].to_string();
    assert!(
        issues.contains("backtesting")
            && issues.contains("scenario")
            && !issues.contains("for curve"),
        "{issues}"
    );
    let (code, _) = app
        .api(Method::GET, "/api/v1/monitoring/release-trains/nope", None)
        .await;
    assert_eq!(code, 404);
}

#[tokio::test]
async fn a_services_samples_come_back_as_bounded_series_with_their_thresholds() {
    let app = organisation().await;
    let now = chrono::Utc::now();
    // Thirty minutes of one sample a minute: p95 climbing to 1,900 ms, and
    // a steady error rate.
    let samples: Vec<Value> = (0..30)
        .flat_map(|i| {
            let at = now - chrono::Duration::minutes(30 - i);
            [
                json!({ "at": at, "metric": "p95_latency_ms", "value": 1000 + i * 30 }),
                json!({ "at": at, "metric": "error_rate_pct", "value": 0.5 }),
            ]
        })
        .collect();
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/services/curve/health",
            Some(json!({ "environment": "prod", "samples": samples })),
        )
        .await;
    assert_eq!(code, 200, "{body}");

    let (code, perf) = app
        .api(Method::GET, "/api/v1/monitoring/performance/curve", None)
        .await;
    assert_eq!(code, 200, "{perf}");
    assert_eq!(perf["bucket_seconds"], 360, "24 hours in 240 points");
    let prod = &perf["environments"][0];
    assert_eq!(prod["environment"], "prod");
    let metrics = prod["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), 1, "performance is latency only: {perf:#}");
    let p95 = &metrics[0];
    assert_eq!(
        (&p95["metric"], &p95["unit"], &p95["threshold"]),
        (&json!("p95_latency_ms"), &json!("ms"), &json!(1500.0))
    );
    let values: Vec<f64> = p95["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert!(
        (5..=7).contains(&values.len()),
        "30 one-minute samples in 6-minute buckets: {values:?}"
    );
    assert_eq!(
        values.iter().cloned().fold(f64::MIN, f64::max),
        1870.0,
        "each point is its bucket's worst sample"
    );
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "{values:?}");

    let (_, health) = app
        .api(Method::GET, "/api/v1/monitoring/health/curve?hours=1", None)
        .await;
    assert_eq!(health["bucket_seconds"], 60);
    let names: Vec<&Value> = health["environments"][0]["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["metric"])
        .collect();
    assert_eq!(names, [&json!("error_rate_pct")]);
    assert_eq!(
        health["environments"][0]["metrics"][0]["points"]
            .as_array()
            .unwrap()
            .len(),
        30
    );

    // The service page draws them on the server: readable without script.
    let page = app.get("/services/curve").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Chart of p95_latency_ms in prod") && html.contains("<svg"),
        "{html}"
    );
    assert!(html.contains("rollback above 1500 ms"), "{html}");

    let (code, refused) = app
        .api(Method::GET, "/api/v1/monitoring/health/curve?hours=0", None)
        .await;
    assert_eq!(code, 422, "{refused}");
    assert_eq!(refused["error"]["field"], "hours");
    let (code, _) = app
        .api(Method::GET, "/api/v1/monitoring/health/nope", None)
        .await;
    assert_eq!(code, 404);
}
