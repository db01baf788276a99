//! Train identifiers and their release branches (seed 000): a train cut in the
//! third week of September 2025 is `2025.09-wk3`, on branch
//! `release/2025.09-wk3`.

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrainId {
    year: i32,
    month: u32,
    /// Week of the month, 1 to 5: days 1-7 are week 1.
    week: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainIdError {
    #[error("{0:?} is not YYYY.MM-wkN (e.g. 2025.09-wk3)")]
    Shape(String),
    #[error("{text:?}: the year {part:?} is not a four-digit year")]
    Year { text: String, part: String },
    #[error("{text:?}: the month {part:?} is not 01 to 12")]
    Month { text: String, part: String },
    #[error("{text:?}: the week {part:?} is not 1 to 5")]
    Week { text: String, part: String },
    #[error("branch {0:?} does not start with release/")]
    NotAReleaseBranch(String),
}

impl TrainId {
    /// The train cut at `at`.
    pub fn for_cut(at: DateTime<Utc>) -> Self {
        Self {
            year: at.year(),
            month: at.month(),
            week: (at.day() - 1) / 7 + 1,
        }
    }

    pub fn parse(text: &str) -> Result<Self, TrainIdError> {
        let shape = || TrainIdError::Shape(text.to_owned());
        let (year, rest) = text.split_once('.').ok_or_else(shape)?;
        let (month, week) = rest.split_once("-wk").ok_or_else(shape)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) {
            return Err(TrainIdError::Year {
                text: text.to_owned(),
                part: year.to_owned(),
            });
        }
        let month_n: u32 = month.parse().unwrap_or(0);
        if !digits(month, 2) || !(1..=12).contains(&month_n) {
            return Err(TrainIdError::Month {
                text: text.to_owned(),
                part: month.to_owned(),
            });
        }
        let week_n: u32 = week.parse().unwrap_or(0);
        if !digits(week, 1) || !(1..=5).contains(&week_n) {
            return Err(TrainIdError::Week {
                text: text.to_owned(),
                part: week.to_owned(),
            });
        }
        Ok(Self {
            year: year.parse().map_err(|_| shape())?,
            month: month_n,
            week: week_n,
        })
    }

    /// `release/2025.09-wk3`
    pub fn branch(&self) -> String {
        format!("release/{self}")
    }

    pub fn from_branch(branch: &str) -> Result<Self, TrainIdError> {
        let id = branch
            .strip_prefix("release/")
            .ok_or_else(|| TrainIdError::NotAReleaseBranch(branch.to_owned()))?;
        Self::parse(id)
    }
}

impl fmt::Display for TrainId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}-wk{}", self.year, self.month, self.week)
    }
}

impl TryFrom<String> for TrainId {
    type Error = TrainIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TrainId> for String {
    fn from(value: TrainId) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn the_seed_branch_parses_and_prints() {
        let id = TrainId::from_branch("release/2025.09-wk3").unwrap();
        assert_eq!(id.to_string(), "2025.09-wk3");
        assert_eq!(id.branch(), "release/2025.09-wk3");
        let cut = Utc.with_ymd_and_hms(2025, 9, 16, 17, 0, 0).unwrap();
        assert_eq!(TrainId::for_cut(cut), id);
    }

    #[test]
    fn a_malformed_id_names_the_part_that_is_wrong() {
        assert!(matches!(
            TrainId::parse("2025-09-wk3"),
            Err(TrainIdError::Shape(_))
        ));
        assert!(matches!(
            TrainId::parse("25.09-wk3"),
            Err(TrainIdError::Year { .. })
        ));
        assert!(matches!(
            TrainId::parse("2025.13-wk3"),
            Err(TrainIdError::Month { .. })
        ));
        assert!(matches!(
            TrainId::parse("2025.9-wk3"),
            Err(TrainIdError::Month { .. })
        ));
        assert!(matches!(
            TrainId::parse("2025.09-wk6"),
            Err(TrainIdError::Week { .. })
        ));
        assert!(matches!(
            TrainId::from_branch("main"),
            Err(TrainIdError::NotAReleaseBranch(_))
        ));
    }

    proptest! {
        /// Every day of every month maps to an id that round-trips and orders
        /// like the dates do.
        #[test]
        fn ids_round_trip_and_follow_the_calendar(a in 0i64..3650, b in 0i64..3650) {
            let day = |d: i64| Utc.with_ymd_and_hms(2024, 1, 1, 12, 0, 0).unwrap() + chrono::Duration::days(d);
            let (x, y) = (TrainId::for_cut(day(a)), TrainId::for_cut(day(b)));
            prop_assert_eq!(TrainId::parse(&x.to_string()).unwrap(), x);
            if a <= b {
                prop_assert!(x <= y);
            }
        }
    }
}
