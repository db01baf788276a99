//! The rolling horizon: the next trains of every track with a cadence
//! always exist as planned trains. Which slots that is, which planned
//! trains a changed cadence withdraws, and the tag each new one takes in its
//! version line.

use super::cadence::Cadence;
use super::planning::Horizon;
use crate::domain::release_naming::{TagTemplate, VersionBump};
use crate::domain::train_tag::TagKind;
use crate::domain::{TrackName, TrainTag};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;

pub use super::planning::FIRST_VERSION;

/// The cadence slots that must have a planned train at `now`: those whose
/// freeze point is still ahead, the first `horizon.trains` of them and every
/// one within `horizon.weeks`.
pub fn wanted_slots(
    cadence: &Cadence,
    horizon: Horizon,
    freeze_offset: Duration,
    now: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let until = now + Duration::weeks(i64::from(horizon.weeks));
    // At most one slot a day within the weeks, or the trains asked for.
    let enough = (horizon.weeks * 7 + 1).max(horizon.trains);
    cadence
        .next_after(now + freeze_offset, enough)
        .into_iter()
        .enumerate()
        .take_while(|(i, at)| *i < usize::from(horizon.trains) || *at <= until)
        .map(|(_, at)| at)
        .collect()
}

/// A planned train of the track that holds a cadence slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occupant {
    pub train_id: i64,
    pub slot: DateTime<Utc>,
    /// Planned by the scheduler and not touched by anyone since, so a new
    /// cadence may withdraw it. Cut, skipped, moved or edited trains stay.
    pub replannable: bool,
}

/// What planning ahead does to one track.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replan {
    /// Slots to plan a train for, in time order.
    pub add: Vec<DateTime<Utc>>,
    /// Untouched planned trains whose slot the cadence no longer has.
    pub withdraw: Vec<i64>,
}

impl Replan {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.withdraw.is_empty()
    }
}

/// Compares the slots `wanted` with the trains that hold slots whose freeze
/// point is still ahead (`occupants`).
pub fn replan(wanted: &[DateTime<Utc>], occupants: &[Occupant]) -> Replan {
    let wanted_set: HashSet<_> = wanted.iter().collect();
    let withdraw: Vec<i64> = occupants
        .iter()
        .filter(|o| o.replannable && !wanted_set.contains(&o.slot))
        .map(|o| o.train_id)
        .collect();
    let held: HashSet<_> = occupants
        .iter()
        .filter(|o| !withdraw.contains(&o.train_id))
        .map(|o| o.slot)
        .collect();
    let mut add: Vec<_> = wanted
        .iter()
        .filter(|at| !held.contains(*at))
        .copied()
        .collect();
    add.sort();
    add.dedup();
    Replan { add, withdraw }
}

/// A train already tagged, as the version line reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineTrain {
    pub at: DateTime<Utc>,
    pub tag: TrainTag,
    /// What its track does to the line.
    pub bump: VersionBump,
}

/// The version line at `at`: the highest version any earlier train took,
/// moved on by the trains whose track moves it, and never below `floor`
/// (the version a track's first train takes).
pub fn line_at(
    history: &[LineTrain],
    at: DateTime<Utc>,
    floor: &semver::Version,
) -> semver::Version {
    history
        .iter()
        .filter(|t| t.at < at)
        .map(|t| {
            t.bump
                .after(t.tag.version())
                .unwrap_or_else(|| t.tag.version().clone())
        })
        .chain([floor.clone()])
        .max()
        .unwrap_or(FIRST_VERSION)
}

/// The tag of a new train of `track` at `at`: the track's template in the
/// version line at that time, numbered after the tags of that kind the line
/// already has.
pub fn next_tag(
    history: &[LineTrain],
    track: &TrackName,
    template: &TagTemplate,
    at: DateTime<Utc>,
    floor: &semver::Version,
) -> TrainTag {
    let line = line_at(history, at, floor);
    let first = template.tag(&line, track, 1);
    let n = history
        .iter()
        .map(|t| &t.tag)
        .filter(|t| t.version() == &line && same_series(t.kind(), first.kind()))
        .filter_map(|t| match t.kind() {
            TagKind::Track { n, .. } | TagKind::ReleaseCandidate { n } => Some(*n),
            TagKind::GeneralAvailability => None,
        })
        .max()
        .unwrap_or(0);
    template.tag(&line, track, n + 1)
}

fn same_series(a: &TagKind, b: &TagKind) -> bool {
    match (a, b) {
        (TagKind::Track { track: x, .. }, TagKind::Track { track: y, .. }) => x == y,
        (TagKind::ReleaseCandidate { .. }, TagKind::ReleaseCandidate { .. }) => true,
        _ => false,
    }
}

#[cfg(test)]
#[path = "horizon_tests.rs"]
mod tests;
