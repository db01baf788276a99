//! Times typed into forms. Every time on the calendar is UTC; a
//! `datetime-local` input sends `2026-12-09T14:00` without a zone, which is
//! read as UTC because the form says so next to the field.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// `2026-12-09T14:00`, `2026-12-09 14:00`, with or without seconds, or a full
/// RFC 3339 time with its offset.
pub fn parse_utc(raw: &str) -> Result<DateTime<Utc>, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("give a date and time (UTC), like 2026-12-09T14:00".to_owned());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(t.and_utc());
        }
    }
    Err(format!(
        "{text:?} is not a date and time; write it as YYYY-MM-DDTHH:MM (UTC)"
    ))
}

/// `2026-12-09`.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let text = raw.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date; write it as YYYY-MM-DD"))
}

/// The value a `datetime-local` input shows for `at`.
pub fn input_value(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn form_times_are_read_as_utc_in_every_accepted_shape() {
        let want = Utc.with_ymd_and_hms(2026, 12, 9, 14, 0, 0).unwrap();
        for raw in [
            "2026-12-09T14:00",
            "2026-12-09 14:00:00",
            " 2026-12-09T14:00:00 ",
            "2026-12-09T15:00:00+01:00",
        ] {
            assert_eq!(parse_utc(raw), Ok(want), "{raw}");
        }
        assert_eq!(input_value(want), "2026-12-09T14:00");
    }

    #[test]
    fn a_time_that_is_not_one_says_how_to_write_it() {
        assert!(parse_utc("next tuesday")
            .unwrap_err()
            .contains("YYYY-MM-DDTHH:MM"));
        assert!(parse_utc("").unwrap_err().contains("give a date"));
        assert!(parse_date("09/12/2026").unwrap_err().contains("YYYY-MM-DD"));
    }
}
