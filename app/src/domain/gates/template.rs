//! Gate templates: named sets of gate specs that admins edit. A track's
//! template is what a new train of it gets when it names no gates; seed
//! 001's required checks and seed 002's quality thresholds ship as presets
//! an admin adds, not as hidden defaults.

use super::spec::GateSpec;
use super::{GateDefinition, QualityLimits, SEED_CHECKS};
use crate::domain::service::{one_line_description, Invalid};
use serde::{Deserialize, Serialize};

/// A template as it arrives (a form, the API, a file), before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GateTemplateInput {
    /// Lower-case letters, digits and `-`, starting with a letter. Optional
    /// when changing one: its address names it.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The gates, as a train's `gates` are written.
    pub gates: Vec<GateSpec>,
}

/// A template, every gate parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct GateTemplateSpec {
    pub name: String,
    pub description: String,
    pub gates: Vec<(GateDefinition, GateSpec)>,
}

const MAX_NAME: usize = 64;
const MAX_GATES: usize = 100;

fn invalid(field: impl Into<String>, message: impl ToString) -> Invalid {
    Invalid::new(field, message)
}

/// Checks a template's name: what its address and a track's file hold.
pub fn parse_template_name(raw: &str) -> Result<String, Invalid> {
    let name = raw.trim();
    let starts = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let rest = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !starts || !rest || name.len() > MAX_NAME {
        return Err(invalid(
            "name",
            format!(
                "{name:?}: a template's name is up to {MAX_NAME} of a-z, 0-9 and '-', \
                 starting with a letter"
            ),
        ));
    }
    Ok(name.to_owned())
}

impl GateTemplateInput {
    pub fn parse(&self) -> Result<GateTemplateSpec, Invalid> {
        let name = parse_template_name(&self.name)?;
        let description = one_line_description(&self.description)?;
        if self.gates.is_empty() || self.gates.len() > MAX_GATES {
            return Err(invalid(
                "gates",
                format!("a template holds 1 to {MAX_GATES} gates"),
            ));
        }
        let mut gates: Vec<(GateDefinition, GateSpec)> = Vec::with_capacity(self.gates.len());
        for (i, spec) in self.gates.iter().enumerate() {
            let gate = spec
                .to_definition()
                .map_err(|e| invalid(format!("gates[{i}]"), e))?;
            if gates.iter().any(|(g, _)| g.name == gate.name) {
                return Err(invalid(
                    format!("gates[{i}]"),
                    format!("gate {} appears twice", gate.name),
                ));
            }
            gates.push((gate, spec.clone()));
        }
        Ok(GateTemplateSpec {
            name,
            description,
            gates,
        })
    }
}

/// The templates an admin may add with one click: seed 001's 17 required
/// checks, and seed 002's quality thresholds at the seed's limits.
pub fn presets() -> [GateTemplateInput; 2] {
    let limits = QualityLimits::default();
    let shorthand = |s: String| GateSpec::Shorthand(s);
    [
        GateTemplateInput {
            name: "seed-001-required-checks".into(),
            description: "Seed 001: the 17 status checks every release must pass".into(),
            gates: SEED_CHECKS
                .iter()
                .map(|c| GateSpec::Check {
                    check: (*c).to_owned(),
                    options: Default::default(),
                })
                .collect(),
        },
        GateTemplateInput {
            name: "seed-002-quality".into(),
            description: "Seed 002: quality, critical vulnerabilities, coverage, failure rate"
                .into(),
            gates: vec![
                shorthand(format!(
                    "all_participants_quality >={}",
                    limits.min_quality_score
                )),
                shorthand("no_open_critical_vulns".into()),
                shorthand(format!("min_coverage >={}", limits.min_coverage)),
                shorthand(format!("max_failure_rate <={}", limits.max_failure_rate)),
            ],
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_presets_parse_into_seed_001s_checks_and_seed_002s_thresholds() {
        let [checks, quality] = presets().map(|p| p.parse().unwrap());
        assert_eq!(checks.gates.len(), 17);
        assert_eq!(checks.gates[0].0.name, "build");
        let names: Vec<&str> = quality.gates.iter().map(|(g, _)| g.name.as_str()).collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(quality.gates.iter().all(|(g, _)| g.blocking));
    }

    #[test]
    fn each_problem_names_its_field() {
        let good = presets()[1].clone();
        let cases = [
            (
                GateTemplateInput {
                    name: "Quality".into(),
                    ..good.clone()
                },
                "name",
            ),
            (
                GateTemplateInput {
                    gates: vec![],
                    ..good.clone()
                },
                "gates",
            ),
            (
                GateTemplateInput {
                    gates: vec![GateSpec::Shorthand("fastest_wins".into())],
                    ..good.clone()
                },
                "gates[0]",
            ),
            (
                GateTemplateInput {
                    gates: vec![
                        GateSpec::Shorthand("no_open_critical_vulns".into()),
                        GateSpec::Shorthand("no_open_critical_vulns".into()),
                    ],
                    ..good.clone()
                },
                "gates[1]",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(input.parse().unwrap_err().field, field, "{input:?}");
        }
    }
}
