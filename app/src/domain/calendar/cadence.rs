//! Track cadences as RFC 5545 recurrence rules (`DTSTART` + `RRULE`), so that
//! "alternate Wednesdays at 14:00 UTC" is computed by a maintained crate rather
//! than by home-made date arithmetic.

use chrono::{DateTime, Utc};
use rrule::{RRuleSet, Tz};

/// Seed 003's dev track: weekly, Tuesday 14:00 UTC.
pub const SEED_DEV_RULE: &str =
    "DTSTART:20260512T140000Z\nRRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=14;BYMINUTE=0;BYSECOND=0";
/// Seed 003's staging track: alternate Wednesdays 14:00 UTC, from the week the
/// calendar was published (2026-05-13).
pub const SEED_STAGING_RULE: &str =
    "DTSTART:20260513T140000Z\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;BYHOUR=14;BYMINUTE=0;BYSECOND=0";

#[derive(Clone, Debug)]
pub enum Cadence {
    /// Trains are planned from a recurrence rule.
    Recurring(Box<RRuleSet>),
    /// No planned trains (hotfix): trains are recorded when they happen.
    OnDemand,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cadence {rule:?} is not a valid RFC 5545 recurrence: {reason}")]
pub struct CadenceError {
    pub rule: String,
    pub reason: String,
}

impl Cadence {
    /// Parses the stored form: `None` is on demand, otherwise a `DTSTART:…` line
    /// followed by an `RRULE:…` line.
    pub fn parse(rule: Option<&str>) -> Result<Self, CadenceError> {
        let Some(rule) = rule else {
            return Ok(Self::OnDemand);
        };
        rule.parse::<RRuleSet>()
            .map(|set| Self::Recurring(Box::new(set)))
            .map_err(|e| CadenceError {
                rule: rule.to_owned(),
                reason: e.to_string(),
            })
    }

    /// The date of `at` where the track lives (its rule's time zone; UTC
    /// on demand): what a train id is made of.
    pub fn local_date(&self, at: DateTime<Utc>) -> chrono::NaiveDate {
        match self {
            Self::OnDemand => at.date_naive(),
            Self::Recurring(set) => at
                .with_timezone(&set.get_dt_start().timezone())
                .date_naive(),
        }
    }

    /// The next `count` occurrences strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>, count: u16) -> Vec<DateTime<Utc>> {
        match self {
            Self::OnDemand => Vec::new(),
            Self::Recurring(set) => (**set)
                .clone()
                .after(after.with_timezone(&Tz::UTC))
                .all(count.saturating_add(1))
                .dates
                .into_iter()
                .map(|d| d.with_timezone(&Utc))
                .filter(|d| *d > after)
                .take(usize::from(count))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::edit::{weekdays, CadenceSpec};
    use chrono::{Datelike, Offset, TimeZone, Timelike, Weekday};

    const BERLIN: Tz = Tz::Europe__Berlin;

    const DEV: &str = SEED_DEV_RULE;
    const STAGING: &str = SEED_STAGING_RULE;

    #[test]
    fn weekly_dev_lands_on_tuesdays_at_14_utc() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
        let next = Cadence::parse(Some(DEV)).unwrap().next_after(now, 3);
        let days: Vec<_> = next.iter().map(|d| d.date_naive().to_string()).collect();
        assert_eq!(days, ["2026-11-24", "2026-12-01", "2026-12-08"]);
        assert!(next
            .iter()
            .all(|d| d.weekday() == Weekday::Tue && d.hour() == 14));
    }

    #[test]
    fn alternate_wednesdays_keep_their_parity_across_the_year_end() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let next = Cadence::parse(Some(STAGING)).unwrap().next_after(now, 4);
        let days: Vec<_> = next.iter().map(|d| d.date_naive().to_string()).collect();
        // 2026-05-13 + 2k weeks (12-02 is week 29, so not one of them).
        assert_eq!(
            days,
            ["2026-12-09", "2026-12-23", "2027-01-06", "2027-01-20"]
        );
    }

    #[test]
    fn an_occurrence_at_exactly_now_is_not_next() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
        let next = Cadence::parse(Some(DEV)).unwrap().next_after(now, 1);
        assert_eq!(next[0].date_naive().to_string(), "2026-12-01");
    }

    proptest::proptest! {
        /// A team that cuts at a wall-clock time in Berlin keeps it across
        /// both daylight-saving changes of the year, whatever the start.
        #[test]
        fn a_berlin_cadence_keeps_its_wall_clock_time_across_daylight_saving(
            start in 0i64..365,
            day in 0usize..7,
            hour in 8u32..21,
            quarter in 0u32..4,
            count in 20u16..60,
        ) {
            let (weekday, code, _) = weekdays().nth(day).unwrap();
            let starts_on = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(start);
            let time = format!("{hour:02}:{:02}", quarter * 15);
            let spec = CadenceSpec::parse(
                "1", &[code.to_owned()], &time, &starts_on.to_string(), "Europe/Berlin",
            ).unwrap();
            let cadence = Cadence::parse(Some(&spec.to_rule())).unwrap();
            let from = starts_on.and_hms_opt(0, 0, 0).unwrap().and_utc() - chrono::Duration::days(1);
            let planned = cadence.next_after(from, count);
            proptest::prop_assert_eq!(planned.len(), usize::from(count));
            let offsets: std::collections::BTreeSet<i32> = planned
                .iter()
                .map(|at| at.with_timezone(&BERLIN).offset().fix().local_minus_utc())
                .collect();
            if count >= 53 {
                proptest::prop_assert_eq!(offsets.len(), 2, "a year holds both offsets");
            }
            for at in planned {
                let local = at.with_timezone(&BERLIN);
                proptest::prop_assert_eq!(
                    (local.weekday(), local.hour(), local.minute()),
                    (weekday, hour, quarter * 15)
                );
            }
        }
    }

    #[test]
    fn the_end_of_summer_time_moves_the_utc_hour_not_the_local_one() {
        let spec = CadenceSpec::parse(
            "1",
            &["TU".to_owned()],
            "17:00",
            "2026-10-13",
            "Europe/Berlin",
        )
        .unwrap();
        let from = Utc.with_ymd_and_hms(2026, 10, 12, 0, 0, 0).unwrap();
        let utc_hours: Vec<u32> = Cadence::parse(Some(&spec.to_rule()))
            .unwrap()
            .next_after(from, 4)
            .iter()
            .map(|at| at.hour())
            .collect();
        // Summer time ends on Sunday 25 October 2026.
        assert_eq!(utc_hours, [15, 15, 16, 16]);
    }

    #[test]
    fn an_unknown_zone_is_refused_when_the_rule_is_read() {
        let spec = CadenceSpec::parse(
            "1",
            &["TU".to_owned()],
            "17:00",
            "2026-10-13",
            "Mars/Olympus",
        )
        .unwrap();
        let err = Cadence::parse(Some(&spec.to_rule())).unwrap_err();
        assert!(err.reason.contains("Mars/Olympus"), "{err}");
    }

    #[test]
    fn on_demand_plans_nothing_and_garbage_is_refused() {
        assert!(Cadence::parse(None)
            .unwrap()
            .next_after(Utc::now(), 5)
            .is_empty());
        let err = Cadence::parse(Some("RRULE:FREQ=SOMETIMES")).unwrap_err();
        assert!(err.to_string().contains("FREQ=SOMETIMES"));
    }
}
