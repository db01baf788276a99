//! The release calendar (seed 003's "Calendar artifact"): the next trains of
//! every track with their planned tag, on-call and status, after freeze windows
//! and the skip rule have had their say.

pub use super::freeze::{apply_freezes, FreezeEffect, FreezeWindow};
pub use super::skip::{apply_skip_rule, warning, NO_ON_CALL_WARNING, SKIPPED_WITHOUT_ON_CALL};

use super::cadence::Cadence;
use crate::domain::{CalendarStatus, TrackName, TrainTag};
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// One row of the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedTrain {
    pub track: TrackName,
    pub at: DateTime<Utc>,
    /// Set once the train is recorded; a merely planned slot has none yet.
    pub tag: Option<TrainTag>,
    pub on_call: Option<String>,
    pub status: CalendarStatus,
    pub reason: Option<String>,
    /// The cadence slot this train was planned for, when a freeze moved it.
    pub moved_from: Option<DateTime<Utc>>,
    /// Whether its track cuts trains with nobody on call (the skip rule
    /// leaves them alone).
    pub runs_unwatched: bool,
}

impl PlannedTrain {
    /// A slot nobody has taken yet.
    pub fn open(track: TrackName, at: DateTime<Utc>) -> Self {
        Self {
            track,
            at,
            tag: None,
            on_call: None,
            status: CalendarStatus::Open,
            reason: None,
            moved_from: None,
            runs_unwatched: false,
        }
    }

    /// A blank handle is nobody watching, the same as none.
    pub fn has_on_call(&self) -> bool {
        self.on_call
            .as_deref()
            .is_some_and(|o| !o.trim().is_empty())
    }
}

#[derive(Clone, Debug)]
pub struct TrackPlan {
    pub name: TrackName,
    pub cadence: Cadence,
    pub runs_unwatched: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "freeze window must end after it starts: it starts at {starts_at} and ends at {ends_at}"
    )]
    EmptyFreeze {
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
    #[error(
        "freeze window starting at {starts_at} has no reason; blocked trains would not say why"
    )]
    FreezeWithoutReason { starts_at: DateTime<Utc> },
    #[error("freeze window {reason:?} lists no tracks; leave the list out to freeze every track")]
    FreezeWithoutTracks { reason: String },
    #[error("track {0} appears more than once in the calendar")]
    DuplicateTrack(TrackName),
    #[error("{requested} trains per track were asked for; at most {max} can be planned")]
    TooManyTrains { requested: usize, max: u16 },
}

/// The next `per_track` trains of every track, counted from the start of
/// `now`'s UTC day so that today's trains stay visible after their cut.
///
/// Recorded trains take the cadence slot they were planned for (same time, or
/// `moved_from` that time); the remaining slots become fresh `Open` rows.
/// Freezes apply before the skip rule, because a train a freeze moves into the
/// future has not reached its cut time yet.
pub fn materialise(
    tracks: &[TrackPlan],
    recorded: &[PlannedTrain],
    windows: &[FreezeWindow],
    now: DateTime<Utc>,
    per_track: usize,
) -> Result<Vec<PlannedTrain>, CalendarError> {
    let count = u16::try_from(per_track).map_err(|_| CalendarError::TooManyTrains {
        requested: per_track,
        max: u16::MAX,
    })?;
    if let Some(dup) = tracks
        .iter()
        .enumerate()
        .find(|(i, p)| tracks[..*i].iter().any(|q| q.name == p.name))
    {
        return Err(CalendarError::DuplicateTrack(dup.1.name.clone()));
    }
    let day_start = now.date_naive().and_time(NaiveTime::MIN).and_utc();
    let mut out = Vec::new();
    for plan in tracks {
        let mut unmatched: Vec<&PlannedTrain> = recorded
            .iter()
            .filter(|r| r.track == plan.name && r.at >= day_start)
            .collect();
        let mut trains = Vec::with_capacity(per_track + unmatched.len());
        // Occurrences are whole seconds and `next_after` is exclusive, so one
        // second before midnight includes a slot at exactly midnight.
        for slot in plan
            .cadence
            .next_after(day_start - TimeDelta::seconds(1), count)
        {
            let taken = unmatched
                .iter()
                .position(|r| r.at == slot || r.moved_from == Some(slot));
            trains.push(match taken {
                Some(i) => unmatched.swap_remove(i).clone(),
                None => PlannedTrain {
                    runs_unwatched: plan.runs_unwatched,
                    ..PlannedTrain::open(plan.name.clone(), slot)
                },
            });
        }
        // Hotfixes and hand-added trains have no slot but still happened.
        trains.extend(unmatched.into_iter().cloned());
        let mut trains: Vec<_> = trains.iter().map(|t| apply_freezes(t, windows)).collect();
        trains.sort_by_key(|t| t.at);
        trains.truncate(per_track);
        out.extend(trains);
    }
    apply_skip_rule(&mut out, now);
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.track.cmp(&b.track)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, TimeZone, Timelike};
    use proptest::prelude::*;

    use crate::domain::calendar::cadence::{SEED_DEV_RULE as DEV, SEED_STAGING_RULE as STAGING};

    fn plan(name: &str, rule: Option<&str>) -> TrackPlan {
        TrackPlan {
            name: TrackName::parse(name).unwrap(),
            cadence: Cadence::parse(rule).unwrap(),
            runs_unwatched: false,
        }
    }

    fn demo() -> Vec<TrackPlan> {
        vec![
            plan("dev", Some(DEV)),
            plan("staging", Some(STAGING)),
            plan("hotfix", None),
        ]
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn rows(trains: &[PlannedTrain]) -> Vec<String> {
        trains
            .iter()
            .map(|t| format!("{} {} {}", t.at.format("%Y-%m-%d %H:%M"), t.track, t.status))
            .collect()
    }

    fn recorded(
        track: &str,
        when: DateTime<Utc>,
        tag: &str,
        status: CalendarStatus,
    ) -> PlannedTrain {
        PlannedTrain {
            tag: Some(TrainTag::parse(tag).unwrap()),
            on_call: Some("@ana".into()),
            status,
            ..PlannedTrain::open(TrackName::parse(track).unwrap(), when)
        }
    }

    #[test]
    fn weekly_dev_and_alternate_wednesday_staging_interleave_by_time() {
        let cal = materialise(&demo(), &[], &[], at(2026, 11, 21, 9), 3).unwrap();
        assert_eq!(
            rows(&cal),
            [
                "2026-11-24 14:00 dev Open",
                "2026-11-25 14:00 staging Open",
                "2026-12-01 14:00 dev Open",
                "2026-12-08 14:00 dev Open",
                "2026-12-09 14:00 staging Open",
                "2026-12-23 14:00 staging Open",
            ]
        );
        assert!(cal.iter().all(|t| t.tag.is_none() && t.on_call.is_none()));
        assert!(cal
            .iter()
            .all(|t| warning(t, at(2026, 11, 21, 9)).is_some()));
    }

    #[test]
    fn recorded_trains_take_their_slot_including_ones_a_freeze_moved() {
        let tagged = recorded(
            "dev",
            at(2026, 12, 1, 14),
            "v0.5.0-dev.3",
            CalendarStatus::Open,
        );
        let moved = PlannedTrain {
            moved_from: Some(at(2026, 11, 24, 14)),
            ..recorded(
                "dev",
                at(2026, 11, 25, 10),
                "v0.5.0-dev.2",
                CalendarStatus::Cut,
            )
        };
        let stale = recorded(
            "dev",
            at(2026, 11, 17, 14),
            "v0.5.0-dev.1",
            CalendarStatus::Done,
        );
        let cal = materialise(
            &demo()[..1],
            &[stale, tagged.clone(), moved.clone()],
            &[],
            at(2026, 11, 21, 9),
            3,
        )
        .unwrap();
        assert_eq!(
            cal,
            [
                moved,
                tagged,
                PlannedTrain::open(TrackName::parse("dev").unwrap(), at(2026, 12, 8, 14))
            ]
        );
    }

    #[test]
    fn on_demand_hotfix_contributes_only_its_recorded_trains_from_today() {
        let today = recorded(
            "hotfix",
            at(2026, 11, 21, 8),
            "v0.5.0-hotfix.2",
            CalendarStatus::Done,
        );
        let earlier = recorded(
            "hotfix",
            at(2026, 11, 20, 23),
            "v0.5.0-hotfix.1",
            CalendarStatus::Done,
        );
        let cal = materialise(
            &demo()[2..],
            &[earlier, today.clone()],
            &[],
            at(2026, 11, 21, 9),
            4,
        )
        .unwrap();
        assert_eq!(cal, [today]);
        assert!(materialise(&demo()[2..], &[], &[], at(2026, 11, 21, 9), 4)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn todays_unassigned_train_is_skipped_and_a_staging_freeze_blocks_only_staging() {
        let freeze = FreezeWindow::new(
            at(2026, 12, 9, 0),
            at(2026, 12, 10, 0),
            "mtest-val-01 re-roll",
            Some(vec![TrackName::parse("staging").unwrap()]),
            FreezeEffect::Block,
        )
        .unwrap();
        let cal = materialise(&demo(), &[], &[freeze], at(2026, 12, 1, 15), 2).unwrap();
        assert_eq!(
            rows(&cal),
            [
                "2026-12-01 14:00 dev Skipped",
                "2026-12-08 14:00 dev Open",
                "2026-12-09 14:00 staging Skipped",
                "2026-12-23 14:00 staging Open",
            ]
        );
        assert_eq!(cal[0].reason.as_deref(), Some(SKIPPED_WITHOUT_ON_CALL));
        assert_eq!(
            cal[2].reason.as_deref(),
            Some("freeze: mtest-val-01 re-roll (until 2026-12-10 00:00 UTC)")
        );
    }

    #[test]
    fn a_track_listed_twice_or_an_absurd_count_is_refused() {
        let twice = [plan("dev", Some(DEV)), plan("dev", None)];
        let err = materialise(&twice, &[], &[], at(2026, 11, 21, 9), 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "track dev appears more than once in the calendar"
        );
        let err = materialise(&demo(), &[], &[], at(2026, 11, 21, 9), 70_000).unwrap_err();
        assert!(matches!(
            err,
            CalendarError::TooManyTrains {
                requested: 70_000,
                ..
            }
        ));
    }

    /// `anchor` is the rule's DTSTART: every train must sit a whole number of
    /// `gap_days` after it, which is what keeps alternate weeks alternate.
    fn check_cadence(
        now: DateTime<Utc>,
        n: usize,
        rule: &str,
        anchor: DateTime<Utc>,
        gap_days: i64,
    ) -> Result<(), TestCaseError> {
        let cal = materialise(&[plan("dev", Some(rule))], &[], &[], now, n).unwrap();
        prop_assert_eq!(cal.len(), n);
        for pair in cal.windows(2) {
            prop_assert_eq!(pair[1].at - pair[0].at, TimeDelta::days(gap_days));
        }
        for t in &cal {
            prop_assert_eq!(
                (t.at.weekday(), t.at.hour(), t.at.minute(), t.at.second()),
                (anchor.weekday(), 14, 0, 0)
            );
            prop_assert!(t.at.date_naive() >= now.date_naive());
            prop_assert!(t.at >= anchor);
            prop_assert_eq!(
                (t.at - anchor).num_seconds() % TimeDelta::days(gap_days).num_seconds(),
                0
            );
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn weekly_dev_yields_exactly_n_tuesdays_from_nows_day_on(
            secs in at(2026, 1, 1, 0).timestamp()..at(2031, 12, 31, 0).timestamp(),
            n in 1usize..10,
        ) {
            let now = DateTime::from_timestamp(secs, 0).unwrap();
            check_cadence(now, n, DEV, at(2026, 5, 12, 14), 7)?;
        }

        #[test]
        fn weekly_dev_crosses_year_ends_without_gaps_or_duplicates(
            year in 2026i32..2032,
            secs in 0i64..(31 * 86_400),
            n in 1usize..8,
        ) {
            let now = at(year, 12, 15, 0) + TimeDelta::seconds(secs);
            check_cadence(now, n, DEV, at(2026, 5, 12, 14), 7)?;
        }

        #[test]
        fn alternate_wednesday_staging_keeps_its_fortnight_across_years(
            secs in at(2026, 5, 1, 0).timestamp()..at(2030, 12, 31, 0).timestamp(),
            n in 1usize..6,
        ) {
            let now = DateTime::from_timestamp(secs, 0).unwrap();
            check_cadence(now, n, STAGING, at(2026, 5, 13, 14), 14)?;
        }
    }
}
