//! Guessing is slowed down: failed bearer tokens are counted per client
//! address and per token prefix, sign-in attempts per client address. A key
//! that reached its limit within the window is answered 429 with
//! `Retry-After` until the window ends, before any token is looked up or
//! any provider asked. In memory, per instance: a fixed window is enough to
//! make guessing a 32-byte secret hopeless and a sign-in flood cheap to
//! refuse, and needs no shared store.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many events a key may have per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub events: u32,
    pub window: Duration,
}

/// Counts events per key in fixed windows.
pub struct Attempts {
    limit: Limit,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Keys kept before old windows are swept (an attacker cycling addresses
/// must not grow the map without bound).
const SWEEP_AT: usize = 10_000;

impl Attempts {
    pub fn new(limit: Limit) -> Self {
        Self {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// How long `key` must wait, when it has used up its window.
    pub fn wait(&self, key: &str, now: Instant) -> Option<Duration> {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let (started, count) = windows.get(key)?;
        let ends = *started + self.limit.window;
        (*count >= self.limit.events && now < ends).then(|| ends - now)
    }

    /// Counts one event of `key`.
    pub fn count(&self, key: &str, now: Instant) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= SWEEP_AT {
            let window = self.limit.window;
            windows.retain(|_, (started, _)| now < *started + window);
        }
        let entry = windows.entry(key.to_owned()).or_insert((now, 0));
        if now >= entry.0 + self.limit.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

/// The limits of one instance: failed tokens per client address and per
/// token prefix, sign-ins per client address.
pub struct Guards {
    tokens: Attempts,
    sign_ins: Attempts,
}

const MINUTE: Duration = Duration::from_secs(60);

impl Guards {
    pub fn new(settings: &crate::config::AuthSettings) -> Self {
        let per_minute = |events| Limit {
            events,
            window: MINUTE,
        };
        Self {
            tokens: Attempts::new(per_minute(settings.failed_tokens_per_minute)),
            sign_ins: Attempts::new(per_minute(settings.sign_ins_per_minute)),
        }
    }

    /// Seconds to wait before this client may present a token, or this
    /// token be tried again.
    pub fn token_wait(&self, client: Option<&str>, secret: &str) -> Option<u64> {
        let now = Instant::now();
        let by_client = client.and_then(|c| self.tokens.wait(&format!("client:{c}"), now));
        let by_token = self
            .tokens
            .wait(&format!("token:{}", token_prefix(secret)), now);
        by_client.max(by_token).map(whole_seconds)
    }

    /// Counts a token that did not authenticate.
    pub fn token_failed(&self, client: Option<&str>, secret: &str) {
        let now = Instant::now();
        if let Some(client) = client {
            self.tokens.count(&format!("client:{client}"), now);
        }
        self.tokens
            .count(&format!("token:{}", token_prefix(secret)), now);
    }

    /// Seconds this client must wait to start a sign-in; otherwise counts
    /// this one.
    pub fn sign_in_wait(&self, client: Option<&str>) -> Option<u64> {
        let key = format!("client:{}", client.unwrap_or("unknown"));
        let now = Instant::now();
        if let Some(wait) = self.sign_ins.wait(&key, now) {
            return Some(whole_seconds(wait));
        }
        self.sign_ins.count(&key, now);
        None
    }
}

/// A wait as `Retry-After` says it: whole seconds, rounded up.
fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// The client's address (behind a trusted proxy, the one it forwarded).
pub struct Client(pub Option<String>);

impl axum::extract::FromRequestParts<crate::startup::AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::startup::AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|axum::extract::ConnectInfo(a)| a.ip());
        Ok(Self(
            super::client::client_address(&parts.headers, peer, &state.auth.trusted_proxies)
                .map(|a| a.to_string()),
        ))
    }
}

/// The first characters of a token, as `token list` shows them: enough to
/// tell tokens apart, never enough to use one.
pub fn token_prefix(secret: &str) -> String {
    secret.chars().take(10).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_waits_once_it_used_its_window_and_not_after() {
        let attempts = Attempts::new(Limit {
            events: 3,
            window: Duration::from_secs(60),
        });
        let t0 = Instant::now();
        for _ in 0..2 {
            attempts.count("ip:a", t0);
        }
        assert_eq!(attempts.wait("ip:a", t0), None);
        attempts.count("ip:a", t0);
        assert_eq!(
            attempts.wait("ip:a", t0 + Duration::from_secs(20)),
            Some(Duration::from_secs(40))
        );
        assert_eq!(
            attempts.wait("ip:b", t0),
            None,
            "other keys are not held up"
        );
        assert_eq!(attempts.wait("ip:a", t0 + Duration::from_secs(60)), None);
        attempts.count("ip:a", t0 + Duration::from_secs(61));
        assert_eq!(attempts.wait("ip:a", t0 + Duration::from_secs(61)), None);
    }

    #[test]
    fn a_prefix_never_holds_the_whole_secret() {
        assert_eq!(token_prefix("tyd_0123456789abcdef"), "tyd_012345");
        assert_eq!(token_prefix("short"), "short");
    }
}
