//! How a track names its releases: the tag its trains get, what each train
//! does to the version line, and the release branch it is cut on. Every
//! field has a default, so a track that says nothing tags seed 003's way
//! (`v0.5.0-dev.3`) on seed 000's branches (`release/2025.09-wk3`).

mod branch;
mod tag;

pub use branch::{BranchTemplate, BRANCH_TEMPLATE, TRAIN_ID_FORMAT};
pub use tag::{TagTemplate, VersionBump, CANDIDATES_TEMPLATE, RELEASE_TEMPLATE, TRACK_TEMPLATE};

use super::service::Invalid;
use serde::{Deserialize, Serialize};

/// A track's naming as an admin writes it; an empty field takes its default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NamingInput {
    /// `v{version}-{track}.{n}` (the default), `v{version}-<word>.{n}`, or
    /// `v{version}-rc{n}`: release candidates, then `v{version}` at GA.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tag: String,
    /// What a train does to the version line the next trains take: `same`
    /// (they count on: `-dev.1`, `-dev.2`), `patch`, `minor` or `major`.
    /// Default: `minor` with release candidates, `same` otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub next_version: String,
    /// The release branch: `{train_id}`, `{track}` and `{version}` between
    /// literal text. Default `release/{train_id}`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub branch: String,
    /// The train id: `{year}`, `{month}`, `{day}`, `{week_of_month}`,
    /// `{iso_week}` and `{track}`. Default `{year}.{month}-wk{week_of_month}`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub train_id: String,
}

/// A track's naming, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Naming {
    pub tag: TagTemplate,
    pub next_version: VersionBump,
    pub branch: BranchTemplate,
}

impl Default for Naming {
    fn default() -> Self {
        Self {
            tag: TagTemplate::Track,
            next_version: VersionBump::Same,
            branch: BranchTemplate::default(),
        }
    }
}

fn or_default<'a>(raw: &'a str, default: &'a str) -> &'a str {
    match raw.trim() {
        "" => default,
        text => text,
    }
}

impl NamingInput {
    /// Each problem names its field as `naming.<field>`.
    pub fn parse(&self) -> Result<Naming, Invalid> {
        let tag = TagTemplate::parse(or_default(&self.tag, TRACK_TEMPLATE))
            .map_err(|e| Invalid::new("naming.tag", e))?;
        let next_version = match self.next_version.trim() {
            "" => Naming::default_bump(&tag),
            raw => VersionBump::parse(raw).map_err(|e| Invalid::new("naming.next_version", e))?,
        };
        if tag.needs_own_version() && next_version == VersionBump::Same {
            return Err(Invalid::new(
                "naming.next_version",
                "with release candidates or releases each train is a version of its own: choose patch, minor or major",
            ));
        }
        let branch = BranchTemplate::parse(
            or_default(&self.branch, BRANCH_TEMPLATE),
            or_default(&self.train_id, TRAIN_ID_FORMAT),
        )
        .map_err(|(field, e)| Invalid::new(format!("naming.{field}"), e))?;
        Ok(Naming {
            tag,
            next_version,
            branch,
        })
    }
}

impl Naming {
    fn default_bump(tag: &TagTemplate) -> VersionBump {
        match tag {
            TagTemplate::Candidates => VersionBump::Minor,
            TagTemplate::Release => VersionBump::Patch,
            TagTemplate::Track | TagTemplate::Label(_) => VersionBump::Same,
        }
    }

    /// Every field written out, defaults too: what a reader is shown.
    pub fn spelled_out(&self) -> NamingInput {
        NamingInput {
            tag: self.tag.to_string(),
            next_version: self.next_version.as_str().to_owned(),
            branch: self.branch.branch_template(),
            train_id: self.branch.train_id_format(),
        }
    }

    /// The input that parses to this naming, leaving out every default, so
    /// that a track that keeps the defaults stores and exports nothing.
    pub fn to_input(&self) -> NamingInput {
        let keep = |value: String, default: &str| {
            if value == default {
                String::new()
            } else {
                value
            }
        };
        NamingInput {
            tag: keep(self.tag.to_string(), TRACK_TEMPLATE),
            next_version: keep(
                self.next_version.as_str().to_owned(),
                Self::default_bump(&self.tag).as_str(),
            ),
            branch: keep(self.branch.branch_template(), BRANCH_TEMPLATE),
            train_id: keep(self.branch.train_id_format(), TRAIN_ID_FORMAT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_said_is_seed_003s_tags_on_seed_000s_branches() {
        let naming = NamingInput::default().parse().unwrap();
        assert_eq!(naming, Naming::default());
        assert_eq!(naming.to_input(), NamingInput::default());
        let full = naming.spelled_out();
        assert_eq!(full.branch, "release/{train_id}");
        assert_eq!(full.parse().unwrap().to_input(), NamingInput::default());
    }

    #[test]
    fn seed_000s_candidates_start_a_minor_version_per_train() {
        let input = NamingInput {
            tag: CANDIDATES_TEMPLATE.into(),
            ..NamingInput::default()
        };
        let naming = input.parse().unwrap();
        assert_eq!(naming.next_version, VersionBump::Minor);
        assert_eq!(naming.to_input(), input);
        let same = NamingInput {
            next_version: "same".into(),
            ..input
        };
        assert_eq!(same.parse().unwrap_err().field, "naming.next_version");
    }

    #[test]
    fn every_field_round_trips_and_names_itself_when_wrong() {
        let input = NamingInput {
            tag: "v{version}-beta.{n}".into(),
            next_version: "patch".into(),
            branch: "rel/{track}-{train_id}".into(),
            train_id: "{year}w{iso_week}".into(),
        };
        assert_eq!(input.parse().unwrap().to_input(), input);
        for (bad, field) in [
            (
                NamingInput {
                    tag: "x".into(),
                    ..input.clone()
                },
                "naming.tag",
            ),
            (
                NamingInput {
                    next_version: "x".into(),
                    ..input.clone()
                },
                "naming.next_version",
            ),
            (
                NamingInput {
                    branch: "x".into(),
                    ..input.clone()
                },
                "naming.branch",
            ),
            (
                NamingInput {
                    train_id: "{x}".into(),
                    ..input.clone()
                },
                "naming.train_id",
            ),
        ] {
            assert_eq!(bad.parse().unwrap_err().field, field);
        }
    }
}
