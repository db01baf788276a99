//! Seed 002's notification policy over the subscriptions: imported from
//! `config/upgrade-policies.yaml`, it sends a subscription with an audience
//! only while it lists the subscription's format (channel) and audience
//! (stakeholder); integrations without an audience are left alone. The
//! import says whom it mutes and whom nobody reaches.

use crate::api_client::{create, token_for};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhook_receiver::Receiver;
use crate::webhooks_api::as_person;
use crate::webhooks_delivery::{train, with_ledger, ARRIVES, FAST, SETTLE};
use reqwest::Method;
use serde_json::{json, Value};

fn policy_file(notifications: &str) -> Value {
    let text = format!(
        "release_trains:\n  quality_gates:\n    min_quality_score: 85\n    max_critical_vulns: 0\n    \
         min_coverage: 75\n    max_failure_rate: 5\n  notifications:\n{notifications}"
    );
    json!({ "files": [{ "path": "config/upgrade-policies.yaml", "text": text }] })
}

const SEED: &str = "    enabled: true\n    channels: [\"slack\", \"email\"]\n    \
                    stakeholders: [\"platform-team\", \"release-managers\"]\n";

/// The trains whose creation reached `path`, in arrival order (each
/// subscription hears of creations only, in either format).
fn created_at(endpoint: &Receiver, path: &str) -> Vec<String> {
    endpoint
        .received_at(path)
        .iter()
        .filter(|r| r.succeeded())
        .filter_map(|r| {
            let body = String::from_utf8_lossy(&r.body).into_owned();
            ["n-1", "n-2", "n-3"]
                .into_iter()
                .find(|name| body.contains(&format!("/trains/{name}")))
                .map(|name| format!("train:{name}"))
        })
        .collect()
}

#[tokio::test]
async fn the_imported_policy_sends_only_the_channels_and_stakeholders_it_lists() {
    let app = spawn_app_with_sign_in(&FAST).await;
    let adam = sign_in(&app, "adam").await;
    with_ledger(&app).await;
    let endpoint = Receiver::start();
    let mut ids = Vec::new();
    for (path, format, audience) in [
        ("/cd", "standard", None),
        ("/platform", "slack", Some("platform-team")),
        ("/finance", "slack", Some("finance")),
        ("/managers", "standard", Some(" release-managers ")),
    ] {
        let hook = json!({ "url": endpoint.url(path), "events": ["train.created"],
                           "format": format, "audience": audience });
        let (code, created) = as_person(&adam, Method::POST, "/api/v1/webhooks", Some(hook)).await;
        assert_eq!(code, 201, "{created}");
        ids.push(created["webhook"]["id"].as_i64().unwrap());
    }
    let long = json!({ "url": endpoint.url("/x"), "events": ["*"], "audience": "x".repeat(61) });
    let (code, refused) = as_person(&adam, Method::POST, "/api/v1/webhooks", Some(long)).await;
    assert_eq!(code, 400, "{refused}");
    assert_eq!(refused["error"]["field"], "audience", "{refused}");

    // No policy yet: everyone hears.
    assert_eq!(create(&app, train("n-1")).await.0, 201);
    endpoint
        .wait_for("n-1 everywhere", ARRIVES, |_| {
            ["/cd", "/platform", "/finance", "/managers"]
                .iter()
                .all(|p| created_at(&endpoint, p) == ["train:n-1"])
        })
        .await;

    // A channel Trainyard has no format for is refused where it is written.
    let job = token_for(&app, "policy-as-code", "config:write").await;
    let sms = "    enabled: true\n    channels: [\"sms\"]\n";
    let (code, refused) = job
        .api(Method::POST, "/api/v1/config", Some(policy_file(sms)))
        .await;
    assert_eq!(code, 422, "{refused}");
    let said = refused.to_string();
    assert!(
        said.contains("upgrade-policies.yaml:") && said.contains("sms"),
        "{said}"
    );

    let (code, report) = job
        .api(Method::POST, "/api/v1/config", Some(policy_file(SEED)))
        .await;
    assert_eq!(code, 200, "{report}");
    let muted = report["notifications_muted"].as_array().unwrap();
    assert_eq!(muted.len(), 2, "{report:#}");
    assert!(
        muted[0]
            .as_str()
            .unwrap()
            .starts_with(&format!("webhook {} (slack, finance", ids[2]))
            && muted[0].as_str().unwrap().contains("stakeholder finance"),
        "{report:#}"
    );
    assert!(
        muted[1].as_str().unwrap().contains("channel standard"),
        "{report:#}"
    );
    assert_eq!(
        report["notifications_unreached"],
        json!([
            "platform-team by email",
            "release-managers by slack",
            "release-managers by email"
        ]),
        "{report:#}"
    );
    let (_, listed) = as_person(&adam, Method::GET, "/api/v1/webhooks", None).await;
    let muted: Vec<bool> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["muted"].is_string())
        .collect();
    assert_eq!(muted, [false, false, true, true], "{listed:#}");
    assert_eq!(listed[3]["audience"], "release-managers", "trimmed");
    assert_eq!(listed[2]["enabled"], true, "muted is not off");

    assert_eq!(create(&app, train("n-2")).await.0, 201);
    endpoint
        .wait_for("n-2 at the listed ones", ARRIVES, |_| {
            ["/cd", "/platform"]
                .iter()
                .all(|p| created_at(&endpoint, p).len() == 2)
        })
        .await;
    tokio::time::sleep(SETTLE).await;
    assert_eq!(created_at(&endpoint, "/finance"), ["train:n-1"]);
    assert_eq!(created_at(&endpoint, "/managers"), ["train:n-1"]);

    // Without an audience, the finance channel is an integration again.
    let hook = json!({ "url": endpoint.url("/finance"), "events": ["train.created"],
                       "format": "slack", "audience": "" });
    let path = format!("/api/v1/webhooks/{}", ids[2]);
    let (code, saved) = as_person(&adam, Method::PUT, &path, Some(hook)).await;
    assert_eq!(code, 200, "{saved}");
    assert_eq!(saved["audience"], Value::Null, "{saved}");
    assert_eq!(saved["muted"], Value::Null, "{saved}");
    assert_eq!(create(&app, train("n-3")).await.0, 201);
    endpoint
        .wait_for("n-3 at /finance", ARRIVES, |_| {
            created_at(&endpoint, "/finance") == ["train:n-1", "train:n-3"]
        })
        .await;

    // Notifications off: every audience is quiet.
    let off =
        "    enabled: false\n    channels: [\"slack\"]\n    stakeholders: [\"platform-team\"]\n";
    let (code, report) = job
        .api(Method::POST, "/api/v1/config", Some(policy_file(off)))
        .await;
    assert_eq!(code, 200, "{report}");
    assert_eq!(report["notifications_unreached"], json!([]), "{report:#}");
    let (_, listed) = as_person(&adam, Method::GET, "/api/v1/webhooks", None).await;
    assert!(
        listed[1]["muted"].as_str().unwrap().contains("off"),
        "{listed:#}"
    );
}
