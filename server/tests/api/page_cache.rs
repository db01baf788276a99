//! Whole pages are shared by viewers who see the same thing, each answer
//! with a nonce of its own, and a change shows on the next page at once.

use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use reqwest::Method;
use serde_json::json;

const TRAIN: &str = "/trains/curve-2.1-rollout";

/// The page's HTML and the nonce its Content-Security-Policy allows.
async fn page_and_nonce(app: &TestApp) -> (String, String) {
    let response = app.get(TRAIN).await;
    assert_eq!(response.status(), 200);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_owned();
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the document's scripts carry the policy's nonce"
    );
    (html, nonce)
}

#[tokio::test]
async fn a_shared_page_gets_a_new_nonce_each_time_and_shows_a_change_at_once() {
    // Entries that would live an hour: only a change can end them.
    let app = spawn_app_with_sign_in(&[("TRAINYARD_READ_CACHE_TTL", "1h")]).await;
    let visitor = app.anonymous();
    let (first, first_nonce) = page_and_nonce(&visitor).await;
    let (second, second_nonce) = page_and_nonce(&visitor).await;
    assert_ne!(first_nonce, second_nonce, "never the same nonce twice");
    assert_eq!(
        first.replace(&first_nonce, "N"),
        second.replace(&second_nonce, "N"),
        "the same page otherwise"
    );

    let ana = sign_in(&app, "ana").await;
    let (hers, _) = page_and_nonce(&ana).await;
    assert!(hers.contains("Sign out"), "a person sees their own menu");
    assert!(!page_and_nonce(&visitor).await.0.contains("Sign out"));

    assert!(!first.contains("87.25"));
    let (code, body) = app
        .api(
            Method::POST,
            "/api/v1/release-trains/curve-2.1-rollout/gate-results",
            Some(json!({"results": [
                {"participant": "backtesting", "gate": "quality_score", "value": 87.25}
            ]})),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    assert!(
        page_and_nonce(&visitor).await.0.contains("87.25"),
        "the next page shows the result"
    );
}
