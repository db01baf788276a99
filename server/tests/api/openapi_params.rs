//! Issue 17: the OpenAPI document was invalid ("Path parameter 'from' …
//! was not resolved": query parameters declared as path parameters). Every
//! `{name}` of a path is a path parameter of each of its operations, and
//! every path parameter stands in the path.

use crate::helpers::spawn_app;
use std::collections::BTreeSet;

#[tokio::test]
async fn path_parameters_are_exactly_the_braces_of_each_path() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let doc: serde_json::Value = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let braces: BTreeSet<&str> = path
            .split('/')
            .filter_map(|p| p.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for (method, operation) in item.as_object().unwrap() {
            let params = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let in_path: BTreeSet<&str> = params
                .iter()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(in_path, braces, "{method} {path}");
            for p in &params {
                assert!(
                    ["path", "query", "header"].contains(&p["in"].as_str().unwrap_or("")),
                    "{method} {path}: {p}"
                );
            }
            operations += 1;
        }
    }
    assert!(operations >= 50, "{operations} operations");
    let calendar = &doc["paths"]["/api/v1/calendar"]["get"]["parameters"];
    let from = calendar
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "from")
        .unwrap();
    assert_eq!(from["in"], "query");
}

/// What the document allows and a rule refuses is a 422; a 400 is only
/// what the document itself forbids. Here with an environment's policy,
/// whose rules (approvals from an approver role) no schema can state, and
/// numbers JSON Schema calls integers (`2.0`).
#[tokio::test]
async fn a_policy_the_document_allows_but_a_rule_refuses_is_a_422() {
    let app = crate::oidc::spawn_app_with_sign_in(&[]).await;
    let admin = crate::oidc::sign_in(&app, "adam").await;
    let policy = |role: &str, approvals: serde_json::Value| {
        serde_json::json!({
            "environment": "stage", "required_approvals": approvals, "approver_role": role,
            "requester_may_approve": false, "wait_timer_secs": 0, "require_gates": true,
            "soak_secs": null, "freeze_blocks": true, "auto_rollback": false
        })
    };
    let put = |body: serde_json::Value| {
        admin
            .request(reqwest::Method::PUT, "/api/v1/promotion-policies/stage")
            .header("origin", &admin.address)
            .json(&body)
            .send()
    };
    let refused = put(policy("viewer", 1.into())).await.unwrap();
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("approver role"), "{text}");
    assert_eq!(
        put(policy("approver:stage", 11.into()))
            .await
            .unwrap()
            .status(),
        422
    );
    assert_eq!(put(policy("nobody", 1.into())).await.unwrap().status(), 400);
    assert_eq!(
        put(policy("approver:stage", serde_json::json!(2.0)))
            .await
            .unwrap()
            .status(),
        204,
        "2.0 is the integer 2"
    );
}

/// Every write that reads `Idempotency-Key` documents it the same way: a
/// header HTTP trims cannot hold spaces at its ends.
#[tokio::test]
async fn every_idempotent_write_documents_its_key_alike() {
    let app = spawn_app(&[]).await;
    let doc: serde_json::Value = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/release-trains/{name}/gate-results",
        "/api/v1/release-trains/{name}/promotions",
        "/api/v1/release-trains/{name}/promotions/approve",
        "/api/v1/release-trains/{name}/promotions/reject",
        "/api/v1/release-trains/{name}/promotions/cancel",
        "/api/v1/release-trains/{name}/promotions/break-glass",
    ] {
        let params = doc["paths"][path]["post"]["parameters"].as_array().unwrap();
        let key = params
            .iter()
            .find(|p| p["name"] == "Idempotency-Key")
            .unwrap_or_else(|| panic!("{path} documents no Idempotency-Key"));
        assert_eq!(
            (
                &key["in"],
                &key["required"],
                &key["schema"]["minLength"],
                &key["schema"]["maxLength"]
            ),
            (
                &serde_json::json!("header"),
                &serde_json::json!(false),
                &serde_json::json!(8),
                &serde_json::json!(128)
            ),
            "{path}: {key}"
        );
        assert_eq!(key["schema"]["pattern"], r"^\S(.*\S)?$", "{path}");
    }
}
