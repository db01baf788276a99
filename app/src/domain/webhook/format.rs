//! What a subscription's deliveries look like: the Standard Webhooks body
//! (`{type, timestamp, data}`, the default), a Slack incoming-webhook
//! message built from it (see [`super::slack`]), so that a subscription can
//! point straight at a Slack channel, or an e-mail (see [`super::email`])
//! to the recipients of a `mailto:` URI. The first two are posted over
//! http(s) and signed the same way; e-mail goes through the operator's
//! SMTP relay, unsigned.

use serde::{Deserialize, Serialize};

/// What a subscription is sent: `standard` (the Standard Webhooks JSON
/// body; the default), `slack` (a Slack incoming-webhook message) or
/// `email` (an e-mail to a `mailto:` list of recipients).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    // Plain comments: a documented variant would make the published schema
    // a `oneOf` rather than an `enum`, and its refusals harder to read.
    // The Standard Webhooks JSON body, as each type's schema describes it.
    #[default]
    Standard,
    // A Slack message: `{"text", "blocks"}`.
    Slack,
    // An e-mail through the SMTP relay; the URL is a `mailto:` URI.
    Email,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Standard, Format::Slack, Format::Email];

    /// `standard`, `slack` or `email`; anything else is refused with a
    /// message for the `format` field.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "standard" => Ok(Self::Standard),
            "slack" => Ok(Self::Slack),
            "email" => Ok(Self::Email),
            other => Err(format!(
                "{other:?} is not a webhook format: standard (Standard Webhooks JSON), slack \
                 (a Slack message) or email (an e-mail to a mailto: list)"
            )),
        }
    }

    /// The name the API, the forms and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Slack => "slack",
            Self::Email => "email",
        }
    }

    /// How the pages name it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Standard => "Standard Webhooks JSON",
            Self::Slack => "Slack message",
            Self::Email => "E-mail",
        }
    }

    /// Whether deliveries go to a `mailto:` list through the SMTP relay
    /// rather than being posted to an http(s) URL.
    pub fn is_email(self) -> bool {
        self == Self::Email
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_parses_back_from_its_name() {
        for format in Format::ALL {
            assert_eq!(Format::parse(format.as_str()), Ok(format));
            assert_eq!(
                serde_json::to_value(format).unwrap(),
                serde_json::json!(format.as_str())
            );
        }
        assert_eq!(Format::parse(" slack "), Ok(Format::Slack));
        assert_eq!(Format::parse("email"), Ok(Format::Email));
        assert_eq!(Format::default(), Format::Standard);
    }

    #[test]
    fn an_unknown_format_is_refused_by_name() {
        let err = Format::parse("teams").unwrap_err();
        assert!(
            err.contains("\"teams\"") && err.contains("slack") && err.contains("email"),
            "{err}"
        );
        assert!(Format::parse("").is_err());
        assert!(Format::parse("Slack").is_err(), "names are lower-case");
    }
}
