//! Evaluates gate definitions against reported results. Custom expressions are
//! CEL, run by the `cel` crate.

use super::{
    Blocker, Cell, CellStatus, GateDefinition, GateMatrix, GateRule, GateStage, Observed, Report,
};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("gate expression {source_text:?} is not valid CEL: {reason}")]
pub struct ExpressionError {
    pub source_text: String,
    pub reason: String,
}

/// Checks that an expression compiles (used when gates are defined).
pub fn check_expression(source: &str) -> Result<(), ExpressionError> {
    cel::Program::compile(source)
        .map(|_| ())
        .map_err(|e| ExpressionError {
            source_text: source.to_owned(),
            reason: e.to_string(),
        })
}

/// The gate matrix at `stage`: the newest report per participant × key wins.
pub fn evaluate(
    gates: &[GateDefinition],
    participants: &[String],
    reports: &[Report],
    stage: GateStage,
) -> GateMatrix {
    let mut newest: HashMap<(&str, &str), &Report> = HashMap::new();
    for r in reports {
        let slot = newest
            .entry((r.participant.as_str(), r.key.as_str()))
            .or_insert(r);
        if r.reported_at > slot.reported_at {
            *slot = r;
        }
    }
    let programs: Vec<Option<Result<cel::Program, String>>> = gates
        .iter()
        .map(|g| match &g.rule {
            GateRule::Expression { source } => {
                Some(cel::Program::compile(source).map_err(|e| e.to_string()))
            }
            _ => None,
        })
        .collect();

    let mut cells = Vec::with_capacity(participants.len());
    let mut blockers = Vec::new();
    let mut warnings = Vec::new();
    for participant in participants {
        let own: HashMap<&str, &Report> = newest
            .iter()
            .filter(|((p, _), _)| *p == participant)
            .map(|((_, k), r)| (*k, *r))
            .collect();
        let row: Vec<Cell> = gates
            .iter()
            .zip(&programs)
            .map(|(gate, program)| {
                if !gate.applies(participant, stage) {
                    return cell(CellStatus::NotApplicable, None, None);
                }
                match (&gate.rule, program) {
                    (
                        GateRule::Threshold {
                            metric,
                            comparison,
                            limit,
                        },
                        _,
                    ) => match own.get(metric.as_str()) {
                        None => cell(
                            CellStatus::Pending,
                            None,
                            Some(format!("waiting for {metric}")),
                        ),
                        Some(r) => match r.value {
                            Observed::Number(n) if comparison.holds(n, *limit) => {
                                cell(CellStatus::Passed, Some(r), None)
                            }
                            Observed::Number(n) => cell(
                                CellStatus::Failed,
                                Some(r),
                                Some(format!(
                                    "{metric} is {n}, needs {} {limit}",
                                    comparison.symbol()
                                )),
                            ),
                            Observed::Pass(_) => cell(
                                CellStatus::Failed,
                                Some(r),
                                Some(format!("{metric} was reported as pass/fail, not a number")),
                            ),
                        },
                    },
                    (GateRule::Check { context }, _) => match own.get(context.as_str()) {
                        None => cell(
                            CellStatus::Pending,
                            None,
                            Some(format!("waiting for check {context}")),
                        ),
                        Some(r) if r.value == Observed::Pass(true) => {
                            cell(CellStatus::Passed, Some(r), None)
                        }
                        Some(r) => cell(
                            CellStatus::Failed,
                            Some(r),
                            Some(format!("check {context} is not green")),
                        ),
                    },
                    (GateRule::Expression { source }, Some(Ok(program))) => {
                        run_expression(source, program, &own)
                    }
                    (GateRule::Expression { source }, _) => cell(
                        CellStatus::Failed,
                        None,
                        Some(format!("expression {source:?} does not compile")),
                    ),
                }
            })
            .collect();
        for (gate, c) in gates.iter().zip(&row) {
            let failing = matches!(c.status, CellStatus::Failed | CellStatus::Pending);
            if failing {
                let b = Blocker {
                    participant: participant.clone(),
                    gate: gate.name.clone(),
                    status: c.status,
                    detail: c.detail.clone().unwrap_or_default(),
                };
                if gate.blocking {
                    blockers.push(b);
                } else if c.status == CellStatus::Failed {
                    warnings.push(b);
                }
            }
        }
        cells.push(row);
    }
    GateMatrix {
        stage,
        participants: participants.to_vec(),
        gates: gates.to_vec(),
        cells,
        blockers,
        warnings,
    }
}

fn cell(status: CellStatus, report: Option<&Report>, detail: Option<String>) -> Cell {
    Cell {
        status,
        observed: report.map(|r| r.value.to_string()),
        reported_at: report.map(|r| r.reported_at),
        url: report.and_then(|r| r.url.clone()),
        detail,
    }
}

fn run_expression(source: &str, program: &cel::Program, own: &HashMap<&str, &Report>) -> Cell {
    let references = program.references();
    let mut missing: Vec<&str> = references
        .variables()
        .into_iter()
        .filter(|v| !own.contains_key(v))
        .collect();
    if !missing.is_empty() {
        missing.sort_unstable();
        return cell(
            CellStatus::Pending,
            None,
            Some(format!("waiting for {}", missing.join(", "))),
        );
    }
    let mut context = cel::Context::default();
    let mut newest: Option<&Report> = None;
    for (key, report) in own {
        if !references.has_variable(key) {
            continue;
        }
        match report.value {
            Observed::Pass(b) => context.add_variable_from_value(*key, b),
            Observed::Number(n) => context.add_variable_from_value(*key, n),
        }
        if newest.is_none_or(|r| report.reported_at > r.reported_at) {
            newest = Some(report);
        }
    }
    let mut result = match program.execute(&context) {
        Ok(cel::Value::Bool(true)) => cell(CellStatus::Passed, newest, None),
        Ok(cel::Value::Bool(false)) => cell(
            CellStatus::Failed,
            newest,
            Some(format!("{source} is false")),
        ),
        Ok(other) => cell(
            CellStatus::Failed,
            newest,
            Some(format!("{source} gave {other:?}, not true or false")),
        ),
        Err(e) => cell(
            CellStatus::Failed,
            newest,
            Some(format!("{source} could not be evaluated: {e}")),
        ),
    };
    // The observed value of an expression is the expression's inputs.
    let mut inputs: Vec<String> = own
        .iter()
        .filter(|(k, _)| references.has_variable(k))
        .map(|(k, r)| format!("{k}={}", r.value))
        .collect();
    inputs.sort();
    result.observed = Some(inputs.join(", "));
    result
}

#[cfg(test)]
mod tests {
    use super::super::{standard_gates, Comparison};
    use super::*;
    use chrono::{DateTime, Duration, Utc};

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap()
    }

    fn report(participant: &str, key: &str, value: Observed, minutes: i64) -> Report {
        Report {
            participant: participant.into(),
            key: key.into(),
            value,
            reported_at: t0() + Duration::minutes(minutes),
            source: Some("ci".into()),
            url: Some(format!("https://ci.example/{participant}/{key}")),
        }
    }

    fn num(p: &str, k: &str, v: f64) -> Report {
        report(p, k, Observed::Number(v), 0)
    }

    fn custom(name: &str, source: &str, blocking: bool) -> GateDefinition {
        GateDefinition {
            name: name.into(),
            rule: GateRule::Expression {
                source: source.into(),
            },
            blocking,
            stages: vec![GateStage::Validation],
            applies_to: None,
        }
    }

    fn participants() -> Vec<String> {
        vec!["curve".into(), "backtesting".into()]
    }

    #[test]
    fn thresholds_pass_fail_and_wait_per_participant() {
        let reports = [
            num("curve", "quality_score", 91.0),
            num("curve", "critical_vulns", 0.0),
            num("curve", "coverage", 80.0),
            num("curve", "failure_rate", 5.0),
            num("backtesting", "quality_score", 72.0),
            num("backtesting", "critical_vulns", 1.0),
        ];
        let m = evaluate(
            &standard_gates(),
            &participants(),
            &reports,
            GateStage::Validation,
        );
        let statuses: Vec<Vec<CellStatus>> = m
            .cells
            .iter()
            .map(|r| r.iter().map(|c| c.status).collect())
            .collect();
        use CellStatus::*;
        assert_eq!(
            statuses,
            [
                [Passed, Passed, Passed, Passed],
                [Failed, Failed, Pending, Pending]
            ]
        );
        assert_eq!(
            m.cells[1][0].detail.as_deref(),
            Some("quality_score is 72, needs >= 80")
        );
        assert_eq!(m.cells[1][0].observed.as_deref(), Some("72"));
        assert_eq!(
            m.cells[0][0].url.as_deref(),
            Some("https://ci.example/curve/quality_score")
        );
        assert!(!m.passes());
        let blocked: Vec<(&str, &str)> = m
            .blockers
            .iter()
            .map(|b| (b.participant.as_str(), b.gate.as_str()))
            .collect();
        assert_eq!(
            blocked,
            [
                ("backtesting", "quality"),
                ("backtesting", "critical-vulns"),
                ("backtesting", "coverage"),
                ("backtesting", "failure-rate")
            ]
        );
    }

    #[test]
    fn the_newest_report_wins() {
        let reports = [
            report("curve", "quality_score", Observed::Number(50.0), 0),
            report("curve", "quality_score", Observed::Number(85.0), 5),
            report("curve", "quality_score", Observed::Number(60.0), 2),
        ];
        let gates = &standard_gates()[..1];
        let m = evaluate(gates, &["curve".into()], &reports, GateStage::Validation);
        assert_eq!(m.cells[0][0].status, CellStatus::Passed);
        assert_eq!(m.cells[0][0].reported_at, Some(t0() + Duration::minutes(5)));
    }

    #[test]
    fn named_checks_must_be_green() {
        let gates: Vec<GateDefinition> = ["build", "unit-tests", "e2e-tests"]
            .iter()
            .map(|c| GateDefinition {
                name: c.to_string(),
                rule: GateRule::Check {
                    context: c.to_string(),
                },
                blocking: true,
                stages: vec![GateStage::Validation],
                applies_to: None,
            })
            .collect();
        let reports = [
            report("curve", "build", Observed::Pass(true), 0),
            report("curve", "unit-tests", Observed::Pass(false), 0),
        ];
        let m = evaluate(&gates, &["curve".into()], &reports, GateStage::Validation);
        let s: Vec<_> = m.cells[0].iter().map(|c| c.status).collect();
        assert_eq!(
            s,
            [CellStatus::Passed, CellStatus::Failed, CellStatus::Pending]
        );
        assert_eq!(
            m.cells[0][2].detail.as_deref(),
            Some("waiting for check e2e-tests")
        );
    }

    #[test]
    fn custom_expressions_run_as_cel_over_the_reported_values() {
        let gates = [
            custom("perf", "performance_regression < 10", true),
            custom("uat", "uat_passed && coverage >= 75.5", true),
        ];
        let reports = [
            num("curve", "performance_regression", 12.5),
            report("curve", "uat_passed", Observed::Pass(true), 0),
            num("curve", "coverage", 80.0),
            num("backtesting", "performance_regression", 3.0),
        ];
        let m = evaluate(&gates, &participants(), &reports, GateStage::Validation);
        assert_eq!(m.cells[0][0].status, CellStatus::Failed);
        assert_eq!(
            m.cells[0][0].detail.as_deref(),
            Some("performance_regression < 10 is false")
        );
        assert_eq!(m.cells[0][1].status, CellStatus::Passed);
        assert_eq!(
            m.cells[0][1].observed.as_deref(),
            Some("coverage=80, uat_passed=passed")
        );
        assert_eq!(m.cells[1][0].status, CellStatus::Passed);
        assert_eq!(m.cells[1][1].status, CellStatus::Pending);
        assert_eq!(
            m.cells[1][1].detail.as_deref(),
            Some("waiting for coverage, uat_passed")
        );
    }

    #[test]
    fn expressions_that_do_not_compile_or_yield_a_non_boolean_fail_with_the_reason() {
        assert!(check_expression("performance_regression <").is_err());
        assert!(check_expression("a < 10 && b").is_ok());
        let m = evaluate(
            &[custom("odd", "latency * 2.0", true)],
            &["curve".into()],
            &[num("curve", "latency", 3.0)],
            GateStage::Validation,
        );
        assert_eq!(m.cells[0][0].status, CellStatus::Failed);
        assert!(m.cells[0][0]
            .detail
            .as_deref()
            .unwrap()
            .contains("not true or false"));
    }

    #[test]
    fn advisory_gates_warn_without_blocking_and_stages_and_scopes_apply() {
        let mut advisory = custom("perf", "performance_regression < 10", false);
        advisory.stages.push(GateStage::Execution);
        let mut only_curve = GateDefinition {
            name: "coverage".into(),
            rule: GateRule::Threshold {
                metric: "coverage".into(),
                comparison: Comparison::AtLeast,
                limit: 75.0,
            },
            blocking: true,
            stages: vec![GateStage::Validation],
            applies_to: Some(vec!["curve".into()]),
        };
        let reports = [
            num("curve", "performance_regression", 30.0),
            num("curve", "coverage", 90.0),
        ];
        let m = evaluate(
            &[advisory.clone(), only_curve.clone()],
            &participants(),
            &reports,
            GateStage::Validation,
        );
        assert!(
            m.passes(),
            "an advisory failure and a pending advisory never block: {:?}",
            m.blockers
        );
        assert_eq!(m.warnings.len(), 1);
        assert_eq!(m.cells[1][1].status, CellStatus::NotApplicable);
        only_curve.stages = vec![GateStage::PostRelease];
        let m = evaluate(
            &[advisory, only_curve],
            &participants(),
            &reports,
            GateStage::Execution,
        );
        assert_eq!(m.cells[0][1].status, CellStatus::NotApplicable);
    }
}
