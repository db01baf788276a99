//! What a subscription's deliveries look like: the Standard Webhooks body
//! (`{type, timestamp, data}`, the default), or a Slack incoming-webhook
//! message built from it (see [`super::slack`]), so that a subscription can
//! point straight at a Slack channel. Both are signed the same way.

use serde::{Deserialize, Serialize};

/// What a subscription is posted: `standard` (the Standard Webhooks JSON
/// body; the default) or `slack` (a Slack incoming-webhook message).
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
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Standard, Format::Slack];

    /// `standard` or `slack`; anything else is refused with a message for
    /// the `format` field.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "standard" => Ok(Self::Standard),
            "slack" => Ok(Self::Slack),
            other => Err(format!(
                "{other:?} is not a webhook format: standard (Standard Webhooks JSON) or slack \
                 (a Slack message)"
            )),
        }
    }

    /// The name the API, the forms and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Slack => "slack",
        }
    }

    /// How the pages name it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Standard => "Standard Webhooks JSON",
            Self::Slack => "Slack message",
        }
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
        assert_eq!(Format::default(), Format::Standard);
    }

    #[test]
    fn an_unknown_format_is_refused_by_name() {
        let err = Format::parse("teams").unwrap_err();
        assert!(err.contains("\"teams\"") && err.contains("slack"), "{err}");
        assert!(Format::parse("").is_err());
        assert!(Format::parse("Slack").is_err(), "names are lower-case");
    }
}
