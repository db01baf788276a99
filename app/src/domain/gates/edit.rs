//! Who may replace a train's gates, and when (seed 002's gates are agreed
//! in planning; changing them once the train runs is an admin's call, with
//! a reason the audit trail keeps).

use super::spec::{GateOptions, GateSpec};
use super::{GateDefinition, GateRule};
use crate::domain::access::Action;
use crate::domain::TrainState;

/// What replacing the gates of a train in some state takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GateEdit {
    pub action: Action,
    pub reason_required: bool,
}

/// Captains while the train is in planning; admins with a reason after.
pub fn gate_edit(state: TrainState) -> GateEdit {
    match state {
        TrainState::Planning => GateEdit {
            action: Action::ManageTrains,
            reason_required: false,
        },
        _ => GateEdit {
            action: Action::ManageGates,
            reason_required: true,
        },
    }
}

/// A gate as a spec that defines it again: what a form shows to edit.
/// Shorthands come back in their full form (`quality`, `quality_score >= 80`).
pub fn spec_of(gate: &GateDefinition) -> GateSpec {
    let options = GateOptions {
        advisory: !gate.blocking,
        stages: Some(gate.stages.clone()),
        applies_to: gate.applies_to.clone(),
        ..GateOptions::default()
    };
    match &gate.rule {
        GateRule::Threshold {
            metric,
            comparison,
            limit,
        } => GateSpec::Threshold {
            name: gate.name.clone(),
            metric: metric.clone(),
            comparison: *comparison,
            limit: *limit,
            options,
        },
        GateRule::Check { context } => GateSpec::Check {
            check: context.clone(),
            options,
        },
        GateRule::Expression { source } => GateSpec::Custom {
            custom: source.clone(),
            name: Some(gate.name.clone()),
            options,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_spec_of_a_definition_defines_it_again() {
        for gate in crate::domain::gates::standard_gates() {
            assert_eq!(spec_of(&gate).to_definition().unwrap(), gate);
        }
        let check = GateSpec::Check {
            check: "e2e-tests".into(),
            options: GateOptions {
                advisory: true,
                ..GateOptions::default()
            },
        }
        .to_definition()
        .unwrap();
        assert_eq!(spec_of(&check).to_definition().unwrap(), check);
    }

    #[test]
    fn captains_edit_in_planning_and_admins_with_a_reason_after() {
        assert_eq!(gate_edit(TrainState::Planning).action, Action::ManageTrains);
        assert!(!gate_edit(TrainState::Planning).reason_required);
        for state in TrainState::ALL
            .into_iter()
            .filter(|s| *s != TrainState::Planning)
        {
            let rule = gate_edit(state);
            assert_eq!(rule.action, Action::ManageGates, "{state}");
            assert!(rule.reason_required, "{state}");
        }
    }
}
