//! Seed 003's escalation rule for calendar drift: "if the assigned on-call
//! cannot cut the train, the RFC's escalation rule is to skip — never run an
//! unmonitored train".

use super::PlannedTrain;
use crate::domain::CalendarStatus;
use chrono::{DateTime, Utc};

pub const SKIPPED_WITHOUT_ON_CALL: &str =
    "skipped: no on-call was assigned at cut time (never run an unmonitored train)";

pub const NO_ON_CALL_WARNING: &str =
    "no on-call yet: this train will be skipped at cut time unless someone takes it";

/// Skips every `Open` train whose cut time has come (`at <= now`) with nobody
/// on call, unless its track runs unwatched trains, and returns the indices
/// it changed. Trains with an on-call are left for the cut itself, which
/// happens elsewhere.
pub fn apply_skip_rule(trains: &mut [PlannedTrain], now: DateTime<Utc>) -> Vec<usize> {
    let mut changed = Vec::new();
    for (i, train) in trains.iter_mut().enumerate() {
        if train.status.is_ahead()
            && train.at <= now
            && !train.has_on_call()
            && !train.runs_unwatched
        {
            train.status = CalendarStatus::Skipped;
            train.reason = Some(SKIPPED_WITHOUT_ON_CALL.to_owned());
            changed.push(i);
        }
    }
    changed
}

/// The skip rule made visible while there is still time to act on it.
pub fn warning(train: &PlannedTrain, now: DateTime<Utc>) -> Option<String> {
    (train.status.is_ahead() && train.at > now && !train.has_on_call() && !train.runs_unwatched)
        .then(|| NO_ON_CALL_WARNING.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TrackName;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap()
    }

    fn train(hours_from_now: i64, on_call: Option<&str>) -> PlannedTrain {
        let mut t = PlannedTrain::open(
            TrackName::parse("dev").unwrap(),
            now() + chrono::TimeDelta::hours(hours_from_now),
        );
        t.on_call = on_call.map(str::to_owned);
        t
    }

    #[test]
    fn an_unassigned_train_is_skipped_at_and_after_its_cut_time_with_the_rule_as_reason() {
        let mut trains = [train(0, None), train(-30, Some("  ")), train(1, None)];
        assert_eq!(apply_skip_rule(&mut trains, now()), [0, 1]);
        for t in &trains[..2] {
            assert_eq!(t.status, CalendarStatus::Skipped);
            assert_eq!(t.reason.as_deref(), Some(SKIPPED_WITHOUT_ON_CALL));
        }
        assert_eq!(trains[2], train(1, None));
    }

    #[test]
    fn a_track_that_runs_unwatched_trains_is_neither_skipped_nor_warned_about() {
        let unwatched = |hours| PlannedTrain {
            runs_unwatched: true,
            ..train(hours, None)
        };
        let mut trains = [unwatched(-1), train(-1, None)];
        assert_eq!(apply_skip_rule(&mut trains, now()), [1]);
        assert_eq!(trains[0].status, CalendarStatus::Open);
        assert_eq!(warning(&unwatched(5), now()), None);
        assert!(warning(&train(5, None), now()).is_some());
    }

    #[test]
    fn an_assigned_train_is_left_for_the_cut() {
        let mut trains = [train(-1, Some("@carl"))];
        assert!(apply_skip_rule(&mut trains, now()).is_empty());
        assert_eq!(trains[0].status, CalendarStatus::Open);
    }

    #[test]
    fn trains_already_decided_are_untouched() {
        for status in [
            CalendarStatus::Skipped,
            CalendarStatus::Cut,
            CalendarStatus::Done,
        ] {
            let mut t = train(-1, None);
            t.status = status;
            t.reason = Some("owner decision".into());
            let mut trains = [t.clone()];
            assert!(apply_skip_rule(&mut trains, now()).is_empty());
            assert_eq!(trains[0], t);
        }
    }

    #[test]
    fn applying_the_skip_rule_twice_changes_nothing_the_second_time() {
        let mut trains = [train(-1, None), train(-2, Some("@ana")), train(5, None)];
        apply_skip_rule(&mut trains, now());
        let once = trains.clone();
        assert!(apply_skip_rule(&mut trains, now()).is_empty());
        assert_eq!(trains, once);
    }

    #[test]
    fn an_unassigned_future_train_warns_that_it_will_be_skipped() {
        assert_eq!(
            warning(&train(24, None), now()).as_deref(),
            Some(NO_ON_CALL_WARNING)
        );
        assert_eq!(warning(&train(24, Some("@ana")), now()), None);
        // At cut time the rule itself speaks; a warning would be too late.
        assert_eq!(warning(&train(0, None), now()), None);
        let mut skipped = train(24, None);
        skipped.status = CalendarStatus::Skipped;
        assert_eq!(warning(&skipped, now()), None);
    }
}
