//! The days a metric covers (`from`, and how many days after it) and the
//! buckets its series are cut into.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Seed 003 reviews its success metrics 30 days after sign-off.
pub const DEFAULT_DAYS: u32 = 30;
/// A window is at most a year and a day.
pub const MAX_DAYS: u32 = 366;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Daily,
    Weekly,
    Monthly,
}

impl Interval {
    pub const ALL: [Self; 3] = [Self::Daily, Self::Weekly, Self::Monthly];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|i| i.as_str() == raw)
            .ok_or_else(|| format!("interval is daily, weekly or monthly, not {raw:?}"))
    }

    /// The first day of the bucket holding `day`: itself, its week's
    /// Monday, or the first of its month.
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Self::Daily => day,
            Self::Weekly => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Self::Monthly => day.with_day(1).unwrap_or(day),
        }
    }

    fn after(self, start: NaiveDate) -> NaiveDate {
        match self {
            Self::Daily => start + Duration::days(1),
            Self::Weekly => start + Duration::days(7),
            Self::Monthly => start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(start + Duration::days(31)),
        }
    }
}

/// `days` days from `from` (UTC dates), cut into buckets of `interval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MetricWindow {
    pub from: NaiveDate,
    pub days: u32,
    pub interval: Interval,
}

impl MetricWindow {
    /// The window asked for. Without `from`, the `days` up to and including
    /// `today`; without `days`, 30; without `interval`, daily up to 31 days,
    /// weekly up to 184, monthly beyond. Each refusal names its field.
    pub fn parse(
        from: Option<&str>,
        days: Option<u32>,
        interval: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, (&'static str, String)> {
        let days = match days {
            None => DEFAULT_DAYS,
            Some(d) if (1..=MAX_DAYS).contains(&d) => d,
            Some(d) => return Err(("days", format!("days is 1 to {MAX_DAYS}, not {d}"))),
        };
        let from = match from.map(str::trim).filter(|f| !f.is_empty()) {
            None => today - Duration::days(i64::from(days) - 1),
            Some(raw) => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
                (
                    "from",
                    format!("from is a date such as 2026-06-13, not {raw:?}"),
                )
            })?,
        };
        let interval = match interval {
            None => match days {
                ..=31 => Interval::Daily,
                32..=184 => Interval::Weekly,
                _ => Interval::Monthly,
            },
            Some(raw) => Interval::parse(raw).map_err(|m| ("interval", m))?,
        };
        Ok(Self {
            from,
            days,
            interval,
        })
    }

    /// The day after the last one.
    pub fn until(&self) -> NaiveDate {
        self.from + Duration::days(i64::from(self.days))
    }

    /// The first instant in, and the first instant after, the window.
    pub fn instants(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        (midnight(self.from), midnight(self.until()))
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let (from, until) = self.instants();
        from <= at && at < until
    }

    /// Each bucket's first day, in order: the first may start before
    /// `from` (a week's Monday), and all of them together cover the window.
    pub fn buckets(&self) -> Vec<NaiveDate> {
        let mut starts = Vec::new();
        let mut start = self.interval.start_of(self.from);
        while start < self.until() {
            starts.push(start);
            start = self.interval.after(start);
        }
        starts
    }

    /// The bucket `at` falls in.
    pub fn bucket_of(&self, at: DateTime<Utc>) -> NaiveDate {
        self.interval.start_of(at.date_naive())
    }

    /// How many months of 30 days the window spans, at least a fraction of
    /// one: what "per month" divides by.
    pub fn months(&self) -> f64 {
        f64::from(self.days) / 30.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_default_is_the_thirty_days_up_to_today_by_day() {
        let w = MetricWindow::parse(None, None, None, day("2026-06-13")).unwrap();
        assert_eq!(w.from, day("2026-05-15"));
        assert_eq!(w.until(), day("2026-06-14"));
        assert_eq!(w.interval, Interval::Daily);
        assert_eq!(w.buckets().len(), 30);
    }

    #[test]
    fn the_thirty_days_after_a_date_by_week_start_on_mondays() {
        let w = MetricWindow::parse(Some("2026-05-13"), None, Some("weekly"), day("2026-12-01"))
            .unwrap();
        let buckets = w.buckets();
        assert_eq!(buckets.first(), Some(&day("2026-05-11")));
        assert_eq!(buckets.last(), Some(&day("2026-06-08")));
        assert_eq!(buckets.len(), 5);
        let at = day("2026-05-20").and_hms_opt(9, 0, 0).unwrap().and_utc();
        assert_eq!(w.bucket_of(at), day("2026-05-18"));
    }

    #[test]
    fn a_quarter_is_weekly_and_a_year_monthly_unless_asked() {
        let today = day("2026-12-01");
        assert_eq!(
            MetricWindow::parse(None, Some(90), None, today)
                .unwrap()
                .interval,
            Interval::Weekly
        );
        let year = MetricWindow::parse(Some("2026-01-01"), Some(365), None, today).unwrap();
        assert_eq!(year.interval, Interval::Monthly);
        assert_eq!(year.buckets().len(), 12);
    }

    #[test]
    fn bad_input_names_its_field() {
        let today = day("2026-12-01");
        assert_eq!(
            MetricWindow::parse(None, Some(0), None, today)
                .unwrap_err()
                .0,
            "days"
        );
        assert_eq!(
            MetricWindow::parse(None, Some(400), None, today)
                .unwrap_err()
                .0,
            "days"
        );
        assert_eq!(
            MetricWindow::parse(Some("13/06/2026"), None, None, today)
                .unwrap_err()
                .0,
            "from"
        );
        assert_eq!(
            MetricWindow::parse(None, None, Some("hourly"), today)
                .unwrap_err()
                .0,
            "interval"
        );
    }
}
