//! Whole pages are shared by viewers who see the same thing, compressed once,
//! with a policy that allows their own scripts; a change shows on the next
//! page at once.

use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use base64::Engine;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, VARY};
use reqwest::Method;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::Read;

const TRAIN: &str = "/trains/curve-2.1-rollout";

/// `'sha256-…'` of every inline script of `html`, as a browser hashes it.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    html.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, after) = rest.split_once('>')?;
            let (body, _) = after.split_once("</script>")?;
            (!tag.contains("src=")).then(|| {
                let digest = Sha256::digest(body.as_bytes());
                let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
                format!("'sha256-{encoded}'")
            })
        })
        .collect()
}

/// The page's HTML, after checking that its policy allows its scripts.
async fn page(app: &TestApp) -> String {
    let response = app.get(TRAIN).await;
    assert_eq!(response.status(), 200);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    let hashes = inline_script_hashes(&html);
    assert!(!hashes.is_empty(), "Leptos' hydration script is inline");
    for hash in hashes {
        assert!(policy.contains(&hash), "{hash} missing from {policy}");
    }
    assert!(!policy.contains("unsafe-inline") && !policy.contains("'nonce-"));
    html
}

#[tokio::test]
async fn a_shared_page_is_compressed_once_and_shows_a_change_at_once() {
    // Entries that would live an hour: only a change can end them.
    let app = spawn_app_with_sign_in(&[("TRAINYARD_READ_CACHE_TTL", "1h")]).await;
    let visitor = app.anonymous();
    let first = page(&visitor).await;
    assert_eq!(page(&visitor).await, first, "the same bytes for everyone");

    let compressed = visitor
        .request(Method::GET, TRAIN)
        .header(ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()[CONTENT_ENCODING], "br");
    assert_eq!(compressed.headers()[VARY], "accept-encoding");
    let bytes = compressed.bytes().await.unwrap();
    let mut unpacked = String::new();
    brotli::Decompressor::new(&bytes[..], 4096)
        .read_to_string(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, first, "the same page, compressed");

    let ana = sign_in(&app, "ana").await;
    assert!(
        page(&ana).await.contains("Sign out"),
        "a person sees their own menu"
    );
    assert!(!page(&visitor).await.contains("Sign out"));

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
        page(&visitor).await.contains("87.25"),
        "the next page shows the result"
    );
}
