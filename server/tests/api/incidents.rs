//! Incidents over HTTP: an incident tool reports one (once per external
//! id), Trainyard proposes the deployments that may have caused it, and a
//! captain confirms the one that did; the train's timeline shows it.

use crate::api_client::token_for;
use crate::deployments::{deploy, set_up};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhooks_api::as_person;
use crate::webhooks_delivery::FAST;
use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn an_incident_proposes_its_suspects_and_a_captain_confirms_one() {
    let app = spawn_app_with_sign_in(&FAST).await;
    set_up(&app).await;
    let cd = token_for(&app, "cd", "deployments:write").await;
    let pager = token_for(&app, "pager", "incidents:write").await;
    let now = Utc::now();
    let mut ids = Vec::new();
    for (service, version, env, run, hours_ago) in [
        ("curve", "2.1.0", "prod", "r-1", 2),
        ("backtesting", "9.9.9", "prod", "r-2", 30),
        ("curve", "2.1.0", "stage", "r-3", 2),
    ] {
        let mut body = deploy(service, version, env, "succeeded", run);
        body["started_at"] = json!(now - Duration::hours(hours_ago) - Duration::minutes(5));
        body["finished_at"] = json!(now - Duration::hours(hours_ago));
        let (code, d) = cd
            .api(Method::POST, "/api/v1/deployments", Some(body))
            .await;
        assert_eq!(code, 201, "{d}");
        ids.push(d["deployment"]["id"].as_i64().unwrap());
    }
    let mut incident = json!({
        "external_id": "PD-1", "title": "Prices are wrong", "severity": "high",
        "services": ["curve", "backtesting"], "environment": "prod",
        "started_at": now - Duration::hours(1),
        "url": "https://pager.example/incidents/PD-1"
    });
    let (code, refused) = app
        .api(Method::POST, "/api/v1/incidents", Some(incident.clone()))
        .await;
    assert_eq!(code, 403, "a trains token reports no incident: {refused}");

    let (code, first) = pager
        .api(Method::POST, "/api/v1/incidents", Some(incident.clone()))
        .await;
    assert_eq!(code, 201, "{first}");
    let view = &first["incident"];
    let id = view["id"].as_i64().unwrap();
    let suspects: Vec<&Value> = view["suspects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["pipeline_run_id"])
        .collect();
    assert_eq!(
        suspects,
        [&json!("r-1")],
        "its services, its environment, the day before: {view:#}"
    );
    assert_eq!(view["minutes_to_restore"], Value::Null);

    incident["resolved_at"] = json!(now);
    incident["review_url"] = json!("https://wiki.example/pir/1");
    incident["cited_tags"] = json!(["v2.1.0-rc1", "v0.0.1-nowhere"]);
    let (code, again) = pager
        .api(Method::POST, "/api/v1/incidents", Some(incident))
        .await;
    assert_eq!(code, 200, "{again}");
    let view = &again["incident"];
    assert_eq!(
        (&again["created"], &view["id"]),
        (&json!(false), &json!(id))
    );
    assert_eq!(view["minutes_to_restore"], 60);
    assert_eq!(view["cited_trains"], json!(["v2.1.0-rc1"]));

    let links = format!("/api/v1/incidents/{id}/links");
    let (code, refused) = pager
        .api(Method::POST, &links, Some(json!({ "deployment": ids[0] })))
        .await;
    assert_eq!(code, 403, "a person confirms: {refused}");
    let carl = sign_in(&app, "carl").await;
    let (code, refused) = as_person(
        &carl,
        Method::POST,
        &links,
        Some(json!({ "deployment": ids[2] })),
    )
    .await;
    assert_eq!(code, 422, "another environment: {refused}");
    assert_eq!(refused["error"]["field"], "deployment");
    for _ in 0..2 {
        let (code, linked) = as_person(
            &carl,
            Method::POST,
            &links,
            Some(json!({ "deployment": ids[0] })),
        )
        .await;
        assert_eq!(code, 200, "{linked}");
        assert_eq!(linked["links"].as_array().unwrap().len(), 1, "{linked:#}");
        assert_eq!(linked["links"][0]["deployment"]["train"], "wk-1");
        assert_eq!(linked["links"][0]["confirmed_by"], "carl");
        assert_eq!(
            linked["suspects"],
            json!([]),
            "a link is no longer a suspect"
        );
    }
    let (_, events) = app
        .api(Method::GET, "/api/v1/release-trains/wk-1/events", None)
        .await;
    let incidents = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "incident")
        .count();
    assert_eq!(incidents, 1, "confirmed once: {events:#}");
    let (_, listed) = app.api(Method::GET, "/api/v1/incidents", None).await;
    assert_eq!(
        (&listed[0]["links"], &listed[0]["minutes_to_restore"]),
        (&json!(1), &json!(60)),
        "{listed:#}"
    );
}
