//! Where a participant and its service stand during a release: the
//! vocabularies of both, what counts as released, and the train's progress.

use super::gates::GateStage;
use super::train_state::Lifecycle;
use super::TrainState;
use std::fmt;

/// A participant's phase within its train (the `participant.status` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Pending,
    Deploying,
    Deployed,
    Verified,
    Failed,
    RolledBack,
}

impl Phase {
    const ALL: [Phase; 6] = [
        Self::Pending,
        Self::Deploying,
        Self::Deployed,
        Self::Verified,
        Self::Failed,
        Self::RolledBack,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Deploying => "deploying",
            Self::Deployed => "deployed",
            Self::Verified => "verified",
            Self::Failed => "failed",
            Self::RolledBack => "rolled_back",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    /// The service is out with the train's version.
    pub fn is_released(self) -> bool {
        matches!(self, Self::Deployed | Self::Verified)
    }
}

/// What a service reports about its deployment (`PUT /services/{name}/status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    Unknown,
    Deploying,
    Deployed,
    Failed,
    RolledBack,
}

impl ServiceState {
    pub const ALL: [ServiceState; 5] = [
        Self::Unknown,
        Self::Deploying,
        Self::Deployed,
        Self::Failed,
        Self::RolledBack,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Deploying => "deploying",
            Self::Deployed => "deployed",
            Self::Failed => "failed",
            Self::RolledBack => "rolled_back",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Unknown> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Unknown::new("status", raw, &Self::ALL.map(Self::as_str)))
    }

    /// The phase a participant of an executing train takes from its service.
    pub fn phase(self) -> Phase {
        match self {
            Self::Unknown => Phase::Pending,
            Self::Deploying => Phase::Deploying,
            Self::Deployed => Phase::Deployed,
            Self::Failed => Phase::Failed,
            Self::RolledBack => Phase::RolledBack,
        }
    }

    /// Starting or finishing a release must respect the dependency order.
    pub fn releases(self) -> bool {
        matches!(self, Self::Deploying | Self::Deployed)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    Unknown,
    Healthy,
    Degraded,
    Unhealthy,
}

impl Health {
    const ALL: [Health; 4] = [
        Self::Unknown,
        Self::Healthy,
        Self::Degraded,
        Self::Unhealthy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Healthy => "healthy",
            Self::Degraded => "degraded",
            Self::Unhealthy => "unhealthy",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Unknown> {
        Self::ALL
            .into_iter()
            .find(|h| h.as_str() == raw)
            .ok_or_else(|| Unknown::new("health_status", raw, &Self::ALL.map(Self::as_str)))
    }
}

/// A value outside a vocabulary; names the field and what it may be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {value:?} must be one of {allowed}")]
pub struct Unknown {
    pub field: &'static str,
    pub value: String,
    pub allowed: String,
}

impl Unknown {
    fn new(field: &'static str, value: &str, allowed: &[&str]) -> Self {
        Self {
            field,
            value: value.to_owned(),
            allowed: allowed.join(", "),
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Share of participants released, in percent to one decimal; a completed
/// train is done whatever its participants last reported.
pub fn progress(state: TrainState, phases: &[Phase]) -> f64 {
    if state == TrainState::Completed {
        return 100.0;
    }
    if phases.is_empty() {
        return 0.0;
    }
    let released = phases.iter().filter(|p| p.is_released()).count();
    (released as f64 * 1000.0 / phases.len() as f64).round() / 10.0
}

/// The gates evaluated while a train is in a state (a paused train keeps its stage).
pub fn stage_of(lifecycle: Lifecycle) -> GateStage {
    match lifecycle.paused_from.unwrap_or(lifecycle.state) {
        TrainState::Planning | TrainState::Validating => GateStage::Validation,
        TrainState::Staging | TrainState::Executing => GateStage::Execution,
        _ => GateStage::PostRelease,
    }
}

/// The gates a transition's guard checks: moving into a state needs the gates
/// of the stage being left to pass.
pub fn guard_stage(to: TrainState) -> Option<GateStage> {
    match to {
        TrainState::Staging => Some(GateStage::Validation),
        TrainState::Executing => Some(GateStage::Execution),
        TrainState::Completed => Some(GateStage::PostRelease),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_released_participants() {
        use Phase::*;
        assert_eq!(
            progress(TrainState::Executing, &[Deployed, Verified, Deploying]),
            66.7
        );
        assert_eq!(progress(TrainState::Executing, &[]), 0.0);
        assert_eq!(progress(TrainState::Completed, &[Pending]), 100.0);
    }

    #[test]
    fn services_map_onto_participant_phases_and_vocabularies_are_closed() {
        assert_eq!(
            ServiceState::parse("unknown").unwrap().phase(),
            Phase::Pending
        );
        assert!(ServiceState::parse("deployed").unwrap().releases());
        assert!(!ServiceState::parse("failed").unwrap().releases());
        assert_eq!(
            ServiceState::parse("sleeping").unwrap_err().to_string(),
            "status \"sleeping\" must be one of unknown, deploying, deployed, failed, rolled_back"
        );
        assert!(Health::parse("great")
            .unwrap_err()
            .to_string()
            .starts_with("health_status \"great\""));
        assert!(Phase::ALL
            .iter()
            .all(|p| Phase::parse(p.as_str()) == Some(*p)));
    }

    #[test]
    fn stages_follow_the_state_machine() {
        let paused = Lifecycle {
            state: TrainState::Paused,
            paused_from: Some(TrainState::Executing),
        };
        assert_eq!(stage_of(paused), GateStage::Execution);
        assert_eq!(stage_of(Lifecycle::NEW), GateStage::Validation);
        assert_eq!(
            guard_stage(TrainState::Executing),
            Some(GateStage::Execution)
        );
        assert_eq!(guard_stage(TrainState::Paused), None);
    }
}
