//! PagerDuty's V3 webhook as a second door for incidents: a trigger records
//! the incident under the catalog service PagerDuty names, a resolve ends
//! it without losing the review a person added (even one written while
//! the resolve waits), a ping is let go, and an incident nothing in the
//! catalog matches is refused by field.

use crate::api_client::token_for;
use crate::deployments::organisation;
use reqwest::Method;
use serde_json::{json, Value};

fn event(kind: &str, status: &str, service: &str, at: &str) -> Value {
    json!({ "event": {
        "id": format!("01{kind}"), "event_type": kind, "resource_type": "incident",
        "occurred_at": at, "agent": { "type": "user_reference" },
        "data": { "id": "PGR0VU2", "type": "incident", "number": 2,
            "title": "Curve prices are stale", "status": status,
            "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
            "created_at": "2026-11-30T10:00:00Z", "urgency": "high",
            "service": { "id": "PF9KMXH", "summary": service, "type": "service_reference" },
            "priority": { "id": "PSO75BM", "summary": "P2", "type": "priority_reference" } } } })
}

#[tokio::test]
async fn pagerduty_events_record_then_resolve_an_incident() {
    let app = organisation().await;
    let pager = token_for(&app, "pagerduty", "incidents:write").await;
    let path = "/api/v1/incidents/pagerduty";

    let (code, refused) = app
        .api(
            Method::POST,
            path,
            Some(event(
                "incident.triggered",
                "triggered",
                "Curve",
                "2026-11-30T10:00:05Z",
            )),
        )
        .await;
    assert_eq!(code, 403, "a trains token reports no incident: {refused}");

    // PagerDuty's "Curve" is the catalog's curve; prod is the one
    // production environment.
    let (code, first) = pager
        .api(
            Method::POST,
            path,
            Some(event(
                "incident.triggered",
                "triggered",
                "Curve",
                "2026-11-30T10:00:05Z",
            )),
        )
        .await;
    assert_eq!(code, 200, "{first}");
    let incident = &first["reported"]["incident"];
    assert_eq!(
        (
            &incident["external_id"],
            &incident["severity"],
            &incident["environment"]
        ),
        (&json!("pagerduty:PGR0VU2"), &json!("high"), &json!("prod")),
        "{first:#}"
    );
    assert_eq!(incident["services"], json!(["curve"]));
    assert_eq!(incident["resolved_at"], Value::Null);
    let id = incident["id"].as_i64().unwrap();

    // A person adds the review through the incidents API.
    let mut reviewed = json!({
        "external_id": "pagerduty:PGR0VU2", "title": "Curve prices are stale", "severity": "high",
        "services": ["curve"], "environment": "prod", "started_at": "2026-11-30T10:00:00Z",
        "review_url": "https://wiki.example/pir/7", "cited_tags": ["v2.1.0-rc1"] });
    let (code, _) = pager
        .api(Method::POST, "/api/v1/incidents", Some(reviewed.take()))
        .await;
    assert_eq!(code, 200);

    let (code, resolved) = pager
        .api(
            Method::POST,
            path,
            Some(event(
                "incident.resolved",
                "resolved",
                "Curve",
                "2026-11-30T11:30:00Z",
            )),
        )
        .await;
    assert_eq!(code, 200, "{resolved}");
    let incident = &resolved["reported"]["incident"];
    assert_eq!(incident["id"], id, "the same incident");
    assert_eq!(incident["minutes_to_restore"], 90);
    assert_eq!(
        incident["review_url"], "https://wiki.example/pir/7",
        "the review is kept"
    );
    assert_eq!(incident["cited_trains"], json!(["v2.1.0-rc1"]));

    let ping =
        json!({ "event": { "event_type": "pagey.ping", "occurred_at": "2026-11-30T11:31:00Z" } });
    let (code, ignored) = pager.api(Method::POST, path, Some(ping)).await;
    assert_eq!(
        (code, ignored["reported"].clone()),
        (200, Value::Null),
        "{ignored}"
    );
    assert!(ignored["ignored"].as_str().unwrap().contains("pagey.ping"));

    // A PagerDuty service the catalog does not know, unless the address
    // names one; an environment the address names must exist.
    let other = event(
        "incident.triggered",
        "triggered",
        "Billing",
        "2026-11-30T12:00:00Z",
    );
    let (code, refused) = pager.api(Method::POST, path, Some(other.clone())).await;
    assert_eq!(
        (code, refused["error"]["field"].as_str()),
        (422, Some("service")),
        "{refused}"
    );
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Billing"));
    let (code, filed) = pager
        .api(
            Method::POST,
            &format!("{path}?service=backtesting&environment=stage"),
            Some(other.clone()),
        )
        .await;
    assert_eq!(code, 200, "{filed}");
    assert_eq!(filed["reported"]["incident"]["environment"], "stage");
    let (code, refused) = pager
        .api(
            Method::POST,
            &format!("{path}?service=backtesting&environment=moon"),
            Some(other),
        )
        .await;
    assert_eq!(
        (code, refused["error"]["field"].as_str()),
        (422, Some("environment")),
        "{refused}"
    );
}

#[tokio::test]
async fn a_review_written_while_a_resolve_waits_is_kept() {
    let app = organisation().await;
    let pager = token_for(&app, "pagerduty", "incidents:write").await;
    let path = "/api/v1/incidents/pagerduty";
    let trigger = event(
        "incident.triggered",
        "triggered",
        "Curve",
        "2026-11-30T10:00:05Z",
    );
    assert_eq!(pager.api(Method::POST, path, Some(trigger)).await.0, 200);

    // A person's review is being written: its transaction has changed the
    // incident's row and not yet committed.
    let mut review = app.pool.begin().await.unwrap();
    let writer: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *review)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE incident SET review_url = 'https://wiki.example/pir/9', cited_tags = '{v2.1.0-rc1}'
         WHERE external_id = 'pagerduty:PGR0VU2'",
    )
    .execute(&mut *review)
    .await
    .unwrap();

    let resolving = tokio::spawn({
        let pager = pager.clone();
        let resolve = event(
            "incident.resolved",
            "resolved",
            "Curve",
            "2026-11-30T11:30:00Z",
        );
        async move { pager.api(Method::POST, path, Some(resolve)).await }
    });
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
        )
        .bind(writer)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the resolve never waited for the review's transaction"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    review.commit().await.unwrap();

    let (code, resolved) = resolving.await.unwrap();
    assert_eq!(code, 200, "{resolved}");
    let incident = &resolved["reported"]["incident"];
    assert_eq!(incident["minutes_to_restore"], 90, "{resolved:#}");
    assert_eq!(
        (&incident["review_url"], &incident["cited_trains"]),
        (&json!("https://wiki.example/pir/9"), &json!(["v2.1.0-rc1"])),
        "the review written meanwhile is kept"
    );
}
