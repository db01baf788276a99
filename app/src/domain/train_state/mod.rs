//! The train state machine of seed 002: an explicit table of allowed
//! transitions, each with its guard, and an event for the timeline.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrainState {
    Planning,
    Validating,
    Staging,
    Executing,
    Verifying,
    Completed,
    Failed,
    RolledBack,
    Paused,
}

impl TrainState {
    pub const ALL: [TrainState; 9] = [
        Self::Planning,
        Self::Validating,
        Self::Staging,
        Self::Executing,
        Self::Verifying,
        Self::Completed,
        Self::Failed,
        Self::RolledBack,
        Self::Paused,
    ];

    /// The stored and API form (a CHECK constraint lists the same values).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planning => "planning",
            Self::Validating => "validating",
            Self::Staging => "staging",
            Self::Executing => "executing",
            Self::Verifying => "verifying",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::RolledBack => "rolled_back",
            Self::Paused => "paused",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, UnknownTrainState> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| UnknownTrainState(raw.to_owned()))
    }

    /// No transition leaves a terminal state.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::RolledBack)
    }

    /// A train not finished: still planned, or in flight. What it names (its
    /// services, its track) is still needed.
    pub fn is_unfinished(self) -> bool {
        self == Self::Planning || self.is_in_flight()
    }

    /// The stored names of the states `keep` accepts, for `state = ANY($1)`.
    pub fn names_where(keep: impl Fn(Self) -> bool) -> Vec<&'static str> {
        Self::ALL
            .into_iter()
            .filter(|s| keep(*s))
            .map(Self::as_str)
            .collect()
    }

    /// A train in flight: started and not finished.
    pub fn is_in_flight(self) -> bool {
        matches!(
            self,
            Self::Validating | Self::Staging | Self::Executing | Self::Verifying | Self::Paused
        )
    }
}

impl fmt::Display for TrainState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown train state {0:?}")]
pub struct UnknownTrainState(pub String);

/// What must hold for a transition (the facts are gathered by the service
/// layer; the rule lives here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    /// Always allowed.
    None,
    /// The train has at least one participant.
    HasParticipants,
    /// Every blocking gate evaluated at this stage passes.
    BlockingGatesPass,
    /// A reason must be given.
    ReasonRequired,
}

/// The allowed transitions (from, to, guard). Pausing is allowed from every
/// non-final state; resuming returns to the state the train paused from.
pub const TRANSITIONS: &[(TrainState, TrainState, Guard)] = {
    use Guard::*;
    use TrainState::*;
    &[
        (Planning, Validating, HasParticipants),
        (Validating, Planning, None),
        (Validating, Staging, BlockingGatesPass),
        (Validating, Failed, ReasonRequired),
        (Staging, Executing, BlockingGatesPass),
        (Staging, Failed, ReasonRequired),
        (Executing, Verifying, None),
        (Executing, Failed, ReasonRequired),
        (Executing, RolledBack, ReasonRequired),
        (Verifying, Completed, BlockingGatesPass),
        (Verifying, Failed, ReasonRequired),
        (Verifying, RolledBack, ReasonRequired),
        (Completed, RolledBack, ReasonRequired),
        (Failed, Validating, None),
        (Failed, RolledBack, ReasonRequired),
    ]
};

const PAUSABLE: [TrainState; 5] = [
    TrainState::Planning,
    TrainState::Validating,
    TrainState::Staging,
    TrainState::Executing,
    TrainState::Verifying,
];

/// A train's position in the state machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub state: TrainState,
    /// Set exactly when `state` is `Paused`.
    pub paused_from: Option<TrainState>,
}

/// The facts a guard looks at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub participants: usize,
    pub blocking_gates_pass: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a train cannot go from {from} to {to}")]
    Illegal { from: TrainState, to: TrainState },
    #[error("a paused train resumes to {paused_from}, the state it paused from, not to {to}")]
    WrongResume {
        paused_from: TrainState,
        to: TrainState,
    },
    #[error("{from} → {to} needs at least one participant")]
    NoParticipants { from: TrainState, to: TrainState },
    #[error("{from} → {to} needs every blocking gate to pass")]
    GatesBlocking { from: TrainState, to: TrainState },
    #[error("{from} → {to} needs a reason")]
    ReasonRequired { from: TrainState, to: TrainState },
}

/// One entry of a train's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionEvent {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub from: TrainState,
    pub to: TrainState,
    pub reason: Option<String>,
}

impl Lifecycle {
    pub const NEW: Lifecycle = Lifecycle {
        state: TrainState::Planning,
        paused_from: None,
    };

    /// Every state this lifecycle may move to, with the guard that applies.
    pub fn allowed(&self) -> Vec<(TrainState, Guard)> {
        if let Some(from) = self.paused_from {
            return vec![(from, Guard::None)];
        }
        let mut out: Vec<_> = TRANSITIONS
            .iter()
            .filter(|(f, _, _)| *f == self.state)
            .map(|(_, to, g)| (*to, *g))
            .collect();
        if PAUSABLE.contains(&self.state) {
            out.push((TrainState::Paused, Guard::None));
        }
        out
    }

    /// Moves to `to` if the table allows it and its guard holds.
    pub fn transition(
        &self,
        to: TrainState,
        facts: Facts,
        actor: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(Lifecycle, TransitionEvent), TransitionError> {
        let from = self.state;
        if let Some(paused_from) = self.paused_from {
            if to != paused_from {
                return Err(TransitionError::WrongResume { paused_from, to });
            }
        }
        let guard = self
            .allowed()
            .into_iter()
            .find(|(target, _)| *target == to)
            .map(|(_, g)| g)
            .ok_or(TransitionError::Illegal { from, to })?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        match guard {
            Guard::None => {}
            Guard::HasParticipants if facts.participants == 0 => {
                return Err(TransitionError::NoParticipants { from, to })
            }
            Guard::BlockingGatesPass if !facts.blocking_gates_pass => {
                return Err(TransitionError::GatesBlocking { from, to })
            }
            Guard::ReasonRequired if reason.is_none() => {
                return Err(TransitionError::ReasonRequired { from, to })
            }
            Guard::HasParticipants | Guard::BlockingGatesPass | Guard::ReasonRequired => {}
        }
        let next = if to == TrainState::Paused {
            Lifecycle {
                state: to,
                paused_from: Some(from),
            }
        } else {
            Lifecycle {
                state: to,
                paused_from: None,
            }
        };
        let event = TransitionEvent {
            at: now,
            actor: actor.to_owned(),
            from,
            to,
            reason: reason.map(str::to_owned),
        };
        Ok((next, event))
    }
}

#[cfg(test)]
mod tests;
