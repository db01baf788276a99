//! Freeze / quiet windows: chain ops asks for a lull (seed 003's "Coordinated
//! chain ops"), and trains that fall inside it are either blocked or pushed to
//! the end of the window.

use super::{CalendarError, PlannedTrain};
use crate::domain::{CalendarStatus, TrackName};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a freeze does to a train planned inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FreezeEffect {
    /// The train does not run: it is skipped with the window's reason.
    Block,
    /// The train runs when the window ends.
    Move,
}

/// A window covering `[starts_at, ends_at)`.
///
/// Deserialising goes through [`FreezeWindow::new`], so a stored window is
/// held to the same rules as a freshly entered one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawFreezeWindow")]
pub struct FreezeWindow {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
    /// `None` freezes every track.
    pub tracks: Option<Vec<TrackName>>,
    pub effect: FreezeEffect,
}

#[derive(Deserialize)]
struct RawFreezeWindow {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    reason: String,
    tracks: Option<Vec<TrackName>>,
    effect: FreezeEffect,
}

impl TryFrom<RawFreezeWindow> for FreezeWindow {
    type Error = CalendarError;
    fn try_from(raw: RawFreezeWindow) -> Result<Self, Self::Error> {
        Self::new(
            raw.starts_at,
            raw.ends_at,
            raw.reason,
            raw.tracks,
            raw.effect,
        )
    }
}

impl FreezeWindow {
    pub fn new(
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        reason: impl Into<String>,
        tracks: Option<Vec<TrackName>>,
        effect: FreezeEffect,
    ) -> Result<Self, CalendarError> {
        if ends_at <= starts_at {
            return Err(CalendarError::EmptyFreeze { starts_at, ends_at });
        }
        let reason = reason.into().trim().to_owned();
        // A blocked train shows this reason; without one nobody can tell why it did not run.
        if reason.is_empty() {
            return Err(CalendarError::FreezeWithoutReason { starts_at });
        }
        // `Some(empty)` would read as "some tracks" while freezing none of them.
        if tracks.as_ref().is_some_and(Vec::is_empty) {
            return Err(CalendarError::FreezeWithoutTracks { reason });
        }
        Ok(Self {
            starts_at,
            ends_at,
            reason,
            tracks,
            effect,
        })
    }

    pub fn affects(&self, track: &TrackName) -> bool {
        self.tracks.as_ref().is_none_or(|t| t.contains(track))
    }

    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.starts_at <= at && at < self.ends_at
    }

    fn until(&self) -> String {
        self.ends_at.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// The train as the windows leave it. Only `Open` trains are touched: a cut or
/// finished train has already happened, and a skipped one stays skipped.
pub fn apply_freezes(train: &PlannedTrain, windows: &[FreezeWindow]) -> PlannedTrain {
    let mut out = train.clone();
    if !out.status.is_ahead() {
        return out;
    }
    let mut notes = Vec::new();
    // Every move goes strictly past the end of the window that caused it, so
    // each window applies at most once; the bound makes that explicit.
    for _ in 0..=windows.len() {
        let Some(window) = windows
            .iter()
            .find(|w| w.affects(&out.track) && w.covers(out.at))
        else {
            break;
        };
        match window.effect {
            FreezeEffect::Block => {
                out.status = CalendarStatus::Skipped;
                notes.push(format!(
                    "freeze: {} (until {})",
                    window.reason,
                    window.until()
                ));
                break;
            }
            FreezeEffect::Move => {
                out.moved_from = out.moved_from.or(Some(out.at));
                out.at = window.ends_at;
                notes.push(format!(
                    "freeze: {} (moved to {})",
                    window.reason,
                    window.until()
                ));
            }
        }
    }
    if !notes.is_empty() {
        out.reason = Some(notes.join("; "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap()
    }

    fn track(name: &str) -> TrackName {
        TrackName::parse(name).unwrap()
    }

    fn window(
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tracks: &[&str],
        effect: FreezeEffect,
    ) -> FreezeWindow {
        let tracks = (!tracks.is_empty()).then(|| tracks.iter().map(|t| track(t)).collect());
        FreezeWindow::new(from, to, "validator re-roll", tracks, effect).unwrap()
    }

    #[test]
    fn a_blocking_window_skips_the_train_with_its_reason_and_end() {
        let train = PlannedTrain::open(track("dev"), at(12, 1, 14));
        let w = window(at(11, 30, 0), at(12, 3, 9), &[], FreezeEffect::Block);
        let out = apply_freezes(&train, &[w]);
        assert_eq!(out.status, CalendarStatus::Skipped);
        assert_eq!(out.at, train.at);
        assert_eq!(
            out.reason.as_deref(),
            Some("freeze: validator re-roll (until 2026-12-03 09:00 UTC)")
        );
    }

    #[test]
    fn a_moving_window_pushes_the_train_to_its_end_and_remembers_the_original_time() {
        let train = PlannedTrain::open(track("dev"), at(12, 1, 14));
        let w = window(at(12, 1, 0), at(12, 2, 10), &[], FreezeEffect::Move);
        let out = apply_freezes(&train, &[w]);
        assert_eq!(
            (out.status, out.at, out.moved_from),
            (CalendarStatus::Open, at(12, 2, 10), Some(at(12, 1, 14)))
        );
        assert!(out.reason.unwrap().starts_with("freeze: validator re-roll"));
    }

    #[test]
    fn a_window_ends_before_its_end_time_and_starts_at_its_start_time() {
        let w = window(at(12, 1, 14), at(12, 2, 14), &[], FreezeEffect::Block);
        let blocked = apply_freezes(
            &PlannedTrain::open(track("dev"), at(12, 1, 14)),
            std::slice::from_ref(&w),
        );
        let free = apply_freezes(&PlannedTrain::open(track("dev"), at(12, 2, 14)), &[w]);
        assert_eq!(
            (blocked.status, free.status),
            (CalendarStatus::Skipped, CalendarStatus::Open)
        );
    }

    #[test]
    fn a_window_for_staging_does_not_touch_dev() {
        let w = window(
            at(12, 1, 0),
            at(12, 3, 0),
            &["staging"],
            FreezeEffect::Block,
        );
        let dev = PlannedTrain::open(track("dev"), at(12, 1, 14));
        assert_eq!(apply_freezes(&dev, std::slice::from_ref(&w)), dev);
        let staging = PlannedTrain::open(track("staging"), at(12, 2, 14));
        assert_eq!(
            apply_freezes(&staging, &[w]).status,
            CalendarStatus::Skipped
        );
    }

    #[test]
    fn trains_already_cut_are_left_alone() {
        let mut train = PlannedTrain::open(track("dev"), at(12, 1, 14));
        train.status = CalendarStatus::Cut;
        let w = window(at(12, 1, 0), at(12, 3, 0), &[], FreezeEffect::Block);
        assert_eq!(apply_freezes(&train, &[w]), train);
    }

    #[test]
    fn chained_windows_move_the_train_past_all_of_them_or_into_a_block() {
        let train = PlannedTrain::open(track("dev"), at(12, 1, 14));
        let first = window(at(12, 1, 0), at(12, 2, 0), &[], FreezeEffect::Move);
        let second = window(at(12, 1, 12), at(12, 4, 0), &[], FreezeEffect::Move);
        let out = apply_freezes(&train, &[first.clone(), second]);
        assert_eq!(
            (out.at, out.moved_from),
            (at(12, 4, 0), Some(at(12, 1, 14)))
        );
        assert_eq!(out.reason.unwrap().matches("freeze:").count(), 2);

        let block = window(at(12, 2, 0), at(12, 5, 0), &[], FreezeEffect::Block);
        let out = apply_freezes(&train, &[first, block]);
        assert_eq!(
            (out.status, out.moved_from),
            (CalendarStatus::Skipped, Some(at(12, 1, 14)))
        );
    }

    #[test]
    fn an_inverted_or_empty_window_is_refused_naming_both_times() {
        let err = FreezeWindow::new(at(12, 3, 0), at(12, 1, 0), "x", None, FreezeEffect::Block)
            .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("2026-12-03 00:00:00 UTC") && msg.contains("2026-12-01 00:00:00 UTC"),
            "{msg}"
        );
        assert!(
            FreezeWindow::new(at(12, 1, 0), at(12, 1, 0), "x", None, FreezeEffect::Move).is_err()
        );
        assert!(
            FreezeWindow::new(at(12, 1, 0), at(12, 2, 0), "  ", None, FreezeEffect::Move).is_err()
        );
        assert!(FreezeWindow::new(
            at(12, 1, 0),
            at(12, 2, 0),
            "x",
            Some(vec![]),
            FreezeEffect::Move
        )
        .is_err());
    }

    proptest! {
        #[test]
        fn overlapping_moving_windows_always_terminate_outside_every_window(
            spans in proptest::collection::vec((0i64..200, 1i64..100), 1..12),
            start in 0i64..200,
        ) {
            let base = at(12, 1, 0);
            let windows: Vec<_> = spans
                .iter()
                .map(|(s, len)| {
                    let from = base + chrono::TimeDelta::hours(*s);
                    window(from, from + chrono::TimeDelta::hours(*len), &[], FreezeEffect::Move)
                })
                .collect();
            let train = PlannedTrain::open(track("dev"), base + chrono::TimeDelta::hours(start));
            let out = apply_freezes(&train, &windows);
            prop_assert!(windows.iter().all(|w| !w.covers(out.at)));
            prop_assert!(out.at >= train.at);
        }
    }
}
