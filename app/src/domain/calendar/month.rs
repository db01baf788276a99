//! The month view's grid: whole weeks, Monday first, covering one month.

use chrono::{Datelike, Days, Months, NaiveDate};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(NaiveDate);

impl Month {
    pub fn of(date: NaiveDate) -> Self {
        Self(date.with_day(1).unwrap_or(date))
    }

    /// `2026-12`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d")
            .map(Self)
            .map_err(|_| format!("{:?} is not a month; write it as YYYY-MM", raw.trim()))
    }

    pub fn first_day(self) -> NaiveDate {
        self.0
    }

    pub fn next(self) -> Self {
        Self(self.0.checked_add_months(Months::new(1)).unwrap_or(self.0))
    }

    pub fn previous(self) -> Self {
        Self(self.0.checked_sub_months(Months::new(1)).unwrap_or(self.0))
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        Self::of(day) == self
    }

    /// "December 2026".
    pub fn label(self) -> String {
        self.0.format("%B %Y").to_string()
    }

    /// The weeks shown: from the Monday on or before the 1st to the Sunday on
    /// or after the last day.
    pub fn weeks(self) -> Vec<[NaiveDate; 7]> {
        let start = self.0 - Days::new(u64::from(self.0.weekday().num_days_from_monday()));
        let next = self.next().first_day();
        let mut weeks = Vec::new();
        let mut monday = start;
        while monday < next {
            let mut week = [monday; 7];
            for (i, day) in week.iter_mut().enumerate() {
                *day = monday + Days::new(i as u64);
            }
            weeks.push(week);
            monday = monday + Days::new(7);
        }
        weeks
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_covered_by_whole_monday_first_weeks() {
        let december = Month::parse("2026-12").unwrap();
        let weeks = december.weeks();
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][0].to_string(), "2026-11-30");
        assert_eq!(weeks[4][6].to_string(), "2027-01-03");
        assert_eq!(december.label(), "December 2026");
        assert_eq!(december.next().to_string(), "2027-01");
        assert_eq!(december.previous().to_string(), "2026-11");
        // February 2027 starts on a Monday and ends on a Sunday: exactly 4 weeks.
        assert_eq!(Month::parse("2027-02").unwrap().weeks().len(), 4);
    }

    #[test]
    fn a_month_that_is_not_one_is_refused() {
        assert!(Month::parse("2026-13").unwrap_err().contains("YYYY-MM"));
    }
}
