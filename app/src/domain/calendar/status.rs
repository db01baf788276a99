use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a planned train stands on the calendar (seed 003's "Status" column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CalendarStatus {
    /// Planned, not yet cut.
    Open,
    /// Planned, and moved past its slot by an owner, with a reason and a
    /// category; it is cut at its new time.
    Postponed,
    /// Not run: the skip rule or an owner decided so, with a reason.
    Skipped,
    /// The release branch/tag was cut; the train is running.
    Cut,
    /// The train completed.
    Done,
    /// The train failed.
    Failed,
    /// The train's release was rolled back.
    RolledBack,
}

impl CalendarStatus {
    pub const ALL: [CalendarStatus; 7] = [
        Self::Open,
        Self::Postponed,
        Self::Skipped,
        Self::Cut,
        Self::Done,
        Self::Failed,
        Self::RolledBack,
    ];

    /// The value stored in the database (a CHECK constraint lists the same set).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Postponed => "postponed",
            Self::Skipped => "skipped",
            Self::Cut => "cut",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::RolledBack => "rolled_back",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, UnknownCalendarStatus> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| UnknownCalendarStatus(raw.to_owned()))
    }

    /// Whether the train is still to be cut (planned or postponed).
    pub fn is_ahead(self) -> bool {
        matches!(self, Self::Open | Self::Postponed)
    }

    /// The status a train that ended in `state` has on the calendar.
    pub fn of_finished(state: crate::domain::TrainState) -> Option<Self> {
        use crate::domain::TrainState as S;
        match state {
            S::Completed => Some(Self::Done),
            S::Failed => Some(Self::Failed),
            S::RolledBack => Some(Self::RolledBack),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Postponed => "Postponed",
            Self::Skipped => "Skipped",
            Self::Cut => "Cut",
            Self::Done => "Done",
            Self::Failed => "Failed",
            Self::RolledBack => "Rolled back",
        }
    }
}

impl fmt::Display for CalendarStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown calendar status {0:?} (expected open, postponed, skipped, cut, done, failed or rolled_back)"
)]
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
