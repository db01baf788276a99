//! Where a subscription's deliveries go, as its format says: an http(s)
//! URL for `standard` and `slack`, a `mailto:` list of recipients for
//! `email`; and which of those this deployment can reach at all.
//!
//! The allow-list guards http(s) only: a request to a URL comes from inside
//! the network Trainyard runs in, while an e-mail is handed to the
//! operator's own SMTP relay, which decides where mail may go.

use super::allow::AllowList;
use super::format::Format;
use super::mailto::{is_mailto, Recipients};
use super::url::WebhookUrl;

/// How this deployment can deliver: over http(s) to what the allow-list
/// admits, and by e-mail when an SMTP relay is configured
/// (`TRAINYARD_SMTP_URL`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Channels {
    pub allow: AllowList,
    pub email: bool,
}

impl Channels {
    /// Refuses a format this deployment cannot send, saying what it needs.
    pub fn offers(&self, format: Format) -> Result<(), String> {
        if format == Format::Email && !self.email {
            return Err(
                "e-mail needs an SMTP relay: the server's TRAINYARD_SMTP_URL is not set \
                        (see the README's Outgoing webhooks)"
                    .to_owned(),
            );
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    Web(WebhookUrl),
    Mail(Recipients),
}

impl Destination {
    /// `raw` as the destination of a subscription in `format`: `mailto:`
    /// goes with `email` and only with it. What the allow-list leaves to
    /// resolution is the caller's to check.
    pub fn parse(raw: &str, format: Format, allow: &AllowList) -> Result<Self, String> {
        match (format, is_mailto(raw)) {
            (Format::Email, true) => Recipients::parse(raw).map(Self::Mail),
            (Format::Email, false) => Err(format!(
                "the format email sends to a mailto: URI listing recipients \
                 (mailto:release-managers@example.com,platform-team@example.com), not {:?}",
                raw.trim()
            )),
            (other, true) => Err(format!(
                "a mailto: URI is sent by e-mail: choose the format email, not {}",
                other.as_str()
            )),
            (_, false) => WebhookUrl::parse(raw, allow).map(Self::Web),
        }
    }

    /// The form the subscription keeps.
    pub fn to_url(&self) -> String {
        match self {
            Self::Web(url) => url.as_str().to_owned(),
            Self::Mail(recipients) => recipients.mailto(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailto_goes_with_the_email_format_and_only_with_it() {
        let any = AllowList::any();
        let mail = Destination::parse("mailto:a@example.com", Format::Email, &any).unwrap();
        assert_eq!(mail.to_url(), "mailto:a@example.com");
        let web = Destination::parse("https://hooks.example/in", Format::Slack, &any).unwrap();
        assert_eq!(web.to_url(), "https://hooks.example/in");

        let err = Destination::parse("mailto:a@example.com", Format::Standard, &any).unwrap_err();
        assert!(
            err.contains("format email") && err.contains("standard"),
            "{err}"
        );
        let err = Destination::parse("https://hooks.example/in", Format::Email, &any).unwrap_err();
        assert!(
            err.contains("mailto:") && err.contains("https://hooks.example/in"),
            "{err}"
        );
    }

    #[test]
    fn the_allow_list_does_not_judge_recipients() {
        let only = AllowList::parse("hooks.example").unwrap();
        assert!(Destination::parse("mailto:ops@elsewhere.example", Format::Email, &only).is_ok());
        assert!(Destination::parse("https://elsewhere.example/", Format::Standard, &only).is_err());
    }

    #[test]
    fn email_is_offered_only_with_a_relay() {
        let without = Channels::default();
        let err = without.offers(Format::Email).unwrap_err();
        assert!(err.contains("TRAINYARD_SMTP_URL"), "{err}");
        assert!(without.offers(Format::Slack).is_ok());
        let with = Channels {
            email: true,
            ..Channels::default()
        };
        assert!(with.offers(Format::Email).is_ok());
    }
}
