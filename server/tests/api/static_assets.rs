//! Static files at line speed: the precompressed copy the client accepts,
//! a year of `immutable` caching for hashed names, and compressed HTML that
//! keeps its Content-Security-Policy; never a compressed event stream.

use crate::helpers::spawn_app;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};

const HASH: &str = "AbCdEfGhIjKlMnOpQrStUv";

/// A built site in a directory of its own, as `make release` writes it.
fn release_site() -> (tempfile::TempDir, String) {
    let site = tempfile::tempdir().expect("a site directory");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (ext, body) in [
        ("css", "body{margin:0}"),
        ("js", "export default 1"),
        ("wasm", "\0asm"),
    ] {
        let file = pkg.join(format!("trainyard.{HASH}.{ext}"));
        std::fs::write(&file, body).unwrap();
        std::fs::write(
            file.with_extension(format!("{ext}.br")),
            format!("br:{body}"),
        )
        .unwrap();
        std::fs::write(
            file.with_extension(format!("{ext}.gz")),
            format!("gz:{body}"),
        )
        .unwrap();
    }
    std::fs::write(site.path().join("favicon.svg"), "<svg/>").unwrap();
    // Next to the binary, under a name of this test's own.
    let hash_file = format!("hash-{}.txt", std::process::id());
    let exe_dir = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::write(
        exe_dir.join(&hash_file),
        format!("js: {HASH}\nwasm: {HASH}\ncss: {HASH}\n"),
    )
    .unwrap();
    (site, hash_file)
}

#[tokio::test]
async fn hashed_assets_come_precompressed_and_cached_for_a_year() {
    let (site, hash_file) = release_site();
    let root = site.path().display().to_string();
    let app = spawn_app(&[
        ("LEPTOS_SITE_ROOT", root.as_str()),
        ("LEPTOS_HASH_FILES", "true"),
        ("LEPTOS_HASH_FILE_NAME", hash_file.as_str()),
    ])
    .await;
    let css = format!("/pkg/trainyard.{HASH}.css");
    for (accepts, encoding, body) in [
        (Some("gzip, deflate, br"), Some("br"), "br:body{margin:0}"),
        (Some("gzip"), Some("gzip"), "gz:body{margin:0}"),
        (None, None, "body{margin:0}"),
    ] {
        let mut request = app.anonymous().request(reqwest::Method::GET, &css);
        if let Some(accepts) = accepts {
            request = request.header(ACCEPT_ENCODING, accepts);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(
            headers.get(CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
            encoding
        );
        assert_eq!(headers[CONTENT_TYPE], "text/css");
        assert_eq!(
            headers[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        if encoding.is_some() {
            assert_eq!(headers[VARY], "accept-encoding");
        }
        assert_eq!(response.text().await.unwrap(), body);
    }
    let html = app.anonymous().get("/calendar").await.text().await.unwrap();
    assert!(
        html.contains(&format!("href=\"{css}\"")),
        "pages link the hashed stylesheet"
    );
    let favicon = app.anonymous().get("/favicon.svg").await;
    assert_eq!(favicon.status(), 200);
    assert_eq!(
        favicon
            .headers()
            .get(CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        None
    );
    let _ = std::fs::remove_file(
        std::env::current_exe()
            .unwrap()
            .parent()
            .unwrap()
            .join(hash_file),
    );
}

#[tokio::test]
async fn pages_and_json_are_compressed_but_the_event_stream_is_not() {
    let app = spawn_app(&[]).await.anonymous();
    let page = app
        .request(reqwest::Method::GET, "/calendar")
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()[CONTENT_ENCODING], "gzip");
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("'sha256-"),
        "the document keeps the policy of its scripts: {csp}"
    );
    let json = app
        .request(reqwest::Method::GET, "/api/v1/release-trains")
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(json.headers()[CONTENT_ENCODING], "br");
    let events = app
        .request(reqwest::Method::GET, "/events")
        .header(ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    assert!(events.headers().get(CONTENT_ENCODING).is_none());
}
