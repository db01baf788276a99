//! The checks of a new train's input, made before anything is written.

use crate::domain::gates::evaluate::check_expression;
use crate::domain::gates::spec::GateSpec;
use crate::domain::gates::{GateDefinition, GateRule};
use crate::domain::requirement::{Requirement, RequirementKind};
use crate::domain::text::{PERSON, VERSION};
use crate::domain::{TrackName, TrainTag};
use crate::error::{optional_text_field, AppError};
use crate::models::train::{NewTrain, ParticipantInput, RequirementInput};
use crate::services::trains::{bad, parse_train_name, unprocessable};
use std::collections::HashSet;

/// The input with its free text parsed: trimmed, a blank value absent,
/// anything else refused naming its field.
pub(super) fn clean_text(mut input: NewTrain) -> Result<NewTrain, AppError> {
    input.captain = optional_text_field("captain", PERSON, input.captain.as_deref())?;
    input.on_call = optional_text_field("on_call", PERSON, input.on_call.as_deref())?;
    input.target_version =
        optional_text_field("target_version", VERSION, input.target_version.as_deref())?;
    for (i, participant) in input.participants.iter_mut().enumerate() {
        if let ParticipantInput::Detailed {
            target_version,
            previous_version,
            ..
        } = participant
        {
            for (name, version) in [
                ("target_version", target_version),
                ("previous_version", previous_version),
            ] {
                let field = format!("participants[{i}].{name}");
                *version = optional_text_field(&field, VERSION, version.as_deref())?;
            }
        }
    }
    Ok(input)
}

/// Validated input: everything is checked before anything is written.
pub(super) struct Parsed {
    pub(super) participants: Vec<ParticipantInput>,
    pub(super) requirements: Vec<Requirement>,
    /// `None`: the policy's quality gates.
    pub(super) gates: Option<Vec<(GateDefinition, GateSpec)>>,
    pub(super) slot: Option<(TrackName, TrainTag)>,
}

pub(super) fn parse(input: &NewTrain) -> Result<Parsed, AppError> {
    parse_train_name(&input.name)?;
    let mut seen = HashSet::new();
    for (i, p) in input.participants.iter().enumerate() {
        if !seen.insert(p.service()) {
            return Err(unprocessable(
                format!("participants[{i}]"),
                format!("{} is listed twice", p.service()),
            ));
        }
    }
    let requirements = input
        .dependencies
        .iter()
        .enumerate()
        .map(|(i, d)| parse_requirement(i, d))
        .collect::<Result<Vec<_>, _>>()?;
    let gates = input.gates.as_deref().map(parse_gates).transpose()?;
    let slot = match (&input.track, &input.tag) {
        (None, None) => None,
        (Some(track), Some(tag)) => Some((
            TrackName::parse(track).map_err(|e| bad("track", e))?,
            TrainTag::parse(tag).map_err(|e| bad("tag", e))?,
        )),
        (Some(_), None) => return Err(bad("tag", "a train on a track needs its tag")),
        (None, Some(_)) => return Err(bad("track", "a tagged train needs its track")),
    };
    Ok(Parsed {
        participants: input.participants.clone(),
        requirements,
        gates,
        slot,
    })
}

fn parse_requirement(i: usize, d: &RequirementInput) -> Result<Requirement, AppError> {
    let field = format!("dependencies[{i}]");
    let (kind, name) = match (&d.spec, &d.library) {
        (Some(n), None) => (RequirementKind::Spec, n),
        (None, Some(n)) => (RequirementKind::Library, n),
        _ => return Err(bad(field, "give exactly one of spec or library")),
    };
    let text = format!("{} {}", name.trim(), d.version.as_deref().unwrap_or("*"));
    Requirement::parse(kind, &text).map_err(|e| bad(field, e))
}

/// A train's gates, each checked (its CEL expression too) and named once;
/// a problem names `gates[i]`.
pub(crate) fn parse_gates(specs: &[GateSpec]) -> Result<Vec<(GateDefinition, GateSpec)>, AppError> {
    let mut names = HashSet::new();
    let mut gates = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let gate = spec
            .to_definition()
            .map_err(|e| unprocessable(format!("gates[{i}]"), e))?;
        if let GateRule::Expression { source } = &gate.rule {
            check_expression(source).map_err(|e| unprocessable(format!("gates[{i}]"), e))?;
        }
        if !names.insert(gate.name.clone()) {
            return Err(unprocessable(
                format!("gates[{i}]"),
                format!("gate {:?} is defined twice", gate.name),
            ));
        }
        gates.push((gate, spec.clone()));
    }
    Ok(gates)
}
