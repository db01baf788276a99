//! The real development OpenID provider (panva's oidc-provider, run by
//! `end2end/oidc/provider.mjs`), started once for this test binary, and a
//! sign-in through its login form.

use crate::helpers::{no_redirects, spawn_app, TestApp};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The issuer URL of the provider, starting it on first use. It exits with
/// this process (it watches its parent).
pub fn issuer() -> &'static str {
    // The child is kept, never waited on: it outlives every test.
    static ISSUER: OnceLock<(String, std::sync::Mutex<std::process::Child>)> = OnceLock::new();
    &ISSUER
        .get_or_init(|| {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/oidc/provider.mjs");
            let child = Command::new("node")
                .arg(script)
                .env("OIDC_PORT", port.to_string())
                .env("OIDC_EXIT_WITH_PARENT", "1")
                .stdout(Stdio::null())
                .spawn()
                .expect("node runs the development OpenID provider (make tools installs it)");
            let deadline = Instant::now() + Duration::from_secs(20);
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "the OpenID provider did not start"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
            (
                format!("http://127.0.0.1:{port}"),
                std::sync::Mutex::new(child),
            )
        })
        .0
}

/// An app that signs people in through the provider.
pub async fn spawn_app_with_sign_in(extra: &[(&str, &str)]) -> TestApp {
    let mut vars = vec![
        ("OIDC_ISSUER_URL", issuer()),
        ("OIDC_CLIENT_ID", "trainyard"),
        ("OIDC_CLIENT_SECRET", "trainyard-dev-secret"),
    ];
    vars.extend_from_slice(extra);
    spawn_app(&vars).await
}

fn form_action(html: &str) -> String {
    let start = html.find("action=\"").expect("the login page has a form") + 8;
    let end = html[start..].find('"').expect("a closed attribute") + start;
    html[start..end].replace("&amp;", "&")
}

/// Signs `user` in through the provider's own login form and returns the
/// app as that user (session cookie, no bearer token). Panics with the page
/// when sign-in does not land back on the app.
pub async fn sign_in(app: &TestApp, user: &str) -> TestApp {
    try_sign_in(app, user, &format!("{user}-pass"))
        .await
        .unwrap_or_else(|page| panic!("{user} could not sign in: {page}"))
}

/// Signs in; `Err` holds the page where it stopped.
pub async fn try_sign_in(app: &TestApp, user: &str, password: &str) -> Result<TestApp, String> {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let browser = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client");
    let login_page = browser
        .get(format!("{}/auth/login?next=/audit", app.address))
        .send()
        .await
        .expect("the login redirect");
    let page_url = login_page.url().clone();
    let html = login_page.text().await.expect("the login page");
    let action = page_url.join(&form_action(&html)).expect("a form URL");
    let landed = browser
        .post(action)
        .form(&[("username", user), ("password", password)])
        .send()
        .await
        .expect("the login form posts");
    let url = landed.url().to_string();
    let status = landed.status();
    let body = landed.text().await.unwrap_or_default();
    if url.starts_with(&app.address) && status.is_success() {
        Ok(TestApp {
            bearer: None,
            client: no_redirects(Some(jar)),
            ..app.clone()
        })
    } else {
        Err(format!("{status} at {url}: {body}"))
    }
}
