//! The days a track's cadence lands on, where the track lives: a deploy on
//! one of them is "on cadence" (seed 003's "Tuesday/Wed deploys").

use super::MetricWindow;
use crate::domain::calendar::cadence::Cadence;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::BTreeSet;

/// The most occurrences a window looks at per track: a cadence that fires
/// more than this in a year is on every day anyway.
const MAX_OCCURRENCES: u16 = 2000;

/// A cadenced track's days within a window, and the environments its
/// trains go through.
#[derive(Clone, Debug)]
pub struct CadenceDays {
    pub track: String,
    pub environments: Vec<String>,
    cadence: Cadence,
    days: BTreeSet<NaiveDate>,
}

impl CadenceDays {
    /// The days of `cadence` (local to its time zone) from a day before the
    /// window to a day after it, so that a deploy late in the evening UTC is
    /// judged on its track's own date.
    pub fn within(
        track: String,
        environments: Vec<String>,
        cadence: Cadence,
        window: &MetricWindow,
    ) -> Self {
        let (from, until) = window.instants();
        let (from, until) = (from - Duration::days(2), until + Duration::days(2));
        let days = cadence
            .next_after(from, MAX_OCCURRENCES)
            .into_iter()
            .take_while(|at| *at < until)
            .map(|at| cadence.local_date(at))
            .collect();
        Self {
            track,
            environments,
            cadence,
            days,
        }
    }

    /// Whether `at` falls on one of the cadence's days.
    pub fn holds(&self, at: DateTime<Utc>) -> bool {
        self.days.contains(&self.cadence.local_date(at))
    }

    /// Whether this track's trains go through `environment`.
    pub fn reaches(&self, environment: &str) -> bool {
        self.environments.iter().any(|e| e == environment)
    }
}

/// Whether a deploy to `environment` at `at` landed on the cadence: on a
/// day of its own train's track when it came with one (`track`), otherwise
/// on a day of any cadenced track that deploys to that environment.
pub fn on_cadence(
    tracks: &[CadenceDays],
    track: Option<&str>,
    environment: &str,
    at: DateTime<Utc>,
) -> bool {
    let own = track.and_then(|name| tracks.iter().find(|t| t.track == name));
    match own {
        Some(days) => days.holds(at),
        None => tracks
            .iter()
            .filter(|t| t.reaches(environment))
            .any(|t| t.holds(at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::cadence::{SEED_DEV_RULE, SEED_STAGING_RULE};
    use chrono::TimeZone;

    fn tracks(window: &MetricWindow) -> Vec<CadenceDays> {
        let days = |name: &str, env: &str, rule: &str| {
            CadenceDays::within(
                name.into(),
                vec![env.into()],
                Cadence::parse(Some(rule)).unwrap(),
                window,
            )
        };
        vec![
            days("weekly", "integration", SEED_DEV_RULE),
            days("fortnightly", "live", SEED_STAGING_RULE),
        ]
    }

    fn window() -> MetricWindow {
        let today = NaiveDate::from_ymd_opt(2026, 6, 13).unwrap();
        MetricWindow::parse(Some("2026-05-13"), None, None, today).unwrap()
    }

    #[test]
    fn a_deploy_on_its_tracks_day_is_on_cadence_whatever_the_hour() {
        let w = window();
        let t = tracks(&w);
        // Tuesday 2026-05-19, late in the evening.
        let tuesday = Utc.with_ymd_and_hms(2026, 5, 19, 23, 30, 0).unwrap();
        assert!(on_cadence(&t, Some("weekly"), "integration", tuesday));
        let thursday = Utc.with_ymd_and_hms(2026, 5, 21, 14, 0, 0).unwrap();
        assert!(!on_cadence(&t, Some("weekly"), "integration", thursday));
    }

    #[test]
    fn alternate_wednesdays_only_count_in_their_weeks() {
        let w = window();
        let t = tracks(&w);
        let on = Utc.with_ymd_and_hms(2026, 5, 27, 15, 0, 0).unwrap();
        let off = Utc.with_ymd_and_hms(2026, 5, 20, 15, 0, 0).unwrap();
        assert!(on_cadence(&t, Some("fortnightly"), "live", on));
        assert!(!on_cadence(&t, Some("fortnightly"), "live", off));
    }

    #[test]
    fn a_deploy_without_a_train_is_judged_by_the_tracks_of_its_environment() {
        let w = window();
        let t = tracks(&w);
        let tuesday = Utc.with_ymd_and_hms(2026, 5, 26, 10, 0, 0).unwrap();
        assert!(on_cadence(&t, None, "integration", tuesday));
        // Nothing of the weekly track goes live on Tuesdays.
        assert!(!on_cadence(&t, None, "live", tuesday));
        assert!(!on_cadence(&t, None, "elsewhere", tuesday));
    }
}
