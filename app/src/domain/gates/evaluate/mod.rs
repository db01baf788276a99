//! Evaluates gate definitions against reported results. Custom expressions are
//! CEL, run by the `cel` crate.

use super::{
    Blocker, Cell, CellStatus, Comparison, GateDefinition, GateMatrix, GateRule, GateStage,
    Observed, Report,
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
    let newest = newest_reports(reports);
    let programs = compile_expressions(gates);
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
            .map(|(gate, program)| gate_cell(gate, program.as_ref(), participant, stage, &own))
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

/// The newest report per participant and key.
fn newest_reports(reports: &[Report]) -> HashMap<(&str, &str), &Report> {
    let mut newest: HashMap<(&str, &str), &Report> = HashMap::new();
    for r in reports {
        let slot = newest
            .entry((r.participant.as_str(), r.key.as_str()))
            .or_insert(r);
        if r.reported_at > slot.reported_at {
            *slot = r;
        }
    }
    newest
}

/// Each gate's compiled CEL program, or why it does not compile; `None` for
/// a gate that is not an expression.
fn compile_expressions(gates: &[GateDefinition]) -> Vec<Option<Result<cel::Program, String>>> {
    gates
        .iter()
        .map(|g| match &g.rule {
            GateRule::Expression { source } => {
                Some(cel::Program::compile(source).map_err(|e| e.to_string()))
            }
            _ => None,
        })
        .collect()
}

/// One gate's cell for one participant, from the participant's own reports.
fn gate_cell(
    gate: &GateDefinition,
    program: Option<&Result<cel::Program, String>>,
    participant: &str,
    stage: GateStage,
    own: &HashMap<&str, &Report>,
) -> Cell {
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
        ) => threshold_cell(metric, *comparison, *limit, own),
        (GateRule::Check { context }, _) => check_cell(context, own),
        (GateRule::Expression { source }, Some(Ok(program))) => {
            run_expression(source, program, own)
        }
        (GateRule::Expression { source }, _) => cell(
            CellStatus::Failed,
            None,
            Some(format!("expression {source:?} does not compile")),
        ),
    }
}

/// A threshold gate: the metric's number must compare to the limit.
fn threshold_cell(
    metric: &str,
    comparison: Comparison,
    limit: f64,
    own: &HashMap<&str, &Report>,
) -> Cell {
    match own.get(metric) {
        None => cell(
            CellStatus::Pending,
            None,
            Some(format!("waiting for {metric}")),
        ),
        Some(r) => match r.value {
            Observed::Number(n) if comparison.holds(n, limit) => {
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
    }
}

/// A check gate: the named CI check context must be green.
fn check_cell(context: &str, own: &HashMap<&str, &Report>) -> Cell {
    match own.get(context) {
        None => cell(
            CellStatus::Pending,
            None,
            Some(format!("waiting for check {context}")),
        ),
        Some(r) if r.value == Observed::Pass(true) => cell(CellStatus::Passed, Some(r), None),
        Some(r) => cell(
            CellStatus::Failed,
            Some(r),
            Some(format!("check {context} is not green")),
        ),
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
mod tests;
