//! Patch tags (seed 003's hotfixes): a lane that patches another track's
//! release tags its trains with that release's version and its own name,
//! `v0.5.0-hotfix.1` off `v0.5.0-staging.1`; a patch that succeeds rolls
//! forward into the patched track's next train rather than being rebased out.

use super::train_tag::{TagKind, TrainTag};
use super::TrackName;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HotfixError {
    #[error("{tag} is not a release of {track}, the track this lane patches")]
    NotPatched { tag: String, track: TrackName },
    #[error("the next train {next} does not include patch {hotfix}: its version must be later")]
    NotRolledForward { hotfix: String, next: String },
}

/// The next tag of `lane` off `patched` (the current release of the track
/// named `patched_track`), given the tags that exist.
pub fn next_hotfix(
    patched: &TrainTag,
    patched_track: &TrackName,
    lane: &TrackName,
    existing: &[TrainTag],
) -> Result<TrainTag, HotfixError> {
    match patched.kind() {
        TagKind::Track { track, .. } if track == patched_track => {}
        _ => {
            return Err(HotfixError::NotPatched {
                tag: patched.to_string(),
                track: patched_track.clone(),
            })
        }
    }
    let n = existing
        .iter()
        .filter(|t| t.version() == patched.version())
        .filter_map(|t| match t.kind() {
            TagKind::Track { track, n } if track == lane => Some(*n),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    Ok(TrainTag::track(
        patched.version().clone(),
        lane.clone(),
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

    #[test]
    fn patches_take_the_patched_release_and_count_up() {
        let (staging, hotfix) = (track("staging"), track("hotfix"));
        let current = tag("v0.5.0-staging.1");
        assert_eq!(
            next_hotfix(&current, &staging, &hotfix, &[]).unwrap(),
            tag("v0.5.0-hotfix.1")
        );
        let existing = [
            tag("v0.5.0-hotfix.1"),
            tag("v0.4.0-hotfix.7"),
            tag("v0.5.0-dev.3"),
        ];
        assert_eq!(
            next_hotfix(&current, &staging, &hotfix, &existing).unwrap(),
            tag("v0.5.0-hotfix.2")
        );
        assert!(matches!(
            next_hotfix(&tag("v0.5.0-dev.3"), &staging, &hotfix, &[]),
            Err(HotfixError::NotPatched { .. })
        ));
    }

    #[test]
    fn any_names_will_do() {
        let got = next_hotfix(
            &tag("v2.1.0-mainnet.4"),
            &track("mainnet"),
            &track("patch"),
            &[tag("v2.1.0-patch.1")],
        );
        assert_eq!(got.unwrap(), tag("v2.1.0-patch.2"));
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
