//! Issue 17's abuse limits: guessing tokens and flooding sign-in are slowed
//! down per client address (and per token prefix), with 429 and
//! `Retry-After`, before any token is looked up or provider asked.

use crate::helpers::spawn_app;
use crate::oidc::spawn_app_with_sign_in;

#[tokio::test]
async fn failed_tokens_from_one_address_are_answered_429_once_over_the_limit() {
    let app = spawn_app(&[("TRAINYARD_FAILED_TOKENS_PER_MINUTE", "5")]).await;
    let guesser = app.with_bearer("tyd_000000guessing-a-secret");
    for attempt in 1..=5 {
        let response = guesser
            .request(reqwest::Method::GET, "/api/v1/release-trains")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "attempt {attempt}");
    }
    let response = guesser
        .request(reqwest::Method::GET, "/api/v1/release-trains")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests", "{body}");
    // The address is held up whatever token it sends now, until the
    // minute is over; reading without a token is not.
    let response = app
        .request(reqwest::Method::GET, "/api/v1/release-trains")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        429,
        "a valid token from the same address waits too"
    );
    let response = app
        .anonymous()
        .request(reqwest::Method::GET, "/api/v1/release-trains")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // Behind a trusted proxy (loopback by default) each client is counted
    // by the address the proxy forwarded.
    let response = app
        .with_bearer("tyd_111111another-guess")
        .request(reqwest::Method::GET, "/api/v1/release-trains")
        .header("x-forwarded-for", "198.51.100.7")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        401,
        "another client behind the proxy waits for nothing"
    );
}

#[tokio::test]
async fn sign_ins_from_one_address_are_answered_429_once_over_the_limit() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_SIGN_INS_PER_MINUTE", "3")]).await;
    for attempt in 1..=3 {
        let response = app
            .anonymous()
            .request(reqwest::Method::GET, "/auth/login")
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_redirection(),
            "attempt {attempt}: {}",
            response.status()
        );
    }
    let response = app
        .anonymous()
        .request(reqwest::Method::GET, "/auth/login")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.text().await.unwrap().contains("Too many sign-ins"));
}

#[tokio::test]
async fn a_client_sending_its_headers_slowly_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app(&[("TRAINYARD_HEADER_READ_TIMEOUT", "1s")]).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: trainyard\r\n")
        .await
        .unwrap();
    // The headers never end: the server closes the connection on its own.
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        slow.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "the connection was still open after 10 s");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "closed after {:?}",
        started.elapsed()
    );
    // Everyone else is served as before.
    let response = app.anonymous().get("/healthz").await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_client_trickling_its_body_gets_408_and_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app(&[
        ("TRAINYARD_BODY_READ_TIMEOUT", "1s"),
        ("TRAINYARD_BODY_MIN_RATE", "100"),
    ])
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let bearer = app.bearer.clone().expect("the test app's token");
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/release-trains HTTP/1.1\r\nHost: trainyard\r\n\
         Authorization: Bearer {bearer}\r\nContent-Type: application/json\r\n\
         Content-Length: 5000\r\n\r\n{{\"name\": \"trickle\""
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    // Ten bytes every half second: far below 100 bytes a second. Writes
    // fail once the server has answered and closed; that is the point.
    let started = std::time::Instant::now();
    let trickle = tokio::spawn(async move {
        for _ in 0..40 {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            if slow.write_all(b"          ").await.is_err() {
                break;
            }
        }
        slow
    });
    let mut slow = trickle.await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        slow.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "the connection was still open");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "answered after {:?}",
        started.elapsed()
    );
    // Nothing half-read was stored, and everyone else is served as before.
    let response = app.get("/api/v1/release-trains/trickle").await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_large_body_sent_at_a_steady_pace_is_read_in_full() {
    let app = spawn_app(&[
        ("TRAINYARD_BODY_READ_TIMEOUT", "1s"),
        ("TRAINYARD_BODY_MIN_RATE", "100000"),
    ])
    .await;
    // 300 KB in 30 chunks over 1.5 s: longer than the base time-out, yet
    // faster than the minimum rate, so the deadline keeps moving.
    use futures_util::StreamExt;
    let chunks = futures_util::stream::iter(0..30).then(|i| async move {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let chunk = if i == 0 {
            format!(
                "{{\"name\": \"steady\", \"participants\": [], \"pad\": \"{}",
                "x".repeat(9_950)
            )
        } else if i == 29 {
            format!("{}\"}}", "x".repeat(9_998))
        } else {
            "x".repeat(10_000)
        };
        Ok::<_, std::io::Error>(chunk)
    });
    let started = std::time::Instant::now();
    let response = app
        .request(reqwest::Method::POST, "/api/v1/release-trains")
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() > std::time::Duration::from_secs(1));
    // Read in full, then refused for what it says (no field `pad`), not
    // for how slowly it came.
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(body.contains("pad"), "{body}");
}
