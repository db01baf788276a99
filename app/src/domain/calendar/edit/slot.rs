//! What an owner may change on a train's calendar slot. A train is editable
//! while it is still only planned: open on the calendar, in `planning`, and
//! its cut time not yet reached (after that the skip rule or the cut decide).

use crate::domain::hotfix::Tagging;
use crate::domain::train_tag::TrainTag;
use crate::domain::{CalendarStatus, TrainState};
use chrono::{DateTime, Utc};

/// The parts of a recorded train the calendar rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub name: String,
    pub status: CalendarStatus,
    pub state: TrainState,
    pub at: DateTime<Utc>,
    /// The cadence slot it was planned for (its time when it has none).
    pub slot: DateTime<Utc>,
}

/// What a move does on the calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    /// Within or before its slot: the same train, another time.
    Moved,
    /// Past its slot: postponed, which needs a reason and a category.
    Postponed,
}

impl Movement {
    /// The calendar status of a train in `status` after this move: a
    /// postponement says so, and a postponed train moved back into its
    /// slot is open again.
    pub fn status_after(self, status: CalendarStatus) -> CalendarStatus {
        match (self, status) {
            (Self::Postponed, _) => CalendarStatus::Postponed,
            (Self::Moved, CalendarStatus::Postponed) => CalendarStatus::Open,
            (Self::Moved, other) => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    #[error("{name} is {status} on the calendar; only an open train can be changed")]
    NotOpen { name: String, status: String },
    #[error("{name} has started ({state}); the calendar only changes trains still in planning")]
    Started { name: String, state: TrainState },
    #[error("{name}'s cut time has passed; the skip rule or the cut has decided it")]
    PastCut { name: String },
    #[error("a train can only be moved to a time in the future")]
    MoveIntoPast,
    #[error("{name} is already planned for that time")]
    SameTime { name: String },
    #[error("{name} has been cut: it can only be postponed, to a time after {at}")]
    CutOnlyLater { name: String, at: String },
}

impl Slot {
    pub fn check_editable(&self, now: DateTime<Utc>) -> Result<(), SlotError> {
        if !self.status.is_ahead() {
            return Err(SlotError::NotOpen {
                name: self.name.clone(),
                status: self.status.label().to_lowercase(),
            });
        }
        if self.state != TrainState::Planning {
            return Err(SlotError::Started {
                name: self.name.clone(),
                state: self.state,
            });
        }
        if self.at <= now {
            return Err(SlotError::PastCut {
                name: self.name.clone(),
            });
        }
        Ok(())
    }

    /// A planned train moves anywhere in the future; a cut train still
    /// running can only be postponed.
    pub fn check_move(&self, to: DateTime<Utc>, now: DateTime<Utc>) -> Result<Movement, SlotError> {
        let running = self.status == CalendarStatus::Cut && self.state.is_in_flight();
        if running {
            if to <= self.at.max(now) {
                return Err(SlotError::CutOnlyLater {
                    name: self.name.clone(),
                    at: self.at.max(now).format("%Y-%m-%d %H:%M UTC").to_string(),
                });
            }
        } else {
            self.check_editable(now)?;
        }
        if to <= now {
            return Err(SlotError::MoveIntoPast);
        }
        if to == self.at {
            return Err(SlotError::SameTime {
                name: self.name.clone(),
            });
        }
        Ok(if running || to > self.slot {
            Movement::Postponed
        } else {
            Movement::Moved
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HotfixRecordError {
    #[error("a hotfix is recorded after the fact: {0} is in the future")]
    InTheFuture(String),
    #[error("{tag} is not a tag of the {track} track (expected {template})")]
    WrongTrack {
        tag: String,
        track: String,
        template: String,
    },
}

/// Checks a hotfix recorded after it happened: when it ran and that its tag
/// belongs to the track it is recorded on.
pub fn check_hotfix(
    lane: Tagging,
    tag: &TrainTag,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), HotfixRecordError> {
    if at > now {
        return Err(HotfixRecordError::InTheFuture(
            at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ));
    }
    if lane.gave(tag) {
        Ok(())
    } else {
        Err(HotfixRecordError::WrongTrack {
            tag: tag.to_string(),
            track: lane.track.to_string(),
            template: lane.tags.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::release_naming::TagTemplate;
    use crate::domain::TrackName;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
    }

    fn slot() -> Slot {
        Slot {
            name: "v0.5.1-dev.1".into(),
            status: CalendarStatus::Open,
            state: TrainState::Planning,
            at: now() + Duration::days(2),
            slot: now() + Duration::days(2),
        }
    }

    #[test]
    fn an_open_planned_future_train_can_be_edited_and_moved_forward_or_back() {
        assert_eq!(slot().check_editable(now()), Ok(()));
        assert_eq!(
            slot().check_move(now() + Duration::days(3), now()),
            Ok(Movement::Postponed)
        );
        assert_eq!(
            slot().check_move(now() + Duration::hours(1), now()),
            Ok(Movement::Moved)
        );
        let postponed = Slot {
            status: CalendarStatus::Postponed,
            at: now() + Duration::days(3),
            ..slot()
        };
        assert_eq!(
            postponed.check_move(now() + Duration::days(2), now()),
            Ok(Movement::Moved),
            "back into its slot"
        );
        assert_eq!(
            Movement::Moved.status_after(CalendarStatus::Postponed),
            CalendarStatus::Open
        );
        assert_eq!(
            Movement::Postponed.status_after(CalendarStatus::Cut),
            CalendarStatus::Postponed
        );
    }

    #[test]
    fn a_cut_train_can_only_be_postponed() {
        let cut = Slot {
            status: CalendarStatus::Cut,
            state: TrainState::Validating,
            at: now() - Duration::hours(1),
            ..slot()
        };
        assert_eq!(
            cut.check_move(now() + Duration::days(1), now()),
            Ok(Movement::Postponed)
        );
        assert!(matches!(
            cut.check_move(now() - Duration::minutes(5), now()),
            Err(SlotError::CutOnlyLater { .. })
        ));
        let done = Slot {
            status: CalendarStatus::Done,
            state: TrainState::Completed,
            ..cut
        };
        assert!(matches!(
            done.check_move(now() + Duration::days(1), now()),
            Err(SlotError::NotOpen { .. })
        ));
    }

    #[test]
    fn skipped_started_or_past_trains_are_refused_with_the_reason() {
        let skipped = Slot {
            status: CalendarStatus::Skipped,
            ..slot()
        };
        assert_eq!(
            skipped.check_editable(now()).unwrap_err().to_string(),
            "v0.5.1-dev.1 is skipped on the calendar; only an open train can be changed"
        );
        let started = Slot {
            state: TrainState::Validating,
            ..slot()
        };
        assert!(matches!(
            started.check_editable(now()),
            Err(SlotError::Started { .. })
        ));
        let past = Slot {
            at: now() - Duration::minutes(1),
            ..slot()
        };
        assert!(matches!(
            past.check_editable(now()),
            Err(SlotError::PastCut { .. })
        ));
    }

    #[test]
    fn a_move_must_go_somewhere_new_in_the_future() {
        assert_eq!(
            slot().check_move(now(), now()),
            Err(SlotError::MoveIntoPast)
        );
        assert!(matches!(
            slot().check_move(slot().at, now()),
            Err(SlotError::SameTime { .. })
        ));
    }

    #[test]
    fn a_hotfix_is_recorded_only_after_it_happened_and_on_its_own_track() {
        let track = TrackName::parse("hotfix").unwrap();
        let hotfix = Tagging {
            track: &track,
            tags: &TagTemplate::Track,
        };
        let tag = TrainTag::parse("v0.5.0-hotfix.1").unwrap();
        assert_eq!(check_hotfix(hotfix, &tag, now(), now()), Ok(()));
        assert!(matches!(
            check_hotfix(hotfix, &tag, now() + Duration::hours(1), now()),
            Err(HotfixRecordError::InTheFuture(_))
        ));
        let dev_tag = TrainTag::parse("v0.5.0-dev.4").unwrap();
        assert_eq!(
            check_hotfix(hotfix, &dev_tag, now(), now())
                .unwrap_err()
                .to_string(),
            "v0.5.0-dev.4 is not a tag of the hotfix track (expected v{version}-{track}.{n})"
        );
    }
}
