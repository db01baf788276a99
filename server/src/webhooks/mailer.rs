//! Sends one e-mail delivery through the SMTP relay (`TRAINYARD_SMTP_URL`):
//! the event as a plain-text message (see `app::domain::webhook::email`) to
//! every recipient of the subscription's `mailto:` URI, in one transaction.
//!
//! `Message-ID: <{webhook-id}@{public host}>` is the same on every attempt
//! and redelivery, so a mail system (or a reader's filter) can drop a copy
//! it already has; `webhook-id` and `X-Trainyard-Event` carry the delivery's
//! id and the event type for filters, and `Auto-Submitted: auto-generated`
//! keeps vacation replies away (RFC 3834).
//!
//! The relay's reply code is the attempt's status and its text the
//! response: 2xx delivered, 4xx tried again on the schedule, 5xx refused for
//! good (see `app::domain::webhook::retry::verdict`).

use super::sender::event_with_links;
use crate::config::SmtpSettings;
use anyhow::Context;
use app::domain::webhook::{email, Recipients};
use app::services::webhooks::{Attempt, Claimed};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The most of the relay's reply kept for the delivery log.
const KEPT_RESPONSE: usize = 2048;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The right-hand side of each `Message-ID`.
    host: String,
    /// `host:port` of the relay, without credentials, for error messages.
    relay: String,
    public_url: url::Url,
}

impl Mailer {
    pub fn new(
        settings: &SmtpSettings,
        timeout: Duration,
        public_url: url::Url,
    ) -> anyhow::Result<Self> {
        let raw = settings.url.expose_secret();
        let parsed = url::Url::parse(raw).context("reading TRAINYARD_SMTP_URL")?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(raw)
            .context("reading TRAINYARD_SMTP_URL")?
            .timeout(Some(timeout));
        // The URL's path names the EHLO name when the operator wants one.
        if parsed.path().trim_matches('/').is_empty() {
            builder = builder.hello_name(client_id(&settings.host));
        }
        let relay = match parsed.port() {
            Some(port) => format!("{}:{port}", parsed.host_str().unwrap_or_default()),
            None => parsed.host_str().unwrap_or_default().to_owned(),
        };
        Ok(Self {
            transport: builder.build(),
            from: settings.from.clone(),
            host: settings.host.clone(),
            relay,
            public_url,
        })
    }

    pub async fn send(&self, claimed: &Claimed) -> Attempt {
        let message = match self.message(claimed) {
            Ok(message) => message,
            Err(error) => {
                return Attempt {
                    error: Some(error),
                    ..Attempt::default()
                }
            }
        };
        let started = Instant::now();
        match self.transport.send(message).await {
            Ok(reply) => Attempt {
                status: Some(u16::from(reply.code())),
                duration: started.elapsed(),
                response: Some(kept(&reply.message().collect::<Vec<_>>().join("\n"))),
                ..Attempt::default()
            },
            Err(e) => self.failed(&e, started.elapsed()),
        }
    }

    /// The message announcing `claimed`'s event to its recipients.
    fn message(&self, claimed: &Claimed) -> Result<Message, String> {
        let recipients = Recipients::parse(&claimed.url)
            .map_err(|e| format!("the subscription's recipients: {e}"))?;
        let event = event_with_links(&claimed.body, &self.public_url).unwrap_or_default();
        let event_type = event["type"].as_str().unwrap_or("event").to_owned();
        let header = |name: &'static str, value: String| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
        };
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(email::subject(&event))
            .message_id(Some(format!("<{}@{}>", claimed.message_id, self.host)))
            .header(ContentType::TEXT_PLAIN)
            .raw_header(header("webhook-id", claimed.message_id.clone()))
            .raw_header(header("X-Trainyard-Event", event_type))
            .raw_header(header("Auto-Submitted", "auto-generated".to_owned()));
        for address in recipients.addresses() {
            let mailbox = address
                .parse::<Mailbox>()
                .map_err(|e| format!("{address:?} is not an address the relay takes: {e}"))?;
            builder = builder.to(mailbox);
        }
        builder
            .body(email::text(&event))
            .map_err(|e| format!("the message could not be written: {e}"))
    }

    /// A refusal with a reply code is an answer (the reply's text is the
    /// response); anything else never reached one.
    fn failed(&self, e: &lettre::transport::smtp::Error, duration: Duration) -> Attempt {
        if let Some(code) = e.status() {
            let text = std::error::Error::source(e).map(|s| s.to_string());
            return Attempt {
                status: Some(u16::from(code)),
                duration,
                response: text.map(|t| kept(&t)),
                ..Attempt::default()
            };
        }
        let error = if e.is_timeout() {
            format!("the SMTP relay {} did not answer in time", self.relay)
        } else {
            format!("could not send through the SMTP relay {}: {e}", self.relay)
        };
        Attempt {
            duration,
            error: Some(error),
            ..Attempt::default()
        }
    }
}

/// The EHLO name: the public host, or an address literal for an address.
fn client_id(host: &str) -> ClientId {
    match host.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ClientId::Ipv4(ip),
        Ok(IpAddr::V6(ip)) => ClientId::Ipv6(ip),
        Err(_) => ClientId::Domain(host.to_owned()),
    }
}

fn kept(text: &str) -> String {
    text.chars().take(KEPT_RESPONSE).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ehlo_name_is_an_address_literal_for_an_address() {
        assert_eq!(client_id("127.0.0.1").to_string(), "[127.0.0.1]");
        assert_eq!(client_id("[::1]").to_string(), "[IPv6:::1]");
        assert_eq!(
            client_id("trainyard.example").to_string(),
            "trainyard.example"
        );
    }
}
