//! Posts one delivery over http(s): in the subscription's format (the
//! event's body, or a Slack message made from it), signed, with a time-out,
//! following no redirect, to an address the allow-list admits (checked
//! again at every send: the list, or what a name resolves to, may have
//! changed since the subscription was made). E-mail goes through
//! [`super::mailer`] instead.

use super::signature::sign;
use app::domain::webhook::allow::HostVerdict;
use app::domain::webhook::retry::retry_after_seconds;
use app::domain::webhook::{email, slack, AllowList, Format};
use app::services::webhooks::{Attempt, Claimed};
use chrono::Utc;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most of a receiver's answer that is kept for the delivery log.
const KEPT_RESPONSE: usize = 2048;

pub struct Sender {
    client: reqwest::Client,
    allow: AllowList,
    public_url: url::Url,
}

impl Sender {
    pub fn new(allow: AllowList, timeout: Duration, public_url: url::Url) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .user_agent(concat!("Trainyard-Webhooks/", env!("CARGO_PKG_VERSION")));
        if !allow.allows_anything() {
            builder = builder.dns_resolver(Arc::new(AllowedAddresses(allow.clone())));
        }
        Ok(Self {
            client: builder.build()?,
            allow,
            public_url,
        })
    }

    pub async fn post(&self, claimed: &Claimed) -> Attempt {
        let body = body_for(&claimed.body, claimed.format, &self.public_url);
        let timestamp = Utc::now().timestamp();
        let signature = sign(&claimed.secrets, &claimed.message_id, timestamp, &body);
        if let Some(refusal) = self.refused_address(&claimed.url) {
            return Attempt {
                error: Some(refusal),
                ..Attempt::default()
            };
        }
        let started = Instant::now();
        let sent = self
            .client
            .post(&claimed.url)
            .header("content-type", "application/json")
            .header("webhook-id", &claimed.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) => answered(response, started).await,
            Err(e) => Attempt {
                duration: started.elapsed(),
                error: Some(describe(&e)),
                ..Attempt::default()
            },
        }
    }

    /// A literal address the allow-list does not admit (names are judged
    /// when they are resolved).
    fn refused_address(&self, url: &str) -> Option<String> {
        let host = url::Url::parse(url).ok()?.host_str()?.to_owned();
        (self.allow.judge_host(&host) == HostVerdict::Refused)
            .then(|| format!("{host} is not allowed by TRAINYARD_WEBHOOK_ALLOW"))
    }
}

async fn answered(mut response: reqwest::Response, started: Instant) -> Attempt {
    let status = response.status().as_u16();
    let retry_after = match status {
        429 | 503 => response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after_seconds),
        _ => None,
    };
    let mut kept = Vec::new();
    while kept.len() < KEPT_RESPONSE {
        match response.chunk().await {
            Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
            _ => break,
        }
    }
    kept.truncate(KEPT_RESPONSE);
    Attempt {
        status: Some(status),
        duration: started.elapsed(),
        error: None,
        response: Some(String::from_utf8_lossy(&kept).into_owned()),
        retry_after,
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the receiver did not answer in time".to_owned()
    } else if e.is_connect() {
        format!("could not connect: {}", root_cause(e))
    } else {
        root_cause(e)
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// What is sent for an event's stored `body`: the body itself, the Slack
/// message made from it, or an e-mail's text; its links absolute each way.
pub fn body_for(body: &str, format: Format, public_url: &url::Url) -> String {
    let Some(value) = event_with_links(body, public_url) else {
        return body.to_owned();
    };
    match format {
        Format::Standard => value.to_string(),
        Format::Slack => slack::render(&value).to_string(),
        Format::Email => email::text(&value),
    }
}

/// The stored body as JSON, its links made absolute; `None` if it is not
/// JSON at all.
pub fn event_with_links(body: &str, public_url: &url::Url) -> Option<serde_json::Value> {
    let mut value = serde_json::from_str::<serde_json::Value>(body).ok()?;
    make_absolute(&mut value, public_url);
    Some(value)
}

/// The event's relative links (`data.train.url`) made absolute with the
/// public URL, so a chat message or a receiver can link to the page.
pub fn absolute_links(body: &str, public_url: &url::Url) -> String {
    body_for(body, Format::Standard, public_url)
}

fn make_absolute(value: &mut serde_json::Value, public_url: &url::Url) {
    if let Some(link) = value.pointer_mut("/data/train/url") {
        if let Some(path) = link.as_str().filter(|p| p.starts_with('/')) {
            if let Ok(absolute) = public_url.join(path) {
                *link = serde_json::Value::String(absolute.to_string());
            }
        }
    }
}

/// Resolves a name and keeps only the addresses the allow-list admits, so
/// that a name cannot be pointed at an internal address after the check.
struct AllowedAddresses(AllowList);

impl Resolve for AllowedAddresses {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = match allow.judge_host(&host) {
                HostVerdict::Allowed => found,
                HostVerdict::Refused => Vec::new(),
                HostVerdict::CheckAddresses => found
                    .into_iter()
                    .filter(|a| allow.allows_address(a.ip()))
                    .collect(),
            };
            if kept.is_empty() {
                return Err(format!("{host} is not allowed by TRAINYARD_WEBHOOK_ALLOW").into());
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn train_links_become_absolute() {
        let base = url::Url::parse("https://trainyard.example/").unwrap();
        let body = r#"{"type":"train.cut","data":{"train":{"name":"a","url":"/trains/a"}}}"#;
        let out: serde_json::Value = serde_json::from_str(&absolute_links(body, &base)).unwrap();
        assert_eq!(
            out["data"]["train"]["url"],
            "https://trainyard.example/trains/a"
        );
    }

    #[test]
    fn a_slack_body_links_to_the_train_page_absolutely() {
        let base = url::Url::parse("https://trainyard.example/").unwrap();
        let body = r#"{"type":"train.cut","timestamp":"2026-01-05T10:00:00Z",
                       "data":{"resource":"train:a","actor":"ci","train":{"name":"a","url":"/trains/a"}}}"#;
        let out: serde_json::Value =
            serde_json::from_str(&body_for(body, Format::Slack, &base)).unwrap();
        assert_eq!(out["text"], "train.cut · train a by ci");
        assert!(out["blocks"]
            .to_string()
            .contains("<https://trainyard.example/trains/a|a>"));
    }
}
