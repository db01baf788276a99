//! When a track's trains are announced as upcoming (`train.upcoming`):
//! minutes before the cut, a day and an hour by default.

use crate::domain::service::Invalid;

pub const DEFAULT_REMINDERS: [u32; 2] = [24 * 60, 60];

/// A month: further ahead a reminder is not one.
pub const LONGEST_REMINDER: u32 = 30 * 24 * 60;

pub const MAX_REMINDERS: usize = 5;

/// The reminders `raw` names, longest first; none given: the default.
pub fn parse_reminders(raw: &[u32]) -> Result<Vec<u32>, Invalid> {
    if raw.is_empty() {
        return Ok(DEFAULT_REMINDERS.to_vec());
    }
    if raw.len() > MAX_REMINDERS {
        return Err(invalid(format!("at most {MAX_REMINDERS} reminders")));
    }
    if let Some(bad) = raw.iter().find(|m| **m == 0 || **m > LONGEST_REMINDER) {
        return Err(invalid(format!(
            "{bad} is not 1 to {LONGEST_REMINDER} minutes before the cut"
        )));
    }
    let mut minutes = raw.to_vec();
    minutes.sort_unstable_by(|a, b| b.cmp(a));
    minutes.dedup();
    Ok(minutes)
}

/// What an input holds for `reminders`: nothing when they are the default.
pub fn reminders_input(reminders: &[u32]) -> Vec<u32> {
    if reminders == DEFAULT_REMINDERS {
        Vec::new()
    } else {
        reminders.to_vec()
    }
}

fn invalid(message: String) -> Invalid {
    Invalid::new("planning.reminder_minutes", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_and_an_hour_unless_told_otherwise() {
        assert_eq!(parse_reminders(&[]).unwrap(), [1440, 60]);
        assert_eq!(parse_reminders(&[30, 120, 30]).unwrap(), [120, 30]);
        assert!(reminders_input(&[1440, 60]).is_empty());
        assert_eq!(reminders_input(&[120, 30]), [120, 30]);
    }

    #[test]
    fn nonsense_names_the_field() {
        for raw in [vec![0], vec![LONGEST_REMINDER + 1], vec![1, 2, 3, 4, 5, 6]] {
            let err = parse_reminders(&raw).unwrap_err();
            assert_eq!(err.field, "planning.reminder_minutes", "{raw:?}");
        }
    }
}
