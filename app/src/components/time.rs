use chrono::{DateTime, Utc};

/// `Tue 24 Nov 2026, 14:00 UTC`
pub fn utc_label(at: DateTime<Utc>) -> String {
    at.format("%a %d %b %Y, %H:%M UTC").to_string()
}

/// `in 3 days`, `in 5 h`, `2 days ago`: coarse, for scanning a list.
pub fn relative_label(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let delta = at - now;
    let (past, delta) = if delta < chrono::Duration::zero() {
        (true, -delta)
    } else {
        (false, delta)
    };
    let text = if delta.num_days() >= 2 {
        format!("{} days", delta.num_days())
    } else if delta.num_hours() >= 1 {
        format!("{} h", delta.num_hours())
    } else {
        format!("{} min", delta.num_minutes().max(1))
    };
    if past {
        format!("{text} ago")
    } else {
        format!("in {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn labels_read_as_a_person_would_say_them() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
        assert_eq!(utc_label(at), "Tue 24 Nov 2026, 14:00 UTC");
        assert_eq!(relative_label(at, now), "in 3 days");
        assert_eq!(relative_label(now, at), "3 days ago");
        assert_eq!(
            relative_label(now + chrono::Duration::hours(5), now),
            "in 5 h"
        );
        assert_eq!(relative_label(now, now), "in 1 min");
    }
}
