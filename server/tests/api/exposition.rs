//! `/metrics.prom`: what Grafana scrapes says what Trainyard holds.

use crate::api_client::token_for;
use crate::deployments::{deploy, organisation};
use reqwest::Method;

fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn the_exposition_counts_trains_deployments_and_the_outbox() {
    let app = organisation().await;
    let cd = token_for(&app, "cd", "deployments:write").await;
    for (service, version, run) in [("curve", "2.1.0", "r-1"), ("scenario", "9.9.9", "r-2")] {
        let (code, body) = cd
            .api(
                Method::POST,
                "/api/v1/deployments",
                Some(deploy(service, version, "prod", "succeeded", run)),
            )
            .await;
        assert_eq!(code, 201, "{body}");
    }
    let response = app.get("/metrics.prom").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    assert!(text.contains("# TYPE trainyard_trains gauge"), "{text}");
    assert_eq!(
        value(&text, "trainyard_trains{state=\"planning\"}"),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "trainyard_trains{state=\"completed\"}"),
        Some(0.0)
    );
    for matched in ["scheduled", "unscheduled"] {
        let series = format!(
            "trainyard_deployments_total{{environment=\"prod\",status=\"succeeded\",matched=\"{matched}\"}}"
        );
        assert_eq!(value(&text, &series), Some(1.0), "{series}\n{text}");
    }
    assert_eq!(
        value(&text, "trainyard_incidents{resolved=\"false\"}"),
        Some(0.0)
    );
    assert!(
        value(&text, "trainyard_outbox_backlog{part=\"events\"}").is_some(),
        "{text}"
    );
}
