//! Issue 17's "authentication after parsing": every write route of the API
//! answers 401 to a caller with no session and no token before it reads the
//! body, so a malformed body tells an anonymous caller nothing.

use crate::helpers::{spawn_app, TestApp};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;
use serde_json::Value;

/// Every write operation of the served document, as (method, path with its
/// parameters filled by `x`).
async fn write_operations(app: &TestApp) -> Vec<(Method, String, String)> {
    let doc: Value = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                let m: Method = method.to_uppercase().parse().unwrap();
                operations.push((m, path.clone(), concrete.clone()));
            }
        }
    }
    operations
}

/// Sends a malformed JSON body as `who`; the status and the error code.
async fn malformed(who: &TestApp, method: &Method, path: &str) -> (u16, Value) {
    let response = who
        .request(method.clone(), path)
        .header("origin", &who.address)
        .header("content-type", "application/json")
        .body("{ this is not json")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn every_write_route_refuses_an_anonymous_caller_before_reading_the_body() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let anonymous = app.anonymous();
    let mut checked = 0;
    for (method, route, path) in write_operations(&app).await {
        let (status, body) = malformed(&anonymous, &method, &path).await;
        assert_eq!(status, 401, "{method} {route}: {body}");
        assert_eq!(body["error"]["code"], "unauthenticated", "{method} {route}");
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} write routes were found");
    // With a token the same malformed body is what is wrong.
    let response = app
        .client
        .post(format!("{}/api/v1/release-trains", app.address))
        .bearer_auth(app.bearer.clone().unwrap())
        .header("content-type", "application/json")
        .body("{ this is not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn a_caller_without_the_role_or_scope_is_refused_before_the_body() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let viewer = sign_in(&app, "val").await;
    let gates_only = app::services::tokens::create_token(
        &app.pool,
        &app::services::actor::Actor::new("test"),
        "gates-only",
        "gates:write",
        "",
        "",
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let gates_only = app.with_bearer(&gates_only.secret);
    let operations = write_operations(&app).await;
    assert!(
        operations.len() >= 30,
        "{} write operations",
        operations.len()
    );
    for (method, route, path) in &operations {
        // Any signed-in person may review as a service owner: whether they
        // own a participant is the body's promotion's to say.
        let anyone_signed_in = route.ends_with("/approve") || route.ends_with("/reject");
        let (status, body) = malformed(&viewer, method, path).await;
        let expected = if anyone_signed_in { 400 } else { 403 };
        assert_eq!(status, expected, "a viewer's {method} {route}: {body}");
        if status == 403 {
            assert_eq!(body["error"]["code"], "forbidden", "{method} {route}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("viewer"),
                "the refusal names the role: {body}"
            );
        }
        let (status, body) = malformed(&gates_only, method, path).await;
        let expected = if route.ends_with("/gate-results") {
            400
        } else {
            403
        };
        assert_eq!(
            status, expected,
            "a gates:write token's {method} {route}: {body}"
        );
    }
}
