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
