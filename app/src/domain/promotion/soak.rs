//! The soak clock (seed 003): a release must run clean in its environment
//! for a while before it moves on. "Clean" means no rollback, no failed
//! health gate and no SLO-burn signal; any of them restarts the clock.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisturbanceKind {
    Rollback,
    FailedHealthGate,
    SloBurn,
}

impl DisturbanceKind {
    pub const ALL: [Self; 3] = [Self::Rollback, Self::FailedHealthGate, Self::SloBurn];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rollback => "rollback",
            Self::FailedHealthGate => "failed health gate",
            Self::SloBurn => "SLO burn",
        }
    }
}

impl fmt::Display for DisturbanceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a clean run means, as people read it: "no rollback, failed health
/// gate or SLO burn", from the kinds that restart the clock.
pub fn clean_means() -> String {
    let names = DisturbanceKind::ALL.map(DisturbanceKind::as_str);
    let (last, rest) = names.split_last().expect("at least one kind");
    format!("no {} or {last}", rest.join(", "))
}

/// Something that happened to the release in its environment and makes it
/// not clean.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disturbance {
    pub at: DateTime<Utc>,
    pub kind: DisturbanceKind,
    pub detail: String,
}

impl fmt::Display for Disturbance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}",
            self.kind,
            self.at.format("%Y-%m-%d %H:%M UTC")
        )?;
        if !self.detail.trim().is_empty() {
            write!(f, ": {}", self.detail.trim())?;
        }
        Ok(())
    }
}

/// The release's history in the environment it soaks in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoakFacts {
    /// When this release was deployed there.
    pub deployed_at: DateTime<Utc>,
    /// In any order; those before `deployed_at` concern an earlier release
    /// and are ignored, as are any dated after `now`.
    pub disturbances: Vec<Disturbance>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoakClock {
    /// The deployment, or the latest disturbance since.
    pub clean_since: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Zero once the soak is over.
    pub remaining: Duration,
    /// The disturbance the clock last restarted at, if any.
    pub restarted_by: Option<Disturbance>,
}

impl SoakClock {
    pub fn is_done(&self) -> bool {
        self.remaining.is_zero()
    }
}

/// Where the soak of `soak` length stands at `now`: it runs from the
/// deployment, restarted at the latest disturbance at or after it.
pub fn soak_clock(facts: &SoakFacts, soak: Duration, now: DateTime<Utc>) -> SoakClock {
    let restarted_by = facts
        .disturbances
        .iter()
        .filter(|d| facts.deployed_at <= d.at && d.at <= now)
        .max_by_key(|d| d.at)
        .cloned();
    let clean_since = restarted_by.as_ref().map_or(facts.deployed_at, |d| d.at);
    let ends_at = clean_since + soak;
    SoakClock {
        clean_since,
        ends_at,
        remaining: (ends_at - now).max(Duration::zero()),
        restarted_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(d: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap() + Duration::days(d)
    }

    fn disturbance(at: DateTime<Utc>, kind: DisturbanceKind) -> Disturbance {
        Disturbance {
            at,
            kind,
            detail: "api error rate 4 %".into(),
        }
    }

    const WEEK: Duration = Duration::days(7);

    #[test]
    fn a_clean_release_soaks_seven_days_from_its_deployment() {
        let facts = SoakFacts {
            deployed_at: day(0),
            disturbances: vec![],
        };
        let clock = soak_clock(&facts, WEEK, day(3));
        assert_eq!(clock.clean_since, day(0));
        assert_eq!(clock.ends_at, day(7));
        assert_eq!(clock.remaining, Duration::days(4));
        assert!(!clock.is_done());
        assert!(soak_clock(&facts, WEEK, day(7)).is_done());
        assert_eq!(soak_clock(&facts, WEEK, day(9)).remaining, Duration::zero());
    }

    #[test]
    fn each_kind_of_disturbance_restarts_the_clock() {
        for kind in [
            DisturbanceKind::Rollback,
            DisturbanceKind::FailedHealthGate,
            DisturbanceKind::SloBurn,
        ] {
            let facts = SoakFacts {
                deployed_at: day(0),
                disturbances: vec![disturbance(day(5), kind)],
            };
            let clock = soak_clock(&facts, WEEK, day(8));
            assert_eq!(clock.clean_since, day(5), "{kind}");
            assert_eq!(clock.ends_at, day(12), "{kind}");
            assert_eq!(clock.restarted_by.unwrap().kind, kind);
        }
    }

    #[test]
    fn the_latest_disturbance_counts_and_older_releases_do_not() {
        let facts = SoakFacts {
            deployed_at: day(0),
            disturbances: vec![
                disturbance(day(4), DisturbanceKind::SloBurn),
                disturbance(day(-2), DisturbanceKind::Rollback),
                disturbance(day(2), DisturbanceKind::Rollback),
                disturbance(day(30), DisturbanceKind::Rollback),
            ],
        };
        let clock = soak_clock(&facts, WEEK, day(5));
        assert_eq!(clock.clean_since, day(4));
        assert_eq!(
            clock.restarted_by.unwrap().to_string(),
            "SLO burn at 2026-09-25 14:13 UTC: api error rate 4 %"
        );
        let before = SoakFacts {
            deployed_at: day(0),
            disturbances: vec![disturbance(day(-1), DisturbanceKind::Rollback)],
        };
        assert_eq!(soak_clock(&before, WEEK, day(1)).restarted_by, None);
    }

    proptest! {
        #[test]
        fn the_soak_never_ends_before_the_latest_disturbance_plus_the_soak(
            offsets in proptest::collection::vec(0i64..20, 0..6),
            now in 0i64..30,
        ) {
            let facts = SoakFacts {
                deployed_at: day(0),
                disturbances: offsets.iter().map(|d| disturbance(day(*d), DisturbanceKind::Rollback)).collect(),
            };
            let clock = soak_clock(&facts, WEEK, day(now));
            for d in facts.disturbances.iter().filter(|d| d.at <= day(now)) {
                prop_assert!(clock.ends_at >= d.at + WEEK);
            }
            prop_assert!(clock.remaining >= Duration::zero());
            prop_assert_eq!(clock.is_done(), day(now) >= clock.ends_at);
        }
    }

    #[test]
    fn a_clean_run_names_every_kind_that_restarts_the_clock() {
        assert_eq!(clean_means(), "no rollback, failed health gate or SLO burn");
    }
}
