//! The new-train form as a person fills it in, read into the same
//! [`NewTrain`] seed 002's `POST /api/v1/release-trains` takes: one
//! participant per line (`curve 2.1.0 2.0.3`: service, target, previous)
//! and one dependency per line (`spec curves-api >=2.0.0`).

use super::train::{NewTrain, ParticipantInput, RequirementInput};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// The form's fields, as submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTrainForm {
    pub name: String,
    pub track: String,
    pub tag: String,
    pub target_version: String,
    pub participants: String,
    pub dependencies: String,
    /// `YYYY-MM-DDTHH:MM` in UTC, as a datetime-local input sends it.
    pub planned_start: String,
    pub captain: String,
    pub on_call: String,
}

/// A field the form cannot read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormProblem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> FormProblem {
    FormProblem {
        field,
        message: message.into(),
    }
}

fn optional(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|s| !s.is_empty())
}

fn participants(text: &str) -> Result<Vec<ParticipantInput>, FormProblem> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let participant = match words.as_slice() {
            [] => continue,
            [service] => ParticipantInput::Name((*service).to_owned()),
            [service, target] => ParticipantInput::Detailed {
                service: (*service).to_owned(),
                target_version: Some((*target).to_owned()),
                previous_version: None,
            },
            [service, target, previous] => ParticipantInput::Detailed {
                service: (*service).to_owned(),
                target_version: Some((*target).to_owned()),
                previous_version: Some((*previous).to_owned()),
            },
            _ => {
                return Err(problem(
                    "participants",
                    format!(
                        "line {}: write a service, then its target and previous versions \
                         (curve 2.1.0 2.0.3)",
                        i + 1
                    ),
                ))
            }
        };
        out.push(participant);
    }
    Ok(out)
}

fn dependencies(text: &str) -> Result<Vec<RequirementInput>, FormProblem> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (kind, name, version) = match words.as_slice() {
            [] => continue,
            [kind, name] => (*kind, *name, None),
            [kind, name, version] => (*kind, *name, Some((*version).to_owned())),
            _ => ("", "", None),
        };
        let name = Some(name.to_owned());
        let requirement = match kind {
            "spec" => RequirementInput {
                spec: name,
                library: None,
                version,
            },
            "library" => RequirementInput {
                spec: None,
                library: name,
                version,
            },
            _ => {
                return Err(problem(
                    "dependencies",
                    format!(
                        "line {}: write spec or library, its name and a version range \
                         (spec curves-api >=2.0.0)",
                        i + 1
                    ),
                ))
            }
        };
        out.push(requirement);
    }
    Ok(out)
}

fn planned_start(raw: &str) -> Result<Option<DateTime<Utc>>, FormProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .map(|t| Some(t.and_utc()))
        .ok_or_else(|| {
            problem(
                "planned_start",
                format!("{raw:?} is not a date and time (2026-12-08T14:00, UTC)"),
            )
        })
}

impl NewTrainForm {
    /// The body `POST /api/v1/release-trains` would take; the service
    /// checks the rest (names, versions, tracks) the same way for both.
    /// Gates are left to the track's template or the default quality gates.
    pub fn to_new_train(&self) -> Result<NewTrain, FormProblem> {
        Ok(NewTrain {
            name: self.name.trim().to_owned(),
            target_version: optional(&self.target_version),
            participants: participants(&self.participants)?,
            dependencies: dependencies(&self.dependencies)?,
            gates: None,
            captain: optional(&self.captain),
            track: optional(&self.track),
            tag: optional(&self.tag),
            planned_start: planned_start(&self.planned_start)?,
            on_call: optional(&self.on_call),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> NewTrainForm {
        NewTrainForm {
            name: "Q3-pricing-upgrade".into(),
            target_version: "3.0.0".into(),
            participants: "curve 2.1.0 2.0.3\n\nscenario 3.0.0\nbacktesting\n".into(),
            dependencies: "spec curves-api >=2.0.0\nlibrary pandas ==2.2.3\n".into(),
            planned_start: "2026-12-08T14:00".into(),
            captain: " carl ".into(),
            ..NewTrainForm::default()
        }
    }

    #[test]
    fn the_form_reads_as_seed_002s_create_body() {
        let train = form().to_new_train().unwrap();
        assert_eq!(train.participants.len(), 3);
        assert_eq!(
            train.participants[0],
            ParticipantInput::Detailed {
                service: "curve".into(),
                target_version: Some("2.1.0".into()),
                previous_version: Some("2.0.3".into()),
            }
        );
        assert_eq!(
            train.participants[2],
            ParticipantInput::Name("backtesting".into())
        );
        assert_eq!(train.dependencies[0].spec.as_deref(), Some("curves-api"));
        assert_eq!(train.dependencies[1].library.as_deref(), Some("pandas"));
        assert_eq!(train.captain.as_deref(), Some("carl"));
        assert_eq!((train.track, train.gates, train.tag), (None, None, None));
        assert_eq!(
            train.planned_start.unwrap().to_rfc3339(),
            "2026-12-08T14:00:00+00:00"
        );
    }

    #[test]
    fn a_line_it_cannot_read_names_its_field_and_line() {
        let bad = NewTrainForm {
            participants: "curve\ncurve 1 2 3".into(),
            ..form()
        };
        let p = bad.to_new_train().unwrap_err();
        assert_eq!(p.field, "participants");
        assert!(p.message.starts_with("line 2:"), "{}", p.message);
        let bad = NewTrainForm {
            dependencies: "crate serde 1".into(),
            ..form()
        };
        assert_eq!(bad.to_new_train().unwrap_err().field, "dependencies");
        let bad = NewTrainForm {
            planned_start: "next tuesday".into(),
            ..form()
        };
        assert_eq!(bad.to_new_train().unwrap_err().field, "planned_start");
    }
}
