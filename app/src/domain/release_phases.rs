//! Seed 000's five phases of a train, read off its state machine: code
//! freeze & branch cut (leaving planning), stabilisation (validating),
//! release candidate (staging), GA & evidence (executing, verifying) and
//! post-GA hardening (completed).

use super::train_state::Lifecycle;
use super::TrainState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseStatus {
    Done,
    Current,
    Upcoming,
    /// Where the train failed or was rolled back.
    Stopped,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseView {
    pub name: String,
    pub status: PhaseStatus,
    /// When the train entered the phase (from its timeline), or, for the
    /// freeze still ahead, when it is planned.
    pub at: Option<DateTime<Utc>>,
    pub planned: bool,
}

pub const PHASES: [&str; 5] = [
    "Code freeze & branch cut",
    "Stabilisation",
    "Release candidate",
    "GA & evidence",
    "Post-GA hardening",
];

/// The phase a state belongs to; planning precedes all of them.
fn phase_of(state: TrainState) -> Option<usize> {
    match state {
        TrainState::Planning => None,
        TrainState::Validating => Some(1),
        TrainState::Staging => Some(2),
        TrainState::Executing | TrainState::Verifying => Some(3),
        TrainState::Completed => Some(4),
        TrainState::Failed | TrainState::RolledBack | TrainState::Paused => None,
    }
}

/// A transition from the timeline: when, from which state, to which.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: DateTime<Utc>,
    pub from: TrainState,
    pub to: TrainState,
}

/// The phases with their status; `steps` in time order; `freeze_at` is the
/// planned freeze of a calendar train.
pub fn release_phases(
    lifecycle: Lifecycle,
    steps: &[Step],
    freeze_at: Option<DateTime<Utc>>,
) -> Vec<PhaseView> {
    let stopped = matches!(lifecycle.state, TrainState::Failed | TrainState::RolledBack);
    // Where the train is, or was when it paused, failed or rolled back: the
    // furthest phase its timeline reached.
    let reached = phase_of(lifecycle.paused_from.unwrap_or(lifecycle.state))
        .or_else(|| steps.iter().filter_map(|s| phase_of(s.to)).max());
    let entered = |phase: usize| -> Option<DateTime<Utc>> {
        if phase == 0 {
            return steps
                .iter()
                .find(|s| s.from == TrainState::Planning)
                .map(|s| s.at);
        }
        steps
            .iter()
            .find(|s| phase_of(s.to) == Some(phase))
            .map(|s| s.at)
    };
    PHASES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let status = match reached {
                // The freeze is the moment the train leaves planning.
                Some(r) if i == 0 && r >= 1 => PhaseStatus::Done,
                Some(r) if i < r => PhaseStatus::Done,
                Some(r) if i == r && stopped => PhaseStatus::Stopped,
                Some(r) if i == r => PhaseStatus::Current,
                _ => PhaseStatus::Upcoming,
            };
            let at = entered(i);
            let planned = at.is_none() && i == 0 && freeze_at.is_some();
            PhaseView {
                name: (*name).to_owned(),
                status,
                at: at.or(if planned { freeze_at } else { None }),
                planned,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap()
    }

    fn step(minutes: i64, from: TrainState, to: TrainState) -> Step {
        Step {
            at: t0() + Duration::minutes(minutes),
            from,
            to,
        }
    }

    fn statuses(phases: &[PhaseView]) -> Vec<PhaseStatus> {
        phases.iter().map(|p| p.status).collect()
    }

    use PhaseStatus::*;
    use TrainState::*;

    #[test]
    fn a_planned_train_shows_every_phase_ahead_with_its_planned_freeze() {
        let phases = release_phases(Lifecycle::NEW, &[], Some(t0()));
        assert_eq!(statuses(&phases), [Upcoming; 5]);
        assert_eq!(phases[0].at, Some(t0()));
        assert!(phases[0].planned);
    }

    #[test]
    fn a_train_in_staging_has_frozen_and_stabilised_and_is_a_release_candidate() {
        let steps = [step(0, Planning, Validating), step(30, Validating, Staging)];
        let lifecycle = Lifecycle {
            state: Staging,
            paused_from: None,
        };
        let phases = release_phases(lifecycle, &steps, None);
        assert_eq!(statuses(&phases), [Done, Done, Current, Upcoming, Upcoming]);
        assert_eq!(phases[0].at, Some(t0()));
        assert_eq!(phases[1].at, Some(t0()));
        assert_eq!(phases[2].at, Some(t0() + Duration::minutes(30)));
    }

    #[test]
    fn a_paused_train_stays_in_the_phase_it_paused_in() {
        let steps = [step(0, Planning, Validating), step(5, Validating, Paused)];
        let lifecycle = Lifecycle {
            state: Paused,
            paused_from: Some(Validating),
        };
        assert_eq!(
            statuses(&release_phases(lifecycle, &steps, None)),
            [Done, Current, Upcoming, Upcoming, Upcoming]
        );
    }

    #[test]
    fn a_rolled_back_train_marks_where_it_stopped() {
        let steps = [
            step(0, Planning, Validating),
            step(1, Validating, Staging),
            step(2, Staging, Executing),
            step(3, Executing, RolledBack),
        ];
        let lifecycle = Lifecycle {
            state: RolledBack,
            paused_from: None,
        };
        assert_eq!(
            statuses(&release_phases(lifecycle, &steps, None)),
            [Done, Done, Done, Stopped, Upcoming]
        );
    }

    #[test]
    fn a_completed_train_is_in_post_ga_hardening() {
        let steps = [
            step(0, Planning, Validating),
            step(1, Validating, Staging),
            step(2, Staging, Executing),
            step(3, Executing, Verifying),
            step(4, Verifying, Completed),
        ];
        let lifecycle = Lifecycle {
            state: Completed,
            paused_from: None,
        };
        let phases = release_phases(lifecycle, &steps, None);
        assert_eq!(statuses(&phases), [Done, Done, Done, Done, Current]);
        assert_eq!(phases[3].at, Some(t0() + Duration::minutes(2)));
    }
}
