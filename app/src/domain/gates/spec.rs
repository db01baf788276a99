//! How gates are written in the API and in seed 002's YAML: the seed's named
//! shorthands (`all_participants_quality >=80`, `no_open_critical_vulns`),
//! `{check: unit-tests}`, `{custom: "performance_regression < 10%"}` (CEL), or
//! a full threshold.

use super::{Comparison, GateDefinition, GateRule, GateStage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum GateSpec {
    Shorthand(String),
    Check {
        check: String,
        #[serde(flatten)]
        options: GateOptions,
    },
    Custom {
        custom: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(flatten)]
        options: GateOptions,
    },
    Threshold {
        name: String,
        metric: String,
        comparison: Comparison,
        limit: f64,
        #[serde(flatten)]
        options: GateOptions,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GateOptions {
    /// Advisory gates warn and never block.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advisory: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<Vec<GateStage>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<Vec<String>>,
    /// Keys no gate takes (a typo such as `advisroy`): kept only to be
    /// refused by [`GateSpec::to_definition`], never silently dropped.
    #[serde(flatten, skip_serializing)]
    #[cfg_attr(feature = "ssr", schema(ignore))]
    pub unknown: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GateSpecError {
    #[error(
        "unknown gate {0:?}: use all_participants_quality >=N, no_open_critical_vulns, \
         min_coverage >=N, max_failure_rate <=N, all_services_healthy, \
         {{check: …}} or {{custom: …}}"
    )]
    Unknown(String),
    #[error("gate {text:?}: {what} must be a number")]
    Number { text: String, what: &'static str },
    #[error("gate {0:?} has an empty expression or check name")]
    Empty(String),
    #[error(
        "a gate takes check, custom, name, metric, comparison, limit, advisory, stages \
         and applies_to; {0:?} is none of them"
    )]
    UnknownKey(String),
}

const DEFAULT_STAGES: [GateStage; 2] = [GateStage::Validation, GateStage::Execution];

impl GateSpec {
    pub fn to_definition(&self) -> Result<GateDefinition, GateSpecError> {
        let define = |name: String, rule: GateRule, options: &GateOptions| GateDefinition {
            name,
            rule,
            blocking: !options.advisory,
            stages: options
                .stages
                .clone()
                .unwrap_or_else(|| DEFAULT_STAGES.to_vec()),
            applies_to: options.applies_to.clone(),
        };
        let options = match self {
            Self::Shorthand(_) => None,
            Self::Check { options, .. }
            | Self::Custom { options, .. }
            | Self::Threshold { options, .. } => Some(options),
        };
        if let Some(key) = options.and_then(|o| o.unknown.keys().next()) {
            return Err(GateSpecError::UnknownKey(key.clone()));
        }
        match self {
            Self::Shorthand(text) => {
                shorthand(text).map(|(name, rule)| define(name, rule, &GateOptions::default()))
            }
            Self::Check { check, options } => {
                let check = check.trim();
                if check.is_empty() {
                    return Err(GateSpecError::Empty(check.to_owned()));
                }
                Ok(define(
                    check.to_owned(),
                    GateRule::Check {
                        context: check.to_owned(),
                    },
                    options,
                ))
            }
            Self::Custom {
                custom,
                name,
                options,
            } => {
                let source = percent_as_number(custom.trim());
                if source.is_empty() {
                    return Err(GateSpecError::Empty(custom.clone()));
                }
                let name = name.clone().unwrap_or_else(|| custom.trim().to_owned());
                Ok(define(name, GateRule::Expression { source }, options))
            }
            Self::Threshold {
                name,
                metric,
                comparison,
                limit,
                options,
            } => Ok(define(
                name.clone(),
                GateRule::Threshold {
                    metric: metric.clone(),
                    comparison: *comparison,
                    limit: *limit,
                },
                options,
            )),
        }
    }
}

fn shorthand(text: &str) -> Result<(String, GateRule), GateSpecError> {
    let text = text.trim();
    let threshold = |metric: &str, comparison, limit| GateRule::Threshold {
        metric: metric.to_owned(),
        comparison,
        limit,
    };
    let number = |rest: &str, what| {
        rest.trim()
            .parse::<f64>()
            .map_err(|_| GateSpecError::Number {
                text: text.to_owned(),
                what,
            })
    };
    let named = [
        (
            "all_participants_quality >=",
            "quality",
            "quality_score",
            Comparison::AtLeast,
        ),
        (
            "min_coverage >=",
            "coverage",
            "coverage",
            Comparison::AtLeast,
        ),
        (
            "max_failure_rate <=",
            "failure-rate",
            "failure_rate",
            Comparison::AtMost,
        ),
    ];
    for (prefix, name, metric, comparison) in named {
        if let Some(rest) = text.strip_prefix(prefix) {
            return Ok((
                name.to_owned(),
                threshold(metric, comparison, number(rest, "the limit")?),
            ));
        }
    }
    match text {
        "no_open_critical_vulns" => Ok((
            "critical-vulns".to_owned(),
            threshold("critical_vulns", Comparison::Equal, 0.0),
        )),
        "all_services_healthy" => Ok((
            "healthy".to_owned(),
            GateRule::Check {
                context: "healthy".to_owned(),
            },
        )),
        _ => Err(GateSpecError::Unknown(text.to_owned())),
    }
}

/// Seed 002 writes `performance_regression < 10%`; percentages are reported as
/// numbers of percent, so `10%` means `10`.
fn percent_as_number(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    let mut prev_digit = false;
    while let Some(c) = chars.next() {
        let ends_number =
            c == '%' && prev_digit && chars.peek().is_none_or(|n| !n.is_alphanumeric());
        if !ends_number {
            out.push(c);
        }
        prev_digit = c.is_ascii_digit();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: &str) -> Result<GateDefinition, GateSpecError> {
        serde_json::from_str::<GateSpec>(json)
            .expect("valid JSON")
            .to_definition()
    }

    #[test]
    fn the_seed_shorthands_become_thresholds_and_checks() {
        let q = spec(r#""all_participants_quality >=80""#).unwrap();
        assert_eq!(q.rule.to_string(), "quality_score >= 80");
        assert!(q.blocking);
        assert_eq!(
            spec(r#""no_open_critical_vulns""#)
                .unwrap()
                .rule
                .to_string(),
            "critical_vulns == 0"
        );
        assert_eq!(
            spec(r#""all_services_healthy""#).unwrap().rule,
            GateRule::Check {
                context: "healthy".into()
            }
        );
        assert!(matches!(
            spec(r#""all_participants_quality >=eighty""#),
            Err(GateSpecError::Number { .. })
        ));
        assert!(matches!(
            spec(r#""be_nice""#),
            Err(GateSpecError::Unknown(_))
        ));
    }

    #[test]
    fn custom_gates_are_cel_with_percentages_as_numbers() {
        let g = spec(r#"{"custom": "performance_regression < 10%", "advisory": true}"#).unwrap();
        assert_eq!(
            g.rule,
            GateRule::Expression {
                source: "performance_regression < 10".into()
            }
        );
        assert_eq!(g.name, "performance_regression < 10%");
        assert!(!g.blocking);
        assert_eq!(
            percent_as_number("a % 2 == 0 && b < 5%"),
            "a % 2 == 0 && b < 5"
        );
    }

    #[test]
    fn named_checks_and_full_thresholds_with_options() {
        let c = spec(r#"{"check": "unit-tests", "stages": ["validation"]}"#).unwrap();
        assert_eq!(
            c.rule,
            GateRule::Check {
                context: "unit-tests".into()
            }
        );
        assert_eq!(c.stages, [GateStage::Validation]);
        let t = spec(concat!(
            r#"{"name": "p95", "metric": "p95_ms", "comparison": "<=", "limit": 1500, "#,
            r#""applies_to": ["curve"]}"#
        ))
        .unwrap();
        assert_eq!(t.rule.to_string(), "p95_ms <= 1500");
        assert_eq!(t.applies_to, Some(vec!["curve".to_owned()]));
    }

    #[test]
    fn a_key_no_gate_takes_is_refused_by_name_not_dropped() {
        for json in [
            r#"{"check": "unit-tests", "advisroy": true}"#,
            r#"{"custom": "a > 1", "stage": ["validation"]}"#,
            r#"{"name": "p95", "metric": "p", "comparison": "<=", "limit": 1, "blocking": false}"#,
        ] {
            let refused = spec(json).unwrap_err();
            assert!(matches!(refused, GateSpecError::UnknownKey(_)), "{json}");
        }
        let refused = spec(r#"{"check": "unit-tests", "advisroy": true}"#).unwrap_err();
        assert!(refused.to_string().contains("\"advisroy\""), "{refused}");
    }
}
