use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a planned train stands on the calendar (seed 003's "Status" column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CalendarStatus {
    /// Planned, not yet cut.
    Open,
    /// Not run: the skip rule or an owner decided so, with a reason.
    Skipped,
    /// The release branch/tag was cut; the train is running.
    Cut,
    /// The train has finished.
    Done,
}

impl CalendarStatus {
    pub const ALL: [CalendarStatus; 4] = [Self::Open, Self::Skipped, Self::Cut, Self::Done];

    /// The value stored in the database (a CHECK constraint lists the same set).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Skipped => "skipped",
            Self::Cut => "cut",
            Self::Done => "done",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, UnknownCalendarStatus> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| UnknownCalendarStatus(raw.to_owned()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Skipped => "Skipped",
            Self::Cut => "Cut",
            Self::Done => "Done",
        }
    }
}

impl fmt::Display for CalendarStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown calendar status {0:?} (expected open, skipped, cut or done)")]
pub struct UnknownCalendarStatus(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_its_stored_form() {
        for status in CalendarStatus::ALL {
            assert_eq!(CalendarStatus::parse(status.as_str()), Ok(status));
        }
        assert!(CalendarStatus::parse("Open").is_err());
    }
}
