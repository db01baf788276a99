//! Outgoing webhooks: where they may go, how long a receiver gets, when a
//! failed delivery is tried again, and the relay e-mail goes through.

use super::smtp::SmtpSettings;
use super::{parse_or, ConfigError};
use app::domain::webhook::retry::DEFAULT_SCHEDULE;
use app::domain::webhook::{parse_delay, AllowList, Channels, RetrySchedule};
use app::services::webhooks::QueueSettings;
use std::time::Duration;
use url::Url;

#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// `TRAINYARD_WEBHOOK_ALLOW`: hosts and address ranges receivers may
    /// be at; empty, any.
    pub allow: AllowList,
    /// How long a receiver (or the SMTP relay) has to answer.
    pub timeout: Duration,
    /// How often an idle worker looks for due deliveries.
    pub poll: Duration,
    /// How many deliveries one instance posts at once.
    pub concurrency: i64,
    pub queue: QueueSettings,
    /// The relay of e-mail subscriptions; `None`, e-mail is not offered.
    pub smtp: Option<SmtpSettings>,
}

impl WebhookSettings {
    /// `public_url` names the host e-mail is from by default.
    pub fn from_lookup(
        lookup: &impl Fn(&str) -> Option<String>,
        public_url: &Url,
    ) -> Result<Self, ConfigError> {
        let positive = |v: &str| match parse_delay(v) {
            Ok(d) if !d.is_zero() => Ok(d),
            Ok(_) => Err("must be longer than zero".to_owned()),
            Err(e) => Err(e),
        };
        let timeout = parse_or(lookup, "TRAINYARD_WEBHOOK_TIMEOUT", "15s", positive)?;
        Ok(Self {
            allow: parse_or(lookup, "TRAINYARD_WEBHOOK_ALLOW", "", AllowList::parse)?,
            timeout,
            poll: parse_or(lookup, "TRAINYARD_WEBHOOK_POLL", "1s", positive)?,
            concurrency: parse_or(lookup, "TRAINYARD_WEBHOOK_CONCURRENCY", "8", |v| match v
                .parse::<i64>()
            {
                Ok(n) if (1..=256).contains(&n) => Ok(n),
                _ => Err("must be a number from 1 to 256".to_owned()),
            })?,
            queue: QueueSettings {
                schedule: parse_or(
                    lookup,
                    "TRAINYARD_WEBHOOK_RETRY_SCHEDULE",
                    DEFAULT_SCHEDULE,
                    RetrySchedule::parse,
                )?,
                lease: timeout + Duration::from_secs(30),
                disable_after: parse_or(
                    lookup,
                    "TRAINYARD_WEBHOOK_DISABLE_AFTER",
                    "24h",
                    positive,
                )?,
                retention: parse_or(lookup, "TRAINYARD_WEBHOOK_RETENTION", "30d", positive)?,
            },
            smtp: SmtpSettings::from_lookup(lookup, public_url)?,
        })
    }

    /// What subscriptions may be saved with: the allow-list, and e-mail
    /// when a relay is configured.
    pub fn channels(&self) -> Channels {
        Channels {
            allow: self.allow.clone(),
            email: self.smtp.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<WebhookSettings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let public = Url::parse("http://127.0.0.1:3000/").unwrap();
        WebhookSettings::from_lookup(&|k| map.get(k).cloned(), &public)
    }

    #[test]
    fn defaults_follow_standard_webhooks() {
        let s = settings(&[]).unwrap();
        assert!(s.allow.allows_anything());
        assert_eq!(s.timeout, Duration::from_secs(15));
        assert_eq!(s.queue.schedule, RetrySchedule::default());
        assert_eq!(s.queue.disable_after, Duration::from_secs(86_400));
        assert!(!s.channels().email, "no relay, no e-mail");
    }

    #[test]
    fn a_relay_sends_mail_from_the_public_host() {
        let s = settings(&[("TRAINYARD_SMTP_URL", "smtp://127.0.0.1:2525")]).unwrap();
        assert!(s.channels().email);
        assert_eq!(
            s.smtp.unwrap().from.to_string(),
            "Trainyard <trainyard@127.0.0.1>"
        );
    }

    #[test]
    fn wrong_values_name_their_variable() {
        for (var, value) in [
            ("TRAINYARD_WEBHOOK_ALLOW", "10.0.0.0/40"),
            ("TRAINYARD_WEBHOOK_TIMEOUT", "0s"),
            ("TRAINYARD_WEBHOOK_RETRY_SCHEDULE", "soon"),
            ("TRAINYARD_WEBHOOK_CONCURRENCY", "0"),
            ("TRAINYARD_SMTP_URL", "ftp://relay.example.com"),
        ] {
            let err = settings(&[(var, value)]).unwrap_err().to_string();
            assert!(err.starts_with(var), "{err}");
        }
    }
}
