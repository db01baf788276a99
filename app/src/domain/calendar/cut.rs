//! The cut (seed 000, seed 003): at a track's freeze point a planned train
//! leaves planning on its release branch with its first tag, or is skipped
//! with the reason; after the cut a release-candidate train takes the next
//! `-rcN` for each new candidate and `vX.Y.Z` at general availability.

use super::skip::SKIPPED_WITHOUT_ON_CALL;
use crate::domain::release_naming::Naming;
use crate::domain::train_tag::TagKind;
use crate::domain::{TrackName, TrainTag};
use chrono::NaiveDate;

pub const SKIPPED_WITHOUT_CHANGES: &str =
    "skipped: no participant has a new version since the track's previous train";

/// What the scheduler knows of a train whose freeze point has come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueCut {
    pub has_on_call: bool,
    /// Its track cuts trains with nobody on call.
    pub runs_unwatched: bool,
    /// Its track cuts only when something changed.
    pub only_with_changes: bool,
    /// Whether a participant carries a version the track's previous train
    /// did not.
    pub has_changes: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CutDecision {
    Cut,
    /// With the reason the calendar shows.
    Skip(String),
}

impl DueCut {
    /// Nobody on call skips first (seed 003: never run an unmonitored
    /// train), then nothing new to release.
    pub fn decide(&self) -> CutDecision {
        if !self.has_on_call && !self.runs_unwatched {
            CutDecision::Skip(SKIPPED_WITHOUT_ON_CALL.to_owned())
        } else if self.only_with_changes && !self.has_changes {
            CutDecision::Skip(SKIPPED_WITHOUT_CHANGES.to_owned())
        } else {
            CutDecision::Cut
        }
    }
}

/// What a cut records: the train id, its release branch and its first tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CutNames {
    pub train_id: String,
    pub branch: String,
    pub tag: TrainTag,
}

/// The names of `planned`'s cut on `date` (the track's local date): the
/// planned tag is the first (`-rc1` on a track with candidates).
pub fn cut_names(
    naming: &Naming,
    track: &TrackName,
    planned: &TrainTag,
    date: NaiveDate,
) -> CutNames {
    CutNames {
        train_id: naming.branch.train_id(date, track.as_str()),
        branch: naming
            .branch
            .branch(date, track.as_str(), planned.version()),
        tag: planned.clone(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CandidateError {
    #[error(
        "{0} is not a release candidate: only a track tagged v{{version}}-rc{{n}} cuts candidates"
    )]
    NotACandidate(String),
    #[error("{0} is already generally available; a new candidate needs a new train")]
    Released(String),
}

/// The candidate after the newest of `tags` (the train's history, oldest
/// first): `-rc2` after `-rc1`.
pub fn next_candidate(tags: &[TrainTag]) -> Result<TrainTag, CandidateError> {
    let newest = tags
        .last()
        .ok_or_else(|| CandidateError::NotACandidate("a train with no tag".into()))?;
    match newest.kind() {
        TagKind::ReleaseCandidate { n } => Ok(TrainTag::candidate(newest.version().clone(), n + 1)),
        TagKind::GeneralAvailability => Err(CandidateError::Released(newest.to_string())),
        TagKind::Track { .. } => Err(CandidateError::NotACandidate(newest.to_string())),
    }
}

/// The general-availability tag a completed candidate train takes, or
/// nothing when its tags are not candidates.
pub fn general_availability(tags: &[TrainTag]) -> Option<TrainTag> {
    match tags.last()?.kind() {
        TagKind::ReleaseCandidate { .. } => {
            TrainTag::parse(&format!("v{}", tags.last()?.version())).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::release_naming::NamingInput;

    fn tag(s: &str) -> TrainTag {
        TrainTag::parse(s).unwrap()
    }

    #[test]
    fn nobody_on_call_skips_before_nothing_new_does() {
        let due = DueCut {
            has_on_call: false,
            runs_unwatched: false,
            only_with_changes: true,
            has_changes: false,
        };
        assert_eq!(
            due.decide(),
            CutDecision::Skip(SKIPPED_WITHOUT_ON_CALL.to_owned())
        );
        let watched = DueCut {
            has_on_call: true,
            ..due.clone()
        };
        assert_eq!(
            watched.decide(),
            CutDecision::Skip(SKIPPED_WITHOUT_CHANGES.to_owned())
        );
        let changed = DueCut {
            has_changes: true,
            ..watched.clone()
        };
        assert_eq!(changed.decide(), CutDecision::Cut);
        let unwatched_lane = DueCut {
            runs_unwatched: true,
            only_with_changes: false,
            ..due
        };
        assert_eq!(unwatched_lane.decide(), CutDecision::Cut);
    }

    #[test]
    fn a_cut_names_seed_000s_branch_and_the_planned_tag() {
        let naming = NamingInput {
            tag: "v{version}-rc{n}".into(),
            ..NamingInput::default()
        }
        .parse()
        .unwrap();
        let date = NaiveDate::from_ymd_opt(2025, 9, 16).unwrap();
        let names = cut_names(
            &naming,
            &TrackName::parse("weekly").unwrap(),
            &tag("v1.2.0-rc1"),
            date,
        );
        assert_eq!(names.train_id, "2025.09-wk3");
        assert_eq!(names.branch, "release/2025.09-wk3");
        assert_eq!(names.tag, tag("v1.2.0-rc1"));
    }

    #[test]
    fn candidates_count_up_to_general_availability() {
        let history = [tag("v1.2.0-rc1")];
        let rc2 = next_candidate(&history).unwrap();
        assert_eq!(rc2, tag("v1.2.0-rc2"));
        assert_eq!(
            general_availability(&[tag("v1.2.0-rc1"), rc2.clone()]),
            Some(tag("v1.2.0"))
        );
        assert!(matches!(
            next_candidate(&[rc2, tag("v1.2.0")]),
            Err(CandidateError::Released(_))
        ));
        assert!(matches!(
            next_candidate(&[tag("v0.5.0-dev.3")]),
            Err(CandidateError::NotACandidate(_))
        ));
        assert_eq!(general_availability(&[tag("v0.5.0-dev.3")]), None);
    }
}
