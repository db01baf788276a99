//! Planned tags for upcoming trains (seed 003): `v<version>-<track>.<n>`, where
//! n counts a track's trains within a version line, and a train of a track that
//! moves the line (staging closes the dev line) gives later trains the next
//! version. Each track's naming says which tag its trains get.

use crate::domain::release_naming::{TagTemplate, VersionBump};
use crate::domain::{TrackName, TrainTag};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub track: TrackName,
    pub at: DateTime<Utc>,
    pub tag: TagTemplate,
    pub next_version: VersionBump,
}

/// Tags `slots` in time order starting from the version line `start`.
pub fn assign_tags(start: &semver::Version, mut slots: Vec<Slot>) -> Vec<(Slot, TrainTag)> {
    slots.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.track.cmp(&b.track)));
    let mut line = semver::Version::new(start.major, start.minor, start.patch);
    let mut counters: HashMap<TrackName, u32> = HashMap::new();
    let mut out = Vec::with_capacity(slots.len());
    for slot in slots {
        let n = counters.entry(slot.track.clone()).or_insert(0);
        *n += 1;
        let tag = slot.tag.tag(&line, &slot.track, *n);
        if let Some(next) = slot.next_version.after(&line) {
            line = next;
            counters.clear();
        }
        out.push((slot, tag));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn slot(track: &str, day: u32, closes_line: bool) -> Slot {
        Slot {
            track: TrackName::parse(track).unwrap(),
            at: Utc.with_ymd_and_hms(2026, 5, day, 14, 0, 0).unwrap(),
            tag: TagTemplate::Track,
            next_version: if closes_line {
                VersionBump::Patch
            } else {
                VersionBump::Same
            },
        }
    }

    #[test]
    fn reproduces_the_seed_calendar_table() {
        let tagged = assign_tags(
            &semver::Version::new(0, 5, 0),
            vec![
                slot("staging", 26, true),
                slot("dev", 12, false),
                slot("dev", 19, false),
                {
                    let mut s = slot("dev", 1, false);
                    s.at = Utc.with_ymd_and_hms(2026, 6, 2, 14, 0, 0).unwrap();
                    s
                },
            ],
        );
        let tags: Vec<String> = tagged.iter().map(|(_, t)| t.to_string()).collect();
        assert_eq!(
            tags,
            [
                "v0.5.0-dev.1",
                "v0.5.0-dev.2",
                "v0.5.0-staging.1",
                "v0.5.1-dev.1"
            ]
        );
    }

    #[test]
    fn release_candidate_trains_each_take_a_version_of_their_own() {
        let weekly = |day| Slot {
            tag: TagTemplate::Candidates,
            next_version: VersionBump::Minor,
            ..slot("weekly", day, false)
        };
        let tagged = assign_tags(
            &semver::Version::new(1, 4, 0),
            vec![weekly(5), weekly(12), weekly(19)],
        );
        let tags: Vec<String> = tagged.iter().map(|(_, t)| t.to_string()).collect();
        assert_eq!(tags, ["v1.4.0-rc1", "v1.5.0-rc1", "v1.6.0-rc1"]);
    }
}
