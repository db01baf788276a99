//! Freezes as promotions see them, and the break-glass that lets a hotfix
//! through one.

use crate::domain::TrackName;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A freeze window, reduced to what a promotion needs: when it holds, which
/// tracks it holds for and why. Both effects of a calendar freeze (block or
/// move a planned train) stop promotions alike.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveFreeze {
    pub reason: String,
    pub starts_at: DateTime<Utc>,
    /// The end of the window, exclusive.
    pub until: DateTime<Utc>,
    /// `None` freezes every track.
    pub tracks: Option<Vec<TrackName>>,
}

impl ActiveFreeze {
    /// Whether it holds at `now` for a train on `track` (a train on no track
    /// is held only by a freeze of every track).
    pub fn holds_for(&self, track: Option<&TrackName>, now: DateTime<Utc>) -> bool {
        self.starts_at <= now
            && now < self.until
            && match (&self.tracks, track) {
                (None, _) => true,
                (Some(tracks), Some(track)) => tracks.contains(track),
                (Some(_), None) => false,
            }
    }
}

#[cfg(feature = "ssr")]
impl From<&crate::domain::calendar::FreezeWindow> for ActiveFreeze {
    fn from(w: &crate::domain::calendar::FreezeWindow) -> Self {
        Self {
            reason: w.reason.clone(),
            starts_at: w.starts_at,
            until: w.ends_at,
            tracks: w.tracks.clone(),
        }
    }
}

/// An admin's decision to promote a hotfix train during a freeze.
///
/// Only the reason is checked here. That `by` may break the glass at all is
/// the caller's check, made before building this value:
/// `access::permit(principal, Action::BreakGlass, resource)`, which only the
/// admin role passes. It lifts a freeze for a hotfix train only; approvals,
/// the wait timer, gates and soak still apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakGlass {
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BreakGlassError {
    #[error("breaking the glass needs a reason; it is kept in the audit trail")]
    ReasonRequired,
}

impl BreakGlass {
    pub fn new(by: &str, reason: &str) -> Result<Self, BreakGlassError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(BreakGlassError::ReasonRequired);
        }
        Ok(Self {
            by: by.to_owned(),
            reason: reason.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + h * 3600, 0).unwrap()
    }

    fn track(name: &str) -> TrackName {
        TrackName::parse(name).unwrap()
    }

    #[test]
    fn a_freeze_holds_from_its_start_until_just_before_its_end_on_its_tracks() {
        let f = ActiveFreeze {
            reason: "chain re-roll".into(),
            starts_at: at(0),
            until: at(2),
            tracks: Some(vec![track("staging")]),
        };
        let staging = track("staging");
        assert!(!f.holds_for(Some(&staging), at(-1)));
        assert!(f.holds_for(Some(&staging), at(0)));
        assert!(f.holds_for(Some(&staging), at(1)));
        assert!(!f.holds_for(Some(&staging), at(2)));
        assert!(!f.holds_for(Some(&track("dev")), at(1)));
        assert!(
            !f.holds_for(None, at(1)),
            "a train on no track is held only by a freeze of every track"
        );
        let everywhere = ActiveFreeze { tracks: None, ..f };
        assert!(everywhere.holds_for(Some(&track("dev")), at(1)));
        assert!(everywhere.holds_for(None, at(1)));
    }

    #[test]
    fn breaking_the_glass_needs_a_reason() {
        assert_eq!(
            BreakGlass::new("ada", "  ").unwrap_err().to_string(),
            "breaking the glass needs a reason; it is kept in the audit trail"
        );
        assert_eq!(BreakGlass::new("ada", " sev1 ").unwrap().reason, "sev1");
    }
}
