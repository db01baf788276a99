use super::track_name::TrackName;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A release tag: `v<MAJOR>.<MINOR>.<PATCH>` followed by what kind of release it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrainTag {
    version: semver::Version,
    kind: TagKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TagKind {
    /// `v0.5.0-dev.3`: the n-th train of a track within a version line.
    Track { track: TrackName, n: u32 },
    /// `v1.2.0-rc2`: a release candidate.
    ReleaseCandidate { n: u32 },
    /// `v1.2.0`: general availability.
    GeneralAvailability,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainTagError {
    #[error("tag {0:?} must start with 'v'")]
    MissingV(String),
    #[error("tag {tag:?}: the version part is not MAJOR.MINOR.PATCH ({reason})")]
    Version { tag: String, reason: String },
    #[error("tag {tag:?} carries build metadata ('+…'), which release tags do not use")]
    BuildMetadata { tag: String },
    #[error("tag {tag:?}: the pre-release part {pre:?} is neither '<track>.<n>' nor 'rc<n>'")]
    PreRelease { tag: String, pre: String },
    #[error("tag {tag:?}: the track {track:?} is not a valid track name")]
    Track { tag: String, track: String },
    #[error("tag {tag:?}: the train number must be a positive integer, found {n:?}")]
    Number { tag: String, n: String },
}

impl TrainTag {
    pub fn track(version: semver::Version, track: TrackName, n: u32) -> Self {
        Self {
            version: semver::Version::new(version.major, version.minor, version.patch),
            kind: TagKind::Track { track, n },
        }
    }

    /// `v1.2.0`: a release (general availability).
    pub fn release(version: semver::Version) -> Self {
        Self {
            version: semver::Version::new(version.major, version.minor, version.patch),
            kind: TagKind::GeneralAvailability,
        }
    }

    /// `v1.2.0-rc2`
    pub fn candidate(version: semver::Version, n: u32) -> Self {
        Self {
            version: semver::Version::new(version.major, version.minor, version.patch),
            kind: TagKind::ReleaseCandidate { n },
        }
    }

    pub fn parse(raw: &str) -> Result<Self, TrainTagError> {
        let rest = raw
            .strip_prefix('v')
            .ok_or_else(|| TrainTagError::MissingV(raw.to_owned()))?;
        let parsed = semver::Version::parse(rest).map_err(|e| TrainTagError::Version {
            tag: raw.to_owned(),
            reason: e.to_string(),
        })?;
        if !parsed.build.is_empty() {
            return Err(TrainTagError::BuildMetadata {
                tag: raw.to_owned(),
            });
        }
        let version = semver::Version::new(parsed.major, parsed.minor, parsed.patch);
        let pre = parsed.pre.as_str();
        let kind = if pre.is_empty() {
            TagKind::GeneralAvailability
        } else if let Some(n) = pre.strip_prefix("rc").filter(|n| !n.contains('.')) {
            TagKind::ReleaseCandidate {
                n: parse_number(raw, n)?,
            }
        } else {
            let (track, n) = pre
                .split_once('.')
                .ok_or_else(|| TrainTagError::PreRelease {
                    tag: raw.to_owned(),
                    pre: pre.to_owned(),
                })?;
            let track = TrackName::parse(track).map_err(|_| TrainTagError::Track {
                tag: raw.to_owned(),
                track: track.to_owned(),
            })?;
            TagKind::Track {
                track,
                n: parse_number(raw, n)?,
            }
        };
        Ok(Self { version, kind })
    }

    pub fn version(&self) -> &semver::Version {
        &self.version
    }

    pub fn kind(&self) -> &TagKind {
        &self.kind
    }
}

/// Release order of tags: by version; within a version, a track's trains
/// (`-dev.3`) come before release candidates, which come before GA. Numbers
/// compare as numbers (`rc2` < `rc10`), unlike semver's lexical pre-release
/// identifiers.
impl Ord for TrainTag {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        fn rank(kind: &TagKind) -> (u8, &str, u32) {
            match kind {
                TagKind::Track { track, n } => (0, track.as_str(), *n),
                TagKind::ReleaseCandidate { n } => (1, "", *n),
                TagKind::GeneralAvailability => (2, "", 0),
            }
        }
        self.version
            .cmp(&other.version)
            .then_with(|| rank(&self.kind).cmp(&rank(&other.kind)))
    }
}

impl PartialOrd for TrainTag {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn parse_number(tag: &str, n: &str) -> Result<u32, TrainTagError> {
    let bad = || TrainTagError::Number {
        tag: tag.to_owned(),
        n: n.to_owned(),
    };
    if n.starts_with('0') {
        return Err(bad());
    }
    n.parse::<u32>().map_err(|_| bad())
}

impl fmt::Display for TrainTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.version)?;
        match &self.kind {
            TagKind::Track { track, n } => write!(f, "-{track}.{n}"),
            TagKind::ReleaseCandidate { n } => write!(f, "-rc{n}"),
            TagKind::GeneralAvailability => Ok(()),
        }
    }
}

impl TryFrom<String> for TrainTag {
    type Error = TrainTagError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TrainTag> for String {
    fn from(value: TrainTag) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tag_strategy() -> impl Strategy<Value = String> {
        let version = (0u64..3, 0u64..3, 0u64..3);
        let kind = prop_oneof![
            (
                prop::sample::select(vec!["dev", "staging", "hotfix"]),
                1u32..30
            )
                .prop_map(|(t, n)| format!("-{t}.{n}")),
            (1u32..30).prop_map(|n| format!("-rc{n}")),
            Just(String::new()),
        ];
        (version, kind).prop_map(|((a, b, c), k)| format!("v{a}.{b}.{c}{k}"))
    }

    proptest! {
        /// Every generated tag round-trips, and the order is a total order
        /// consistent with equality.
        #[test]
        fn tags_round_trip_and_order_totally(a in tag_strategy(), b in tag_strategy(), c in tag_strategy()) {
            let (ta, tb, tc) = (
                TrainTag::parse(&a).unwrap(),
                TrainTag::parse(&b).unwrap(),
                TrainTag::parse(&c).unwrap(),
            );
            prop_assert_eq!(ta.to_string(), a);
            prop_assert_eq!(ta.cmp(&tb), tb.cmp(&ta).reverse());
            prop_assert_eq!(ta.cmp(&tb) == std::cmp::Ordering::Equal, ta == tb);
            if ta <= tb && tb <= tc {
                prop_assert!(ta <= tc);
            }
        }

        /// Within a version: track trains, then release candidates, then GA;
        /// numbers compare as numbers.
        #[test]
        fn within_a_version_tags_follow_the_release_sequence(n in 1u32..50, m in 1u32..50) {
            let dev = |k: u32| TrainTag::parse(&format!("v1.2.0-dev.{k}")).unwrap();
            let rc = |k: u32| TrainTag::parse(&format!("v1.2.0-rc{k}")).unwrap();
            let ga = TrainTag::parse("v1.2.0").unwrap();
            prop_assert_eq!(dev(n).cmp(&dev(m)), n.cmp(&m));
            prop_assert_eq!(rc(n).cmp(&rc(m)), n.cmp(&m));
            prop_assert!(dev(n) < rc(m) && rc(m) < ga);
            prop_assert!(ga < TrainTag::parse("v1.2.1-dev.1").unwrap());
        }
    }

    #[test]
    fn parses_and_prints_every_tag_form_of_the_seeds() {
        for raw in [
            "v0.5.0-dev.3",
            "v0.5.0-staging.1",
            "v0.5.0-hotfix.1",
            "v1.2.0-rc2",
            "v1.2.0",
        ] {
            assert_eq!(TrainTag::parse(raw).unwrap().to_string(), raw);
        }
        let tag = TrainTag::parse("v0.5.0-dev.3").unwrap();
        assert_eq!(
            tag.kind(),
            &TagKind::Track {
                track: TrackName::parse("dev").unwrap(),
                n: 3
            }
        );
    }

    #[test]
    fn names_the_part_of_a_malformed_tag_that_is_wrong() {
        assert!(matches!(
            TrainTag::parse("0.5.0"),
            Err(TrainTagError::MissingV(_))
        ));
        assert!(matches!(
            TrainTag::parse("v0.5-dev.1"),
            Err(TrainTagError::Version { .. })
        ));
        assert!(matches!(
            TrainTag::parse("v0.5.0-dev"),
            Err(TrainTagError::PreRelease { .. })
        ));
        assert!(matches!(
            TrainTag::parse("v0.5.0-Dev.1"),
            Err(TrainTagError::Track { .. })
        ));
        assert!(matches!(
            TrainTag::parse("v0.5.0-dev.0"),
            Err(TrainTagError::Number { .. })
        ));
        assert!(matches!(
            TrainTag::parse("v0.5.0-rcx"),
            Err(TrainTagError::Number { .. })
        ));
        assert!(matches!(
            TrainTag::parse("v0.5.0+b1"),
            Err(TrainTagError::BuildMetadata { .. })
        ));
    }
}
