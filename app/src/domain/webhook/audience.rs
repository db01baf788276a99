//! Who a subscription speaks to, and seed 002's notification policy over
//! those audiences.
//!
//! `config/upgrade-policies.yaml` says which channels notify which
//! stakeholders (`channels: ["slack", "email"]`, `stakeholders:
//! ["platform-team", "release-managers"]`). A subscription that names an
//! audience (a stakeholder group: the team a Slack channel or a mailing list
//! belongs to) is sent only while the policy lists both its format and its
//! audience; a subscription without one (a CD system, a pager) is an
//! integration, and the policy leaves it alone. No policy, no muting.

use super::format::Format;
use serde::{Deserialize, Serialize};

/// A stakeholder group's name: one line, at most 60 characters, as written
/// (`platform-team`, `Release managers`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Audience(String);

pub const AUDIENCE_MAX: usize = 60;

impl Audience {
    /// The trimmed name; empty means no audience.
    pub fn parse(raw: &str) -> Result<Option<Self>, String> {
        let name = raw.trim();
        if name.is_empty() {
            return Ok(None);
        }
        if name.chars().count() > AUDIENCE_MAX {
            return Err(format!(
                "an audience (a stakeholder group) is at most {AUDIENCE_MAX} characters"
            ));
        }
        if name.chars().any(char::is_control) {
            return Err("an audience is one line of plain text".to_owned());
        }
        Ok(Some(Self(name.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Audience {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)?.ok_or_else(|| "a stakeholder needs a name".to_owned())
    }
}

impl From<Audience> for String {
    fn from(a: Audience) -> Self {
        a.0
    }
}

impl std::fmt::Display for Audience {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Seed 002's `notifications` block: whether stakeholders are notified,
/// through which channels (subscription formats) and which of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationPolicy {
    pub enabled: bool,
    #[serde(default)]
    pub channels: Vec<Format>,
    #[serde(default)]
    pub stakeholders: Vec<Audience>,
}

/// A stakeholder the policy names, and a channel it lists, that no enabled
/// subscription serves: the policy promises a message nobody will get.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreached {
    pub stakeholder: Audience,
    pub channel: Format,
}

impl std::fmt::Display for Unreached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} by {}", self.stakeholder, self.channel.as_str())
    }
}

impl NotificationPolicy {
    /// Why the policy keeps a subscription with this format and audience
    /// quiet, or `None` when it may be sent.
    pub fn mutes(&self, format: Format, audience: &Audience) -> Option<String> {
        if !self.enabled {
            return Some("the notification policy turns stakeholder notifications off".into());
        }
        if !self.stakeholders.contains(audience) {
            return Some(format!(
                "the notification policy does not list the stakeholder {audience}"
            ));
        }
        if !self.channels.contains(&format) {
            return Some(format!(
                "the notification policy does not list the channel {}",
                format.as_str()
            ));
        }
        None
    }

    /// Each listed stakeholder and channel that none of the enabled
    /// subscriptions `served` (their format and audience) reaches.
    pub fn unreached(&self, served: &[(Format, Audience)]) -> Vec<Unreached> {
        if !self.enabled {
            return Vec::new();
        }
        let mut gaps = Vec::new();
        for stakeholder in &self.stakeholders {
            for channel in &self.channels {
                let reached = served.iter().any(|(f, a)| f == channel && a == stakeholder);
                if !reached {
                    gaps.push(Unreached {
                        stakeholder: stakeholder.clone(),
                        channel: *channel,
                    });
                }
            }
        }
        gaps
    }
}

/// Why `policy` (if any) keeps a subscription quiet; one without an
/// audience is never muted.
pub fn muted_by(
    policy: Option<&NotificationPolicy>,
    format: Format,
    audience: Option<&Audience>,
) -> Option<String> {
    policy.zip(audience).and_then(|(p, a)| p.mutes(format, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audience(name: &str) -> Audience {
        Audience::parse(name).unwrap().unwrap()
    }

    fn seed() -> NotificationPolicy {
        serde_norway::from_str(
            "enabled: true\nchannels: [\"slack\", \"email\"]\n\
             stakeholders: [\"platform-team\", \"release-managers\"]\n",
        )
        .unwrap()
    }

    #[test]
    fn the_seed_block_reads_as_formats_and_audiences() {
        let policy = seed();
        assert_eq!(policy.channels, [Format::Slack, Format::Email]);
        assert_eq!(
            policy.stakeholders,
            [audience("platform-team"), audience("release-managers")]
        );
        let back = serde_norway::to_string(&policy).unwrap();
        assert_eq!(
            serde_norway::from_str::<NotificationPolicy>(&back).unwrap(),
            policy
        );
    }

    #[test]
    fn an_unknown_channel_or_a_blank_stakeholder_is_refused_by_name() {
        let err =
            serde_norway::from_str::<NotificationPolicy>("enabled: true\nchannels: [\"sms\"]\n")
                .unwrap_err()
                .to_string();
        assert!(err.contains("sms") && err.contains("slack"), "{err}");
        let err =
            serde_norway::from_str::<NotificationPolicy>("enabled: true\nstakeholders: [\"  \"]\n")
                .unwrap_err()
                .to_string();
        assert!(err.contains("needs a name"), "{err}");
        assert!(Audience::parse(&"x".repeat(61)).is_err());
        assert!(Audience::parse("a\nb").is_err());
        assert_eq!(Audience::parse("  "), Ok(None));
    }

    #[test]
    fn a_subscription_is_sent_only_for_a_listed_channel_and_stakeholder() {
        let policy = seed();
        let platform = audience("platform-team");
        assert_eq!(policy.mutes(Format::Slack, &platform), None);
        assert_eq!(policy.mutes(Format::Email, &platform), None);
        let why = policy.mutes(Format::Standard, &platform).unwrap();
        assert!(why.contains("channel standard"), "{why}");
        let why = policy.mutes(Format::Slack, &audience("finance")).unwrap();
        assert!(why.contains("stakeholder finance"), "{why}");
        let off = NotificationPolicy {
            enabled: false,
            ..seed()
        };
        assert!(off.mutes(Format::Slack, &platform).unwrap().contains("off"));
    }

    #[test]
    fn integrations_and_a_missing_policy_are_never_muted() {
        let off = NotificationPolicy {
            enabled: false,
            ..seed()
        };
        assert_eq!(muted_by(Some(&off), Format::Standard, None), None);
        assert_eq!(
            muted_by(None, Format::Slack, Some(&audience("anyone"))),
            None
        );
        assert!(muted_by(Some(&off), Format::Slack, Some(&audience("platform-team"))).is_some());
    }

    #[test]
    fn each_stakeholder_and_channel_nobody_serves_is_named() {
        let policy = seed();
        let served = [
            (Format::Slack, audience("platform-team")),
            (Format::Email, audience("platform-team")),
            (Format::Slack, audience("release-managers")),
            (Format::Standard, audience("release-managers")),
        ];
        let gaps: Vec<String> = policy
            .unreached(&served)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(gaps, ["release-managers by email"]);
        let off = NotificationPolicy {
            enabled: false,
            ..seed()
        };
        assert!(off.unreached(&[]).is_empty(), "nothing is promised");
    }
}
