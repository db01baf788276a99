//! A track (seed 003): its cadence, when code freezes before a cut, where it
//! promotes to and how long a release soaks there first.

use super::calendar::cadence::Cadence;
use super::calendar::TrackPlan;
use super::TrackName;
use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Debug)]
pub struct Track {
    pub name: TrackName,
    pub cadence: Cadence,
    /// How long before the cut the code freezes.
    pub freeze_offset: Duration,
    /// The track its releases are promoted to (dev → staging).
    pub promotes_to: Option<TrackName>,
    /// How long a release must run clean before it is promoted.
    pub soak: Duration,
    /// Whether its trains are cut with nobody on call.
    pub runs_unwatched: bool,
}

impl Track {
    /// When the code freezes for a train cut at `cut`.
    pub fn freeze_at(&self, cut: DateTime<Utc>) -> DateTime<Utc> {
        cut - self.freeze_offset
    }

    /// The earliest a release made at `released_at` may be promoted.
    pub fn soak_ends(&self, released_at: DateTime<Utc>) -> DateTime<Utc> {
        released_at + self.soak
    }

    pub fn plan(&self) -> TrackPlan {
        TrackPlan {
            name: self.name.clone(),
            cadence: self.cadence.clone(),
            runs_unwatched: self.runs_unwatched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::cadence::SEED_DEV_RULE;
    use chrono::TimeZone;

    #[test]
    fn dev_freezes_before_its_cut_and_soaks_a_week_before_staging() {
        let dev = Track {
            name: TrackName::parse("dev").unwrap(),
            cadence: Cadence::parse(Some(SEED_DEV_RULE)).unwrap(),
            freeze_offset: Duration::hours(3),
            promotes_to: Some(TrackName::parse("staging").unwrap()),
            soak: Duration::days(7),
            runs_unwatched: false,
        };
        let cut = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
        assert_eq!(
            dev.freeze_at(cut),
            Utc.with_ymd_and_hms(2026, 11, 24, 11, 0, 0).unwrap()
        );
        assert_eq!(
            dev.soak_ends(cut),
            Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0).unwrap()
        );
        assert_eq!(dev.plan().name, dev.name);
    }
}
