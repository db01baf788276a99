//! The SMTP relay that e-mail subscriptions are sent through
//! (`TRAINYARD_SMTP_URL`) and who the messages are from
//! (`TRAINYARD_SMTP_FROM`). Without a relay, e-mail is not offered.

use super::{invalid, ConfigError};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use secrecy::SecretString;
use url::Url;

#[derive(Clone, Debug)]
pub struct SmtpSettings {
    /// `smtp://host:587?tls=required`, `smtps://user:pass@host`,
    /// `smtp://127.0.0.1:2525` (no TLS); it may hold the relay's password.
    pub url: SecretString,
    pub from: Mailbox,
    /// The public URL's host: the right-hand side of each `Message-ID`,
    /// and the EHLO name unless the URL's path names one.
    pub host: String,
}

impl SmtpSettings {
    /// `None` when `TRAINYARD_SMTP_URL` is unset or empty.
    pub fn from_lookup(
        lookup: &impl Fn(&str) -> Option<String>,
        public_url: &Url,
    ) -> Result<Option<Self>, ConfigError> {
        let Some(raw) = lookup("TRAINYARD_SMTP_URL").filter(|v| !v.trim().is_empty()) else {
            return Ok(None);
        };
        let raw = raw.trim().to_owned();
        if let Err(e) = AsyncSmtpTransport::<Tokio1Executor>::from_url(&raw) {
            return Err(invalid(
                "TRAINYARD_SMTP_URL",
                &shown(&raw),
                format!(
                    "{e} (write smtp://host:587?tls=required, smtps://user:password@host or \
                     smtp://host:port for no TLS)"
                ),
            ));
        }
        let host = public_url.host_str().unwrap_or("localhost").to_owned();
        let default_from = format!("Trainyard <trainyard@{host}>");
        let from = lookup("TRAINYARD_SMTP_FROM")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or(default_from);
        let from = from.trim().parse::<Mailbox>().map_err(|e| {
            invalid(
                "TRAINYARD_SMTP_FROM",
                &from,
                format!("{e}: write an address, or a name and <address>"),
            )
        })?;
        Ok(Some(Self {
            url: SecretString::from(raw),
            from,
            host,
        }))
    }
}

/// The URL as an error may show it: without its password.
fn shown(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("<hidden>"));
            url.to_string()
        }
        Ok(_) => raw.to_owned(),
        Err(_) if raw.contains('@') => "<hidden>".to_owned(),
        Err(_) => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn smtp(vars: &[(&str, &str)]) -> Result<Option<SmtpSettings>, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let public = Url::parse("https://trainyard.example/").unwrap();
        SmtpSettings::from_lookup(&|k| map.get(k).cloned(), &public)
    }

    #[test]
    fn no_relay_no_email() {
        assert!(smtp(&[]).unwrap().is_none());
        assert!(smtp(&[("TRAINYARD_SMTP_URL", " ")]).unwrap().is_none());
    }

    #[test]
    fn each_documented_form_is_taken_and_mail_is_from_the_public_host() {
        for url in [
            "smtp://relay.example.com:587?tls=required",
            "smtps://user:pass@relay.example.com",
            "smtp://127.0.0.1:2525",
        ] {
            let s = smtp(&[("TRAINYARD_SMTP_URL", url)]).unwrap().expect(url);
            assert_eq!(s.url.expose_secret(), url);
            assert_eq!(
                s.from.to_string(),
                "Trainyard <trainyard@trainyard.example>"
            );
            assert_eq!(s.host, "trainyard.example");
        }
        let s = smtp(&[
            ("TRAINYARD_SMTP_URL", "smtp://127.0.0.1:2525"),
            ("TRAINYARD_SMTP_FROM", "Release bot <releases@example.com>"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(s.from.email.to_string(), "releases@example.com");
    }

    #[test]
    fn a_wrong_value_is_named_without_its_password() {
        let err = smtp(&[("TRAINYARD_SMTP_URL", "http://user:s3cret@relay.example.com")])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("TRAINYARD_SMTP_URL"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        let err = smtp(&[
            ("TRAINYARD_SMTP_URL", "smtp://127.0.0.1:2525"),
            ("TRAINYARD_SMTP_FROM", "not an address"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("TRAINYARD_SMTP_FROM"), "{err}");
    }
}
