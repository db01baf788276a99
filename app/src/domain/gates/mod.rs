//! Gate definitions and the gate matrix (seed 002's quality gates, seed 001's
//! named CI checks, custom expressions). The types are shared with the browser;
//! evaluation (which runs CEL) is server-only.

pub mod edit;
#[cfg(feature = "ssr")]
pub mod evaluate;
pub mod spec;
pub mod template;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The required status-check contexts of seed 001.
pub const SEED_CHECKS: [&str; 17] = [
    "build",
    "unit-tests",
    "e2e-tests",
    "sast-codeql",
    "dependency-review",
    "sbom-generate",
    "trivy-image-scan",
    "helm-lint",
    "helm-template",
    "terraform-fmt-validate",
    "terraform-plan",
    "migrations-dry-run",
    "preview-deploy",
    "rollout-gate (staging)",
    "smoke-tests (staging)",
    "k6-slo (staging)",
    "slo-burn-rollback (staging)",
];

/// When a gate is evaluated (seed 002: before, during and after release).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GateStage {
    Validation,
    Execution,
    PostRelease,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Comparison {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = "==")]
    Equal,
}

impl Comparison {
    pub fn holds(self, observed: f64, limit: f64) -> bool {
        match self {
            Self::AtLeast => observed >= limit,
            Self::Above => observed > limit,
            Self::AtMost => observed <= limit,
            Self::Below => observed < limit,
            Self::Equal => observed == limit,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Self::AtLeast => ">=",
            Self::Above => ">",
            Self::AtMost => "<=",
            Self::Below => "<",
            Self::Equal => "==",
        }
    }
}

/// What a gate checks, per participant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GateRule {
    /// A reported metric compared with a limit (`quality_score >= 80`).
    Threshold {
        metric: String,
        comparison: Comparison,
        limit: f64,
    },
    /// A named CI check context that must be green.
    Check { context: String },
    /// A CEL expression over the participant's reported values
    /// (`performance_regression < 10`).
    Expression { source: String },
}

impl fmt::Display for GateRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Threshold {
                metric,
                comparison,
                limit,
            } => write!(f, "{metric} {} {limit}", comparison.symbol()),
            Self::Check { context } => write!(f, "check {context:?} is green"),
            Self::Expression { source } => f.write_str(source),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GateDefinition {
    pub name: String,
    pub rule: GateRule,
    /// A failing blocking gate stops the train; an advisory one only warns.
    pub blocking: bool,
    pub stages: Vec<GateStage>,
    /// Only these participants; `None` means all.
    pub applies_to: Option<Vec<String>>,
}

impl GateDefinition {
    pub fn applies(&self, participant: &str, stage: GateStage) -> bool {
        self.stages.contains(&stage)
            && self
                .applies_to
                .as_ref()
                .is_none_or(|only| only.iter().any(|p| p == participant))
    }
}

/// The limits of seed 002's `config/upgrade-policies.yaml` `quality_gates`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityLimits {
    pub min_quality_score: f64,
    pub max_critical_vulns: f64,
    pub min_coverage: f64,
    pub max_failure_rate: f64,
}

impl Default for QualityLimits {
    fn default() -> Self {
        Self {
            min_quality_score: 80.0,
            max_critical_vulns: 0.0,
            min_coverage: 75.0,
            max_failure_rate: 5.0,
        }
    }
}

/// The quality gates of seed 002 with the seed's default limits.
pub fn standard_gates() -> Vec<GateDefinition> {
    quality_gates(&QualityLimits::default())
}

/// The quality gates a train gets when it names none, with `limits`.
pub fn quality_gates(limits: &QualityLimits) -> Vec<GateDefinition> {
    let threshold = |name: &str, metric: &str, comparison, limit| GateDefinition {
        name: name.to_owned(),
        rule: GateRule::Threshold {
            metric: metric.to_owned(),
            comparison,
            limit,
        },
        blocking: true,
        stages: vec![GateStage::Validation, GateStage::Execution],
        applies_to: None,
    };
    vec![
        threshold(
            "quality",
            "quality_score",
            Comparison::AtLeast,
            limits.min_quality_score,
        ),
        threshold(
            "critical-vulns",
            "critical_vulns",
            Comparison::AtMost,
            limits.max_critical_vulns,
        ),
        threshold(
            "coverage",
            "coverage",
            Comparison::AtLeast,
            limits.min_coverage,
        ),
        threshold(
            "failure-rate",
            "failure_rate",
            Comparison::AtMost,
            limits.max_failure_rate,
        ),
    ]
}

/// A value CI reported for a participant: a metric or a check's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Observed {
    Pass(bool),
    Number(f64),
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pass(true) => f.write_str("passed"),
            Self::Pass(false) => f.write_str("failed"),
            Self::Number(n) => write!(f, "{n}"),
        }
    }
}

/// One reported result (append-only; the newest per participant × key wins).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Report {
    pub participant: String,
    /// The metric name or check context.
    pub key: String,
    pub value: Observed,
    pub reported_at: DateTime<Utc>,
    pub source: Option<String>,
    pub url: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    Passed,
    Failed,
    Pending,
    NotApplicable,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Cell {
    pub status: CellStatus,
    /// What was observed, as people read it (`72`, `passed`).
    pub observed: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    /// Why the cell has its status (`72 is below 80`).
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Blocker {
    pub participant: String,
    pub gate: String,
    pub status: CellStatus,
    pub detail: String,
}

/// Participants × gates at one stage, and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GateMatrix {
    pub stage: GateStage,
    pub participants: Vec<String>,
    pub gates: Vec<GateDefinition>,
    /// `cells[p][g]` for participant `p` and gate `g`.
    pub cells: Vec<Vec<Cell>>,
    /// Failing or pending blocking gates: what stops the train.
    pub blockers: Vec<Blocker>,
    /// Failing advisory gates: shown, never blocking.
    pub warnings: Vec<Blocker>,
}

impl GateMatrix {
    pub fn passes(&self) -> bool {
        self.blockers.is_empty()
    }
}
