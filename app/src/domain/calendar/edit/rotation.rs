//! Who owns the calendar each month (seed 003's open question, proposed as a
//! monthly rotation between dev infra and the validator team).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    teams: Vec<String>,
    /// First day of the month the first team owns.
    starts_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RotationError {
    #[error("name at least one team")]
    NoTeams,
    #[error("at most 12 teams can take turns")]
    TooManyTeams,
    #[error("team {0:?} is listed twice")]
    Duplicate(String),
    #[error("a team name is at most 60 characters")]
    TooLong,
}

/// The first day of `date`'s month.
pub fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.year() - from.year()) * 12 + i64::from(to.month()) - i64::from(from.month())
}

impl Rotation {
    /// Teams one per line or comma-separated, in turn order.
    pub fn parse(teams: &str, starts_on: NaiveDate) -> Result<Self, RotationError> {
        let mut list: Vec<String> = Vec::new();
        for team in teams
            .split([',', '\n'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if team.chars().count() > 60 {
                return Err(RotationError::TooLong);
            }
            if list.iter().any(|t| t.eq_ignore_ascii_case(team)) {
                return Err(RotationError::Duplicate(team.to_owned()));
            }
            list.push(team.to_owned());
        }
        Self::new(list, starts_on)
    }

    pub fn new(teams: Vec<String>, starts_on: NaiveDate) -> Result<Self, RotationError> {
        if teams.is_empty() {
            return Err(RotationError::NoTeams);
        }
        if teams.len() > 12 {
            return Err(RotationError::TooManyTeams);
        }
        Ok(Self {
            teams,
            starts_on: month_of(starts_on),
        })
    }

    pub fn teams(&self) -> &[String] {
        &self.teams
    }

    pub fn starts_on(&self) -> NaiveDate {
        self.starts_on
    }

    /// The team that owns the calendar in `date`'s month; the turns extend
    /// backwards before the start as well.
    pub fn owner_on(&self, date: NaiveDate) -> &str {
        let n = self.teams.len() as i64;
        let i = months_between(self.starts_on, month_of(date)).rem_euclid(n);
        &self.teams[usize::try_from(i).unwrap_or(0)]
    }

    /// `count` months from `date`'s month on, each with its owner.
    pub fn schedule(&self, date: NaiveDate, count: u32) -> Vec<(NaiveDate, String)> {
        let mut month = month_of(date);
        let mut out = Vec::new();
        for _ in 0..count {
            out.push((month, self.owner_on(month).to_owned()));
            month = month
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(month);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn two_teams_alternate_monthly_across_the_year_end_and_before_the_start() {
        let r = Rotation::parse("dev infra\nvalidators", day(2026, 11, 17)).unwrap();
        assert_eq!(r.starts_on(), day(2026, 11, 1));
        assert_eq!(r.owner_on(day(2026, 11, 30)), "dev infra");
        assert_eq!(r.owner_on(day(2026, 12, 1)), "validators");
        assert_eq!(r.owner_on(day(2027, 1, 15)), "dev infra");
        assert_eq!(r.owner_on(day(2026, 10, 3)), "validators");
        let next: Vec<String> = r
            .schedule(day(2026, 12, 24), 3)
            .into_iter()
            .map(|(m, t)| format!("{m} {t}"))
            .collect();
        assert_eq!(
            next,
            [
                "2026-12-01 validators",
                "2027-01-01 dev infra",
                "2027-02-01 validators"
            ]
        );
    }

    #[test]
    fn a_rotation_needs_distinct_teams() {
        assert_eq!(
            Rotation::parse(" , ", day(2026, 1, 1)),
            Err(RotationError::NoTeams)
        );
        assert_eq!(
            Rotation::parse("validators, Validators", day(2026, 1, 1)),
            Err(RotationError::Duplicate("Validators".into()))
        );
    }
}
