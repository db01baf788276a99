//! Patch tags (seed 003's hotfixes): a lane that patches another track's
//! release tags its trains with that release's version and its own name,
//! `v0.5.0-hotfix.1` off `v0.5.0-staging.1`; a patch that succeeds rolls
//! forward into the patched track's next train rather than being rebased out.

use super::release_naming::TagTemplate;
use super::train_tag::{TagKind, TrainTag};
use super::TrackName;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HotfixError {
    #[error("{tag} is not a release of {track}, the track this lane patches")]
    NotPatched { tag: String, track: TrackName },
    #[error("the next train {next} does not include patch {hotfix}: its version must be later")]
    NotRolledForward { hotfix: String, next: String },
    #[error(
        "{lane} tags release candidates; a lane that patches another track numbers its patches (v{{version}}-{{track}}.{{n}}) or makes patch releases (v{{version}})"
    )]
    LaneTagsCandidates { lane: TrackName },
}

/// A track and the tags it gives its trains.
#[derive(Clone, Copy, Debug)]
pub struct Tagging<'a> {
    pub track: &'a TrackName,
    pub tags: &'a TagTemplate,
}

impl Tagging<'_> {
    /// Whether `tag` is one this track gives.
    pub fn gave(&self, tag: &TrainTag) -> bool {
        match (self.tags, tag.kind()) {
            (TagTemplate::Track, TagKind::Track { track, .. }) => track == self.track,
            (TagTemplate::Label(word), TagKind::Track { track, .. }) => track == word,
            (
                TagTemplate::Candidates,
                TagKind::ReleaseCandidate { .. } | TagKind::GeneralAvailability,
            ) => true,
            (TagTemplate::Release, TagKind::GeneralAvailability) => true,
            _ => false,
        }
    }

    /// The word its numbered tags carry (`hotfix` in `v0.5.0-hotfix.2`).
    fn word(&self) -> Option<&TrackName> {
        match self.tags {
            TagTemplate::Track => Some(self.track),
            TagTemplate::Label(word) => Some(word),
            TagTemplate::Candidates | TagTemplate::Release => None,
        }
    }
}

/// The next tag of `lane` off `patched`, the current release of the track
/// the lane patches (`of`), given the tags that exist.
pub fn next_hotfix(
    patched: &TrainTag,
    of: Tagging,
    lane: Tagging,
    existing: &[TrainTag],
) -> Result<TrainTag, HotfixError> {
    if !of.gave(patched) {
        return Err(HotfixError::NotPatched {
            tag: patched.to_string(),
            track: of.track.clone(),
        });
    }
    if *lane.tags == TagTemplate::Release {
        // Seed 004: the next patch release no tag has taken yet.
        let v = patched.version();
        let next = (1..)
            .map(|k| semver::Version::new(v.major, v.minor, v.patch + k))
            .find(|candidate| {
                !existing
                    .iter()
                    .any(|t| t.version() == candidate && *t.kind() == TagKind::GeneralAvailability)
            })
            .unwrap_or_else(|| v.clone());
        return Ok(TrainTag::release(next));
    }
    let word = lane.word().ok_or_else(|| HotfixError::LaneTagsCandidates {
        lane: lane.track.clone(),
    })?;
    let n = existing
        .iter()
        .filter(|t| t.version() == patched.version())
        .filter_map(|t| match t.kind() {
            TagKind::Track { track, n } if track == word => Some(*n),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    Ok(TrainTag::track(
        patched.version().clone(),
        word.clone(),
        n + 1,
    ))
}

/// Checks that the patched track's next train carries the patch forward: its
/// version line is later than the one the patch applied to.
pub fn rolls_forward(hotfix: &TrainTag, next: &TrainTag) -> Result<(), HotfixError> {
    if next.version() > hotfix.version() {
        Ok(())
    } else {
        Err(HotfixError::NotRolledForward {
            hotfix: hotfix.to_string(),
            next: next.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> TrainTag {
        TrainTag::parse(s).unwrap()
    }

    fn track(s: &str) -> TrackName {
        TrackName::parse(s).unwrap()
    }

    fn numbered(track: &TrackName) -> Tagging<'_> {
        Tagging {
            track,
            tags: &TagTemplate::Track,
        }
    }

    #[test]
    fn patches_take_the_patched_release_and_count_up() {
        let (staging, hotfix) = (track("staging"), track("hotfix"));
        let (of, lane) = (numbered(&staging), numbered(&hotfix));
        let current = tag("v0.5.0-staging.1");
        assert_eq!(
            next_hotfix(&current, of, lane, &[]).unwrap(),
            tag("v0.5.0-hotfix.1")
        );
        let existing = [
            tag("v0.5.0-hotfix.1"),
            tag("v0.4.0-hotfix.7"),
            tag("v0.5.0-dev.3"),
        ];
        assert_eq!(
            next_hotfix(&current, of, lane, &existing).unwrap(),
            tag("v0.5.0-hotfix.2")
        );
        assert!(matches!(
            next_hotfix(&tag("v0.5.0-dev.3"), of, lane, &[]),
            Err(HotfixError::NotPatched { .. })
        ));
    }

    /// Seed 004: a hotfix branches from the latest release tag and ships as
    /// the next patch release nobody has taken.
    #[test]
    fn a_lane_of_patch_releases_takes_the_next_free_patch_version() {
        let (main, lane) = (track("main"), track("hotfix"));
        let releases = Tagging {
            track: &main,
            tags: &TagTemplate::Release,
        };
        let patches = Tagging {
            track: &lane,
            tags: &TagTemplate::Release,
        };
        let got = next_hotfix(&tag("v2.3.0"), releases, patches, &[]);
        assert_eq!(got.unwrap(), tag("v2.3.1"));
        let got = next_hotfix(&tag("v2.3.0"), releases, patches, &[tag("v2.3.1")]);
        assert_eq!(got.unwrap(), tag("v2.3.2"));
        assert!(patches.gave(&tag("v2.3.2")));
        assert!(!patches.gave(&tag("v2.3.2-hotfix.1")));
    }

    #[test]
    fn any_names_will_do() {
        let (mainnet, patch) = (track("mainnet"), track("patch"));
        let got = next_hotfix(
            &tag("v2.1.0-mainnet.4"),
            numbered(&mainnet),
            numbered(&patch),
            &[tag("v2.1.0-patch.1")],
        );
        assert_eq!(got.unwrap(), tag("v2.1.0-patch.2"));
    }

    /// Seed 000's weekly train tags candidates then GA; its hotfix lane
    /// numbers its patches with a word of its own.
    #[test]
    fn each_track_is_read_and_tagged_by_its_own_template() {
        let (weekly, lane) = (track("weekly"), track("hotfix"));
        let candidates = Tagging {
            track: &weekly,
            tags: &TagTemplate::Candidates,
        };
        let fix = TagTemplate::Label(track("fix"));
        let fixes = Tagging {
            track: &lane,
            tags: &fix,
        };
        for current in ["v1.4.0-rc2", "v1.4.0"] {
            let got = next_hotfix(&tag(current), candidates, fixes, &[tag("v1.4.0-fix.1")]);
            assert_eq!(got.unwrap(), tag("v1.4.0-fix.2"), "{current}");
        }
        assert!(matches!(
            next_hotfix(&tag("v1.4.0-weekly.1"), candidates, fixes, &[]),
            Err(HotfixError::NotPatched { .. })
        ));
        let candidate_lane = Tagging {
            track: &lane,
            tags: &TagTemplate::Candidates,
        };
        assert!(matches!(
            next_hotfix(&tag("v1.4.0"), candidates, candidate_lane, &[]),
            Err(HotfixError::LaneTagsCandidates { .. })
        ));
    }

    #[test]
    fn the_next_train_must_carry_the_patch_forward() {
        let hotfix = tag("v0.5.0-hotfix.1");
        assert_eq!(rolls_forward(&hotfix, &tag("v0.5.1-staging.1")), Ok(()));
        let err = rolls_forward(&hotfix, &tag("v0.5.0-staging.2")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the next train v0.5.0-staging.2 does not include patch v0.5.0-hotfix.1: its version must be later"
        );
    }
}
