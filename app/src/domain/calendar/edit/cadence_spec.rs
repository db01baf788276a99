//! The cadence form: "every N weeks on these days at HH:MM in a time zone,
//! from a date". It becomes the RFC 5545 rule the calendar plans with (a
//! zone other than UTC as `DTSTART;TZID=`, so a train cut at 17:00 in
//! Berlin stays at 17:00 there across daylight saving), and a description
//! people read; a stored weekly rule reads back into the form.

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceSpec {
    pub every_weeks: u8,
    /// Monday first, no duplicates.
    pub days: Vec<Weekday>,
    /// Wall-clock time in `zone`.
    pub time: NaiveTime,
    pub starts_on: NaiveDate,
    /// An IANA time zone name (`UTC`, `Europe/Berlin`). Its shape is checked
    /// here; whether the zone exists, when the rule is parsed.
    pub zone: String,
}

pub const UTC: &str = "UTC";

/// A form field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CadenceSpecError {
    pub field: &'static str,
    pub message: String,
}

fn field_error(field: &'static str, message: impl Into<String>) -> CadenceSpecError {
    CadenceSpecError {
        field,
        message: message.into(),
    }
}

const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "MO", "Monday"),
    (Weekday::Tue, "TU", "Tuesday"),
    (Weekday::Wed, "WE", "Wednesday"),
    (Weekday::Thu, "TH", "Thursday"),
    (Weekday::Fri, "FR", "Friday"),
    (Weekday::Sat, "SA", "Saturday"),
    (Weekday::Sun, "SU", "Sunday"),
];

/// The two-letter RFC 5545 code and the English name of each weekday, Monday first.
pub fn weekdays() -> impl Iterator<Item = (Weekday, &'static str, &'static str)> {
    DAYS.into_iter()
}

fn code(day: Weekday) -> &'static str {
    DAYS.iter()
        .find(|(d, _, _)| *d == day)
        .map_or("MO", |(_, c, _)| c)
}

fn day_name(day: Weekday) -> &'static str {
    DAYS.iter()
        .find(|(d, _, _)| *d == day)
        .map_or("Monday", |(_, _, n)| n)
}

impl CadenceSpec {
    /// Reads the form: `every` weeks (1–8), day codes (`TU`, `WE`), `HH:MM`,
    /// the first date (`YYYY-MM-DD`) and the time zone (empty: UTC).
    pub fn parse(
        every: &str,
        days: &[String],
        time: &str,
        starts_on: &str,
        zone: &str,
    ) -> Result<Self, CadenceSpecError> {
        let every_weeks: u8 = every
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=8).contains(n))
            .ok_or_else(|| {
                field_error(
                    "every",
                    format!("{:?} is not a number of weeks from 1 to 8", every.trim()),
                )
            })?;
        let mut parsed = Vec::new();
        for raw in days {
            let day = DAYS
                .iter()
                .find(|(_, c, _)| c.eq_ignore_ascii_case(raw.trim()))
                .map(|(d, _, _)| *d)
                .ok_or_else(|| {
                    field_error("days", format!("{raw:?} is not a weekday code (MO … SU)"))
                })?;
            if !parsed.contains(&day) {
                parsed.push(day);
            }
        }
        if parsed.is_empty() {
            return Err(field_error("days", "pick at least one weekday"));
        }
        parsed.sort_by_key(|d| d.num_days_from_monday());
        let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| {
            field_error(
                "time",
                format!("{:?} is not a time; write it as HH:MM", time.trim()),
            )
        })?;
        let starts_on = NaiveDate::parse_from_str(starts_on.trim(), "%Y-%m-%d").map_err(|_| {
            field_error(
                "starts_on",
                format!(
                    "{:?} is not a date; write it as YYYY-MM-DD",
                    starts_on.trim()
                ),
            )
        })?;
        Ok(Self {
            every_weeks,
            days: parsed,
            time,
            starts_on,
            zone: parse_zone(zone)?,
        })
    }

    /// `DTSTART` + `RRULE`, the form the calendar stores and plans with.
    pub fn to_rule(&self) -> String {
        let interval = if self.every_weeks > 1 {
            format!(";INTERVAL={}", self.every_weeks)
        } else {
            String::new()
        };
        let days: Vec<&str> = self.days.iter().map(|d| code(*d)).collect();
        let start = format!(
            "{}T{}",
            self.starts_on.format("%Y%m%d"),
            self.time.format("%H%M%S")
        );
        let dtstart = if self.zone == UTC {
            format!("DTSTART:{start}Z")
        } else {
            format!("DTSTART;TZID={}:{start}", self.zone)
        };
        format!(
            "{dtstart}\nRRULE:FREQ=WEEKLY{interval};BYDAY={};BYHOUR={};BYMINUTE={};BYSECOND=0",
            days.join(","),
            self.time.format("%-H"),
            self.time.format("%-M"),
        )
    }

    /// "Weekly, Tuesday 14:00 UTC", "Bi-weekly, alternate Wednesdays 14:00 UTC".
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.days.iter().map(|d| day_name(*d)).collect();
        let days = match names.as_slice() {
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => String::new(),
        };
        let time = format!("{} {}", self.time.format("%H:%M"), self.zone);
        match self.every_weeks {
            1 => format!("Weekly, {days} {time}"),
            2 if self.days.len() == 1 => format!("Bi-weekly, alternate {days}s {time}"),
            2 => format!("Bi-weekly, {days} {time}"),
            n => format!("Every {n} weeks, {days} {time}"),
        }
    }

    /// Reads a stored weekly rule back into the form; `None` for rules the
    /// form cannot show (they can still be replaced).
    pub fn from_rule(rule: &str) -> Option<Self> {
        let mut lines = rule.lines().map(str::trim);
        let first = lines.next()?;
        let (zone, start) = match first.strip_prefix("DTSTART:") {
            Some(utc) => (UTC, utc.strip_suffix('Z')?),
            None => first.strip_prefix("DTSTART;TZID=")?.split_once(':')?,
        };
        let start =
            chrono::NaiveDateTime::parse_from_str(start.trim_end_matches('Z'), "%Y%m%dT%H%M%S")
                .ok()?;
        let rrule = lines.next()?.strip_prefix("RRULE:")?;
        let mut every = 1u8;
        let mut days = Vec::new();
        let (mut hour, mut minute) = (
            start.time().format("%H").to_string(),
            start.time().format("%M").to_string(),
        );
        for part in rrule.split(';') {
            let (key, value) = part.split_once('=')?;
            match key {
                "FREQ" if value == "WEEKLY" => {}
                "FREQ" => return None,
                "INTERVAL" => every = value.parse().ok()?,
                "BYDAY" => days = value.split(',').map(str::to_owned).collect(),
                "BYHOUR" => hour = value.to_owned(),
                "BYMINUTE" => minute = value.to_owned(),
                "BYSECOND" | "WKST" => {}
                _ => return None,
            }
        }
        let time = format!("{:0>2}:{:0>2}", hour, minute);
        Self::parse(
            &every.to_string(),
            &days,
            &time,
            &start.date().format("%Y-%m-%d").to_string(),
            zone,
        )
        .ok()
    }
}

/// `UTC` when empty; otherwise an IANA name's shape (`Area/Location`).
fn parse_zone(raw: &str) -> Result<String, CadenceSpecError> {
    let zone = raw.trim();
    if zone.is_empty() || zone.eq_ignore_ascii_case(UTC) {
        return Ok(UTC.to_owned());
    }
    let shaped = zone.len() <= 64
        && zone.starts_with(|c: char| c.is_ascii_alphabetic())
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
    if !shaped {
        return Err(field_error(
            "zone",
            format!(
                "{zone:?} is not a time zone; write an IANA name such as Europe/Berlin, or UTC"
            ),
        ));
    }
    Ok(zone.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn the_seed_cadences_round_trip_through_the_form() {
        let dev = CadenceSpec::parse("1", &days(&["TU"]), "14:00", "2026-05-12", "").unwrap();
        assert_eq!(
            dev.to_rule(),
            "DTSTART:20260512T140000Z\nRRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=14;BYMINUTE=0;BYSECOND=0"
        );
        assert_eq!(dev.describe(), "Weekly, Tuesday 14:00 UTC");
        let staging =
            CadenceSpec::parse("2", &days(&["we"]), "14:00", "2026-05-13", "UTC").unwrap();
        assert_eq!(
            staging.to_rule(),
            "DTSTART:20260513T140000Z\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;BYHOUR=14;BYMINUTE=0;BYSECOND=0"
        );
        assert_eq!(
            staging.describe(),
            "Bi-weekly, alternate Wednesdays 14:00 UTC"
        );
        for spec in [dev, staging] {
            assert_eq!(CadenceSpec::from_rule(&spec.to_rule()), Some(spec));
        }
    }

    #[test]
    fn several_days_are_ordered_and_described_together() {
        let spec =
            CadenceSpec::parse("3", &days(&["FR", "MO", "MO"]), "09:30", "2026-12-01", "").unwrap();
        assert_eq!(spec.days, [Weekday::Mon, Weekday::Fri]);
        assert_eq!(
            spec.describe(),
            "Every 3 weeks, Monday and Friday 09:30 UTC"
        );
        assert!(spec
            .to_rule()
            .ends_with("BYDAY=MO,FR;BYHOUR=9;BYMINUTE=30;BYSECOND=0"));
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = |every: &str, d: &[&str], time: &str, start: &str| {
            CadenceSpec::parse(every, &days(d), time, start, "")
                .unwrap_err()
                .field
        };
        assert_eq!(bad("0", &["TU"], "14:00", "2026-05-12"), "every");
        assert_eq!(bad("1", &[], "14:00", "2026-05-12"), "days");
        assert_eq!(bad("1", &["XX"], "14:00", "2026-05-12"), "days");
        assert_eq!(bad("1", &["TU"], "2pm", "2026-05-12"), "time");
        assert_eq!(bad("1", &["TU"], "14:00", "12/05/2026"), "starts_on");
        let zone = CadenceSpec::parse("1", &days(&["TU"]), "14:00", "2026-05-12", "Berlin time!");
        assert_eq!(zone.unwrap_err().field, "zone");
    }

    #[test]
    fn a_zone_other_than_utc_is_kept_as_the_rules_tzid_and_reads_back() {
        let berlin =
            CadenceSpec::parse("1", &days(&["TU"]), "17:00", "2026-09-01", "Europe/Berlin")
                .unwrap();
        assert_eq!(
            berlin.to_rule(),
            "DTSTART;TZID=Europe/Berlin:20260901T170000\nRRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=17;BYMINUTE=0;BYSECOND=0"
        );
        assert_eq!(berlin.describe(), "Weekly, Tuesday 17:00 Europe/Berlin");
        assert_eq!(CadenceSpec::from_rule(&berlin.to_rule()), Some(berlin));
    }

    #[test]
    fn rules_the_form_cannot_show_are_left_alone() {
        assert_eq!(
            CadenceSpec::from_rule("DTSTART:20260512T140000Z\nRRULE:FREQ=DAILY;BYHOUR=14"),
            None
        );
    }
}
