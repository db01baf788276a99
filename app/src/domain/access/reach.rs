//! Where a CI token may act: the trains of some tracks, some trains by name,
//! or (nothing listed) every train. Scopes say what a token may do; its
//! reach says on which trains. A pipeline that builds one track's releases
//! gets a token that cannot touch another track's trains even by mistake.

use crate::domain::train_name::TrainName;
use crate::domain::TrackName;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The trains a token may act on. Empty lists mean every train, as every
/// token could before reaches existed, so stored tokens keep their powers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    #[serde(default)]
    tracks: BTreeSet<String>,
    #[serde(default)]
    trains: BTreeSet<String>,
}

impl Reach {
    /// Every train.
    pub fn everywhere() -> Self {
        Self::default()
    }

    /// Reads the comma-separated lists a person typed (`dev, staging` and
    /// `2025.09-wk3`); blanks are skipped, a malformed name is refused with
    /// the field it came from.
    pub fn parse(tracks: &str, trains: &str) -> Result<Self, (&'static str, String)> {
        let tracks = names(tracks)
            .map(|name| {
                TrackName::parse(name)
                    .map(String::from)
                    .map_err(|e| ("tracks", format!("{name:?} is not a track name: {e}")))
            })
            .collect::<Result<_, _>>()?;
        let trains = names(trains)
            .map(|name| {
                TrainName::parse(name)
                    .map(|n| n.as_str().to_owned())
                    .map_err(|e| ("trains", e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { tracks, trains })
    }

    /// The lists as stored (they were parsed when the token was created).
    pub fn from_stored(tracks: &[String], trains: &[String]) -> Self {
        Self {
            tracks: tracks.iter().cloned().collect(),
            trains: trains.iter().cloned().collect(),
        }
    }

    pub fn is_everywhere(&self) -> bool {
        self.tracks.is_empty() && self.trains.is_empty()
    }

    /// Whether a train's track has to be known to judge it (it does not when
    /// no track is listed).
    pub fn lists_tracks(&self) -> bool {
        !self.tracks.is_empty()
    }

    pub fn track_names(&self) -> Vec<String> {
        self.tracks.iter().cloned().collect()
    }

    pub fn train_names(&self) -> Vec<String> {
        self.trains.iter().cloned().collect()
    }

    /// Whether the token may act on `train`, which runs on `track` (`None`:
    /// no track, or not known to the caller, so only its name can allow it).
    pub fn allows(&self, train: &str, track: Option<&str>) -> bool {
        self.is_everywhere()
            || self.trains.contains(train)
            || track.is_some_and(|t| self.tracks.contains(t))
    }
}

/// The non-blank items of a comma-separated list, trimmed.
fn names(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|n| !n.is_empty())
}

/// `a`, `a and b`, `a, b and c`.
fn listed<'a>(names: impl ExactSizeIterator<Item = &'a String>) -> String {
    let count = names.len();
    let mut out = String::new();
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == count { " and " } else { ", " });
        }
        out.push_str(name);
    }
    out
}

/// As a refusal says it: "the trains of track dev and train 2025.09-wk3".
impl fmt::Display for Reach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let tracks = (!self.tracks.is_empty()).then(|| {
            format!(
                "the trains of track{} {}",
                plural(self.tracks.len()),
                listed(self.tracks.iter())
            )
        });
        let trains = (!self.trains.is_empty()).then(|| {
            format!(
                "train{} {}",
                plural(self.trains.len()),
                listed(self.trains.iter())
            )
        });
        match (tracks, trains) {
            (None, None) => f.write_str("every train"),
            (Some(one), None) | (None, Some(one)) => f.write_str(&one),
            (Some(tracks), Some(trains)) => write!(f, "{tracks} and {trains}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_reach_every_train_on_every_track() {
        let reach = Reach::parse(" ", " , ").unwrap();
        assert!(reach.is_everywhere());
        assert_eq!(reach, Reach::everywhere());
        assert!(reach.allows("anything", None));
        assert!(reach.allows("anything", Some("dev")));
        assert_eq!(reach.to_string(), "every train");
    }

    #[test]
    fn a_train_on_a_listed_track_is_reached_and_one_elsewhere_is_not() {
        let reach = Reach::parse("dev, qa-2", "").unwrap();
        assert!(reach.allows("v0.5.0-dev.1", Some("dev")));
        assert!(reach.allows("v0.5.0-qa-2.1", Some("qa-2")));
        assert!(!reach.allows("v0.5.0-staging.1", Some("staging")));
        assert_eq!(reach.track_names(), ["dev", "qa-2"]);
    }

    #[test]
    fn a_track_limited_reach_refuses_a_train_whose_track_was_not_given() {
        let reach = Reach::parse("dev", "").unwrap();
        assert!(!reach.allows("v0.5.0-dev.1", None));
    }

    #[test]
    fn a_train_named_in_the_reach_is_reached_on_any_track_or_none() {
        let reach = Reach::parse("", "Q4-curve-upgrade").unwrap();
        assert!(reach.allows("Q4-curve-upgrade", None));
        assert!(reach.allows("Q4-curve-upgrade", Some("staging")));
        assert!(!reach.allows("Q1-other", None));
        assert!(!reach.lists_tracks());
    }

    #[test]
    fn names_are_trimmed_deduplicated_and_blanks_skipped() {
        let reach = Reach::parse(" dev ,, dev,staging ", "b, a ,b").unwrap();
        assert_eq!(reach.track_names(), ["dev", "staging"]);
        assert_eq!(reach.train_names(), ["a", "b"]);
    }

    #[test]
    fn a_malformed_name_is_refused_naming_its_field() {
        let (field, message) = Reach::parse("dev, Staging", "").unwrap_err();
        assert_eq!(field, "tracks");
        assert!(message.contains("\"Staging\""), "{message}");
        let (field, message) = Reach::parse("dev", "ok, not/a/train").unwrap_err();
        assert_eq!(field, "trains");
        assert!(message.contains("not/a/train"), "{message}");
    }

    #[test]
    fn stored_lists_read_back_as_the_same_reach() {
        let reach = Reach::parse("dev", "2025.09-wk3").unwrap();
        let stored = Reach::from_stored(&reach.track_names(), &reach.train_names());
        assert_eq!(stored, reach);
    }

    #[test]
    fn the_reach_reads_well_in_a_refusal() {
        let says = |tracks, trains| Reach::parse(tracks, trains).unwrap().to_string();
        assert_eq!(says("dev", ""), "the trains of track dev");
        assert_eq!(
            says("dev,staging,qa", ""),
            "the trains of tracks dev, qa and staging"
        );
        assert_eq!(says("", "2025.09-wk3"), "train 2025.09-wk3");
        assert_eq!(says("", "a,b"), "trains a and b");
        assert_eq!(
            says("dev", "2025.09-wk3"),
            "the trains of track dev and train 2025.09-wk3"
        );
    }
}
