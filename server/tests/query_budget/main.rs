//! Every page costs the same number of queries on a small history as on a
//! large one: the count of statements the server sends to Postgres for one
//! render is measured after the history has grown once and again, and must
//! not move. (A page whose queries grow with the data is fine on the demo
//! and dead after a year.)
//!
//! Its own test binary: the count is of every statement this process sends,
//! so nothing else may run beside it.

#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../api/oidc.rs"]
#[allow(dead_code)]
mod oidc;

use helpers::TestApp;
use reqwest::Method;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::layer::SubscriberExt;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// Counts sqlx's per-statement events.
struct CountStatements;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn install_counter() {
    let filter = tracing_subscriber::filter::Targets::new()
        .with_target("sqlx::query", tracing::Level::TRACE);
    let subscriber = tracing_subscriber::registry().with(tracing_subscriber::Layer::with_filter(
        CountStatements,
        filter,
    ));
    tracing::subscriber::set_global_default(subscriber).expect("one subscriber per process");
}

const PAGES: [&str; 19] = [
    "/",
    "/calendar",
    "/calendar?view=month",
    "/trains",
    "/trains?state=validating",
    "/trains/curve-2.1-rollout",
    "/trains/curve-2.1-rollout/evidence",
    "/evidence",
    "/audit",
    "/audit?train=curve-2.1-rollout",
    "/admin/policies",
    "/admin/services",
    "/admin/services/curve",
    "/admin/tracks",
    "/setup",
    "/api/v1/release-trains/curve-2.1-rollout",
    "/api/v1/release-trains/curve-2.1-rollout/status",
    "/api/v1/release-trains/curve-2.1-rollout/promotions",
    "/api/v1/evidence",
];

/// Statements per render of each page, as `who` sees it.
async fn measure(who: &TestApp) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for page in PAGES {
        // Warm: the first render may prepare statements.
        assert!(who.get(page).await.status().is_success(), "{page}");
        let before = STATEMENTS.load(Ordering::SeqCst);
        let response = who.get(page).await;
        assert!(response.status().is_success(), "{page}");
        let _ = response.bytes().await;
        out.insert(page, STATEMENTS.load(Ordering::SeqCst) - before);
    }
    out
}

/// More history: trains in flight with many gate results and evidence,
/// promotion requests, and results on the demo trains themselves.
async fn grow(app: &TestApp, captain: &TestApp, round: usize, trains: usize) {
    for i in 0..trains {
        let name = format!("growth-{round}-{i}");
        let (code, body) = app
            .api(
                Method::POST,
                "/api/v1/release-trains",
                Some(json!({
                    "name": name,
                    "target_version": format!("1.{round}.{i}"),
                    "participants": [
                        {"service": "curve", "target_version": format!("2.{round}.{i}")},
                        {"service": "backtesting", "target_version": format!("3.{round}.{i}")},
                        {"service": "scenario", "target_version": format!("1.{round}.{i}")}
                    ],
                    "captain": "carl"
                })),
            )
            .await;
        assert_eq!(code, 201, "{body}");
        let (code, body) = app
            .api(
                Method::PUT,
                &format!("/api/v1/release-trains/{name}"),
                Some(json!({"status": "validating"})),
            )
            .await;
        assert_eq!(code, 200, "{body}");
        for batch in 0..5 {
            report(app, &name, 70.0 + batch as f64).await;
            report(app, "curve-2.1-rollout", 60.0 + batch as f64).await;
        }
        let metadata = format!(r#"{{"component":{{"name":"{name}","version":"1"}}}}"#);
        let sbom = format!(
            r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{metadata},"components":[]}}"#
        );
        let digest = hex(&Sha256::digest(sbom.as_bytes()));
        let response = app
            .request(
                Method::PUT,
                &format!(
                    "/api/v1/release-trains/{name}/evidence/curve.cdx.json\
                     ?kind=cyclonedx_sbom&participant=curve&sha256={digest}"
                ),
            )
            .body(sbom)
            .send()
            .await
            .expect("an upload");
        assert!(
            response.status().is_success(),
            "{:?}",
            response.text().await
        );
        let response = captain
            .request(
                Method::POST,
                &format!("/api/v1/release-trains/{name}/promotions"),
            )
            .header("origin", &captain.address)
            .json(&json!({"note": "ready for dev"}))
            .send()
            .await
            .expect("a promotion request");
        assert!(
            response.status().is_success(),
            "{:?}",
            response.text().await
        );
    }
}

async fn report(app: &TestApp, train: &str, value: f64) {
    let (code, body) = app
        .api(
            Method::POST,
            &format!("/api/v1/release-trains/{train}/gate-results"),
            Some(json!({"results": [
                {"participant": "curve", "gate": "quality_score", "value": value},
                {"participant": "backtesting", "gate": "coverage", "value": value},
                {"participant": "scenario", "gate": "unit-tests", "passed": true}
            ]})),
        )
        .await;
    assert_eq!(code, 200, "{body}");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn no_page_costs_more_queries_as_the_history_grows() {
    install_counter();
    let app = oidc::spawn_app_with_sign_in(&[
        ("TRAINYARD_SCHEDULER_TICK", "1h"),
        // The webhook worker's statements are background work, not a
        // page's: it looks once at start, then not while pages are counted.
        ("TRAINYARD_WEBHOOK_POLL", "1h"),
        // Every render counted, none answered from the read cache.
        ("TRAINYARD_READ_CACHE_TTL", "0"),
    ])
    .await;
    let admin = oidc::sign_in(&app, "adam").await;
    let captain = oidc::sign_in(&app, "carl").await;
    let approver = oidc::sign_in(&app, "ana").await;

    grow(&app, &captain, 1, 3).await;
    let small = measure(&admin).await;
    let small_dashboard = measure_one(&approver, "/").await;
    grow(&app, &captain, 2, 20).await;
    let large = measure(&admin).await;
    let large_dashboard = measure_one(&approver, "/").await;

    for page in PAGES {
        assert_eq!(
            small[page], large[page],
            "{page}: {} statements with 6 trains in flight, {} with 26",
            small[page], large[page]
        );
    }
    assert_eq!(
        small_dashboard, large_dashboard,
        "the dashboard of an approver"
    );
    println!("statements per render: {large:?}");
}

async fn measure_one(who: &TestApp, page: &str) -> usize {
    let _ = who.get(page).await.bytes().await;
    let before = STATEMENTS.load(Ordering::SeqCst);
    let _ = who.get(page).await.bytes().await;
    STATEMENTS.load(Ordering::SeqCst) - before
}
