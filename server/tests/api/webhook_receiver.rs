//! A real endpoint for outgoing webhooks: an HTTP server on a free port
//! that records every request it gets (when it arrived, its headers, its
//! raw body) and answers from a script the test writes. It checks
//! signatures with its own Standard Webhooks verifier
//! (<https://www.standardwebhooks.com/>), written from the spec rather than
//! shared with the server, so that a wrong signature cannot pass by being
//! wrong the same way on both sides.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One answer of the endpoint: a status, extra headers, and how long to
/// wait before answering.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Answers only after `delay`, which widens the window of races.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request as it arrived, and the status it was answered with.
#[derive(Clone, Debug)]
pub struct Received {
    pub at: Instant,
    pub method: String,
    pub path: String,
    /// Lower-case names, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub answered: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `webhook-id` header, blank when missing.
    pub fn webhook_id(&self) -> &str {
        self.header("webhook-id").unwrap_or_default()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn event_type(&self) -> String {
        self.json()["type"].as_str().unwrap_or_default().to_owned()
    }

    /// `data.resource` of the body (e.g. `train:w-1`).
    pub fn resource(&self) -> String {
        self.json()["data"]["resource"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether the endpoint accepted it (answered 2xx).
    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.answered)
    }
}

#[derive(Default)]
struct Script {
    /// Answers given in turn, per path, before the path's default.
    queued: HashMap<String, VecDeque<Reply>>,
    defaults: HashMap<String, Reply>,
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    script: Mutex<Script>,
}

/// The endpoint; it stops when dropped.
pub struct Receiver {
    pub address: String,
    shared: Arc<Shared>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Receiver {
    /// Starts the endpoint on 127.0.0.1 on its own thread and runtime, so it
    /// answers whatever the test's own runtime is busy with.
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let address = format!("http://{}", listener.local_addr().expect("an address"));
        let shared = Arc::new(Shared::default());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the receiver");
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                let router = axum::Router::new().fallback(answer).with_state(state);
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        Self {
            address,
            shared,
            _stop: stop,
        }
    }

    /// The URL of `path` (which starts with `/`) on this endpoint.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Requests to `path` get `replies` in turn, then the path's default.
    pub fn script(&self, path: &str, replies: impl IntoIterator<Item = Reply>) {
        let mut script = self.shared.script.lock().unwrap();
        script
            .queued
            .entry(path.to_owned())
            .or_default()
            .extend(replies);
    }

    /// What `path` answers once its script is used up (200 unless set).
    pub fn default_reply(&self, path: &str, reply: Reply) {
        let mut script = self.shared.script.lock().unwrap();
        script.defaults.insert(path.to_owned(), reply);
    }

    /// Every request so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Every request to `path` so far, in arrival order.
    pub fn received_at(&self, path: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Per webhook-id of requests to `path`: (requests, requests answered 2xx).
    pub fn count_by_webhook_id(&self, path: &str) -> BTreeMap<String, (usize, usize)> {
        let mut counts = BTreeMap::<String, (usize, usize)>::new();
        for r in self.received_at(path) {
            let entry = counts.entry(r.webhook_id().to_owned()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(r.succeeded());
        }
        counts
    }

    /// Waits, up to `within`, until `done` holds of everything received, and
    /// returns it; panics naming `what` and showing what did arrive.
    pub async fn wait_for(
        &self,
        what: &str,
        within: Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let received = self.received();
            if done(&received) {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "waited {within:?} for {what}; received: {:#?}",
                summary(&received)
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// (path, answered, type, resource, webhook-id) of each request, for
/// failure messages.
pub fn summary(received: &[Received]) -> Vec<(String, u16, String, String, String)> {
    received
        .iter()
        .map(|r| {
            (
                r.path.clone(),
                r.answered,
                r.event_type(),
                r.resource(),
                r.webhook_id().to_owned(),
            )
        })
        .collect()
}

async fn answer(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let at = Instant::now();
    let path = uri.path().to_owned();
    let reply = {
        let mut script = shared.script.lock().unwrap();
        match script.queued.get_mut(&path).and_then(VecDeque::pop_front) {
            Some(reply) => reply,
            None => script
                .defaults
                .get(&path)
                .cloned()
                .unwrap_or_else(|| Reply::status(200)),
        }
    };
    shared.received.lock().unwrap().push(Received {
        at,
        method: method.to_string(),
        path,
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
        answered: reply.status,
    });
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = axum::response::Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    response
        .body(axum::body::Body::from("ok"))
        .expect("a response")
}

/// The HMAC key of a `whsec_` secret: the base64 after the prefix, decoded.
pub fn key_of(secret: &str) -> Vec<u8> {
    let encoded = secret
        .strip_prefix("whsec_")
        .unwrap_or_else(|| panic!("a secret starts with whsec_: {secret}"));
    STANDARD
        .decode(encoded)
        .unwrap_or_else(|e| panic!("the secret {secret} is whsec_ + base64: {e}"))
}

/// How many of the request's `v1,` signatures `secret` made.
pub fn signatures_by(secret: &str, r: &Received) -> usize {
    let key = key_of(secret);
    let id = r.header("webhook-id").unwrap_or_default();
    let timestamp = r.header("webhook-timestamp").unwrap_or_default();
    let mut signed = format!("{id}.{timestamp}.").into_bytes();
    signed.extend_from_slice(&r.body);
    signature_entries(r)
        .iter()
        .filter(|entry| {
            let Some(encoded) = entry.strip_prefix("v1,") else {
                return false;
            };
            let Ok(signature) = STANDARD.decode(encoded) else {
                return false;
            };
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key");
            mac.update(&signed);
            // verify_slice compares in constant time.
            mac.verify_slice(&signature).is_ok()
        })
        .count()
}

/// The space-separated entries of `webhook-signature`.
pub fn signature_entries(r: &Received) -> Vec<String> {
    r.header("webhook-signature")
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A receiver's check of a request under the Standard Webhooks spec: an id,
/// a timestamp within five minutes of now, and a `v1,` signature by
/// `secret` over `{id}.{timestamp}.{body}`.
pub fn verify(secret: &str, r: &Received) -> Result<(), String> {
    let id = r.header("webhook-id").ok_or("no webhook-id header")?;
    if id.is_empty() {
        return Err("an empty webhook-id".into());
    }
    let timestamp: i64 = r
        .header("webhook-timestamp")
        .ok_or("no webhook-timestamp header")?
        .parse()
        .map_err(|e| format!("webhook-timestamp is not unix seconds: {e}"))?;
    let skew = (chrono::Utc::now().timestamp() - timestamp).abs();
    if skew > 5 * 60 {
        return Err(format!("webhook-timestamp is {skew} s away from now"));
    }
    if signatures_by(secret, r) == 0 {
        return Err(format!(
            "no signature in {:?} verifies with the secret",
            r.header("webhook-signature")
        ));
    }
    Ok(())
}
