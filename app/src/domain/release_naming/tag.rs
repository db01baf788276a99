//! How a track tags its trains, and what a train does to the version line.

use crate::domain::train_tag::TrainTag;
use crate::domain::TrackName;
use std::fmt;

/// The tag a track's train gets when it is planned (seed 003's
/// `v{version}-{track}.{n}`) or cut (seed 000's `v{version}-rc{n}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagTemplate {
    /// `v{version}-{track}.{n}`: the n-th train of the track in a version line.
    Track,
    /// `v{version}-beta.{n}`: the same with a fixed word instead of the
    /// track's name.
    Label(TrackName),
    /// `v{version}-rc{n}`: release candidates, then `v{version}` at GA.
    Candidates,
    /// `v{version}`: every train a release of its own (seed 004: a hotfix
    /// is the next patch release of the tag it branched from).
    Release,
}

pub const TRACK_TEMPLATE: &str = "v{version}-{track}.{n}";
pub const CANDIDATES_TEMPLATE: &str = "v{version}-rc{n}";
pub const RELEASE_TEMPLATE: &str = "v{version}";

impl TagTemplate {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let shapes = format!(
            "a tag template is {TRACK_TEMPLATE}, v{{version}}-<word>.{{n}}, {CANDIDATES_TEMPLATE} or {RELEASE_TEMPLATE}"
        );
        if raw.trim() == RELEASE_TEMPLATE {
            return Ok(Self::Release);
        }
        let pre = raw
            .trim()
            .strip_prefix("v{version}-")
            .ok_or_else(|| format!("{raw:?} does not start with v{{version}}-: {shapes}"))?;
        if pre == "rc{n}" {
            return Ok(Self::Candidates);
        }
        let word = pre
            .strip_suffix(".{n}")
            .ok_or_else(|| format!("{raw:?} does not end with .{{n}} or -rc{{n}}: {shapes}"))?;
        if word == "{track}" {
            return Ok(Self::Track);
        }
        if word == "rc" {
            return Err(format!(
                "{raw:?}: release candidates are {CANDIDATES_TEMPLATE}"
            ));
        }
        TrackName::parse(word).map(Self::Label).map_err(|e| {
            format!("{raw:?}: the word {word:?} is not usable in a tag ({e}); {shapes}")
        })
    }

    /// The tag of the n-th train (or candidate) of `track` in `version`'s line.
    pub fn tag(&self, version: &semver::Version, track: &TrackName, n: u32) -> TrainTag {
        match self {
            Self::Track => TrainTag::track(version.clone(), track.clone(), n),
            Self::Label(word) => TrainTag::track(version.clone(), word.clone(), n),
            Self::Candidates => TrainTag::candidate(version.clone(), n),
            Self::Release => TrainTag::release(semver::Version::new(
                version.major,
                version.minor,
                version.patch + u64::from(n.saturating_sub(1)),
            )),
        }
    }

    /// Whether each train takes a version of its own (candidates of one
    /// version, or a release), so the line must move after every train.
    pub fn needs_own_version(&self) -> bool {
        matches!(self, Self::Candidates | Self::Release)
    }

    /// Whether a train ends with a general-availability tag `v{version}`.
    pub fn has_candidates(&self) -> bool {
        matches!(self, Self::Candidates)
    }
}

impl fmt::Display for TagTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Track => f.write_str(TRACK_TEMPLATE),
            Self::Label(word) => write!(f, "v{{version}}-{word}.{{n}}"),
            Self::Candidates => f.write_str(CANDIDATES_TEMPLATE),
            Self::Release => f.write_str(RELEASE_TEMPLATE),
        }
    }
}

/// What a train of a track does to the version line the next trains take:
/// seed 003's dev trains count on in the same line (`-dev.1`, `-dev.2`)
/// until a staging train closes it (the next patch version).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionBump {
    Same,
    Patch,
    Minor,
    Major,
}

impl VersionBump {
    pub const ALL: [Self; 4] = [Self::Same, Self::Patch, Self::Minor, Self::Major];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Same => "same",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|b| b.as_str() == raw.trim())
            .ok_or_else(|| format!("{raw:?} is not one of same, patch, minor, major"))
    }

    /// The line after a train of `line`; `None` when the line stays.
    pub fn after(self, line: &semver::Version) -> Option<semver::Version> {
        let (a, b, c) = (line.major, line.minor, line.patch);
        match self {
            Self::Same => None,
            Self::Patch => Some(semver::Version::new(a, b, c + 1)),
            Self::Minor => Some(semver::Version::new(a, b + 1, 0)),
            Self::Major => Some(semver::Version::new(a + 1, 0, 0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(s: &str) -> semver::Version {
        semver::Version::parse(s).unwrap()
    }

    #[test]
    fn the_seeds_templates_tag_as_the_seeds_do() {
        let dev = TrackName::parse("dev").unwrap();
        let tag = |t: &str, n| {
            TagTemplate::parse(t)
                .unwrap()
                .tag(&v("0.5.0"), &dev, n)
                .to_string()
        };
        assert_eq!(tag(TRACK_TEMPLATE, 3), "v0.5.0-dev.3");
        assert_eq!(tag("v{version}-beta.{n}", 2), "v0.5.0-beta.2");
        assert_eq!(tag(CANDIDATES_TEMPLATE, 1), "v0.5.0-rc1");
        assert_eq!(tag(RELEASE_TEMPLATE, 1), "v0.5.0");
        assert_eq!(tag(RELEASE_TEMPLATE, 3), "v0.5.2");
        assert_eq!(
            TagTemplate::parse(" v{version} ").unwrap().to_string(),
            RELEASE_TEMPLATE
        );
    }

    #[test]
    fn a_template_that_cannot_make_a_tag_says_what_can() {
        for bad in [
            "{version}-{track}.{n}",
            "v{version}-{track}",
            "v{version}-Beta.{n}",
            "v{version}-rc.{n}",
        ] {
            let e = TagTemplate::parse(bad).unwrap_err();
            assert!(e.contains("v{version}-rc{n}"), "{bad}: {e}");
        }
    }

    #[test]
    fn bumps_move_the_line() {
        assert_eq!(VersionBump::Same.after(&v("1.2.3")), None);
        assert_eq!(VersionBump::Patch.after(&v("1.2.3")), Some(v("1.2.4")));
        assert_eq!(VersionBump::Minor.after(&v("1.2.3")), Some(v("1.3.0")));
        assert_eq!(VersionBump::Major.after(&v("1.2.3")), Some(v("2.0.0")));
        assert!(VersionBump::parse("build")
            .unwrap_err()
            .contains("same, patch"));
    }

    proptest! {
        /// A template prints as it parses, and every tag it makes parses back.
        #[test]
        fn templates_round_trip(word in "[a-z][a-z0-9]{0,8}", n in 1u32..100, major in 0u64..5) {
            let raw = if word.starts_with("rc") { CANDIDATES_TEMPLATE.to_owned() } else { format!("v{{version}}-{word}.{{n}}") };
            let template = TagTemplate::parse(&raw).unwrap();
            prop_assert_eq!(template.to_string(), raw);
            let tag = template.tag(&semver::Version::new(major, 1, 0), &TrackName::parse("dev").unwrap(), n);
            prop_assert_eq!(TrainTag::parse(&tag.to_string()).unwrap(), tag);
        }
    }
}
