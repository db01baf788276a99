//! Hotfix tags (seed 003): `v0.5.0-hotfix.1` patches the current staging tag's
//! version, and a hotfix that succeeds rolls forward into the next staging
//! train rather than being rebased out.

use super::train_tag::{TagKind, TrainTag};
use super::TrackName;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HotfixError {
    #[error("{0} is not a staging tag: a hotfix patches the current staging release")]
    NotStaging(String),
    #[error(
        "the next staging train {next} does not include hotfix {hotfix}: its version must be later"
    )]
    NotRolledForward { hotfix: String, next: String },
}

fn track(name: &str) -> TrackName {
    TrackName::parse(name).expect("a fixed, valid track name")
}

/// The next hotfix tag off `staging`, given the hotfix tags that exist.
pub fn next_hotfix(staging: &TrainTag, existing: &[TrainTag]) -> Result<TrainTag, HotfixError> {
    match staging.kind() {
        TagKind::Track { track: t, .. } if t.as_str() == "staging" => {}
        _ => return Err(HotfixError::NotStaging(staging.to_string())),
    }
    let hotfix = track("hotfix");
    let n = existing
        .iter()
        .filter(|t| t.version() == staging.version())
        .filter_map(|t| match t.kind() {
            TagKind::Track { track, n } if *track == hotfix => Some(*n),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    Ok(TrainTag::track(staging.version().clone(), hotfix, n + 1))
}

/// Checks that the next staging train carries the hotfix forward: its version
/// line is later than the one the hotfix patched.
pub fn rolls_forward(hotfix: &TrainTag, next_staging: &TrainTag) -> Result<(), HotfixError> {
    if next_staging.version() > hotfix.version() {
        Ok(())
    } else {
        Err(HotfixError::NotRolledForward {
            hotfix: hotfix.to_string(),
            next: next_staging.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> TrainTag {
        TrainTag::parse(s).unwrap()
    }

    #[test]
    fn hotfixes_patch_the_current_staging_tag_and_count_up() {
        let staging = tag("v0.5.0-staging.1");
        assert_eq!(next_hotfix(&staging, &[]).unwrap(), tag("v0.5.0-hotfix.1"));
        let existing = [
            tag("v0.5.0-hotfix.1"),
            tag("v0.4.0-hotfix.7"),
            tag("v0.5.0-dev.3"),
        ];
        assert_eq!(
            next_hotfix(&staging, &existing).unwrap(),
            tag("v0.5.0-hotfix.2")
        );
        assert!(matches!(
            next_hotfix(&tag("v0.5.0-dev.3"), &[]),
            Err(HotfixError::NotStaging(_))
        ));
    }

    #[test]
    fn the_next_staging_train_must_carry_the_hotfix_forward() {
        let hotfix = tag("v0.5.0-hotfix.1");
        assert_eq!(rolls_forward(&hotfix, &tag("v0.5.1-staging.1")), Ok(()));
        let err = rolls_forward(&hotfix, &tag("v0.5.0-staging.2")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the next staging train v0.5.0-staging.2 does not include hotfix v0.5.0-hotfix.1: its version must be later"
        );
    }
}
