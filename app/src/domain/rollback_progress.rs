//! Rollbacks that really happen: in an environment whose deploys CD
//! confirms, each step (a service, in reverse dependency order, back to its
//! previous version) waits until CD reports that service's redeploy there.
//! The rollback is finished when no step waits any more, and stuck when its
//! track's timeout passes first.

use crate::domain::deployment::DeploymentStatus;
use crate::models::train::RollbackStep;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A step CD has yet to confirm.
pub const REQUESTED: &str = "requested";
/// A step whose last redeploy CD reported failed (a retry may succeed).
pub const FAILED: &str = "failed";
/// A step done: confirmed by CD, recorded at once, or forced.
pub const ROLLED_BACK: &str = "rolled_back";

/// How an unfinished rollback ended, or stopped moving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RollbackOutcome {
    /// Every redeploy was confirmed by CD (or recorded by force).
    Completed,
    /// The timeout passed with redeploys still unconfirmed.
    Stuck,
}

impl RollbackOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Stuck => "stuck",
        }
    }
}

/// A deploy CD reported in one environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redeploy {
    pub environment: String,
    pub service: String,
    pub version: String,
    pub status: DeploymentStatus,
}

/// Versions compare without a leading `v`, as deployments match trains.
fn same_version(a: &str, b: &str) -> bool {
    a.trim_start_matches('v') == b.trim_start_matches('v')
}

/// Whether a step waits for `service` at `version` in `environment`.
pub fn awaits(step: &RollbackStep, environment: &str, service: &str, version: &str) -> bool {
    step.service == service
        && step.waiting_in.iter().any(|e| e == environment)
        && step
            .to_version
            .as_deref()
            .is_some_and(|v| same_version(v, version))
}

/// Moves the steps on from the deploys CD reported since the rollback was
/// requested, oldest first: an environment stops waiting when the last
/// finished redeploy there succeeded; a step whose last one failed says so.
/// Returns the services whose step is now done.
pub fn advance(steps: &mut [RollbackStep], reports: &[Redeploy]) -> Vec<String> {
    let mut done = Vec::new();
    for step in steps.iter_mut().filter(|s| !s.waiting_in.is_empty()) {
        let Some(version) = step.to_version.clone() else {
            continue;
        };
        let last = |env: &str| {
            reports
                .iter()
                .rev()
                .filter(|r| {
                    r.environment == env
                        && r.service == step.service
                        && same_version(&r.version, &version)
                })
                .map(|r| r.status)
                .find(|s| matches!(s, DeploymentStatus::Succeeded | DeploymentStatus::Failed))
        };
        let lasts: Vec<(String, Option<DeploymentStatus>)> = step
            .waiting_in
            .iter()
            .map(|e| (e.clone(), last(e)))
            .collect();
        step.waiting_in = lasts
            .iter()
            .filter(|(_, s)| *s != Some(DeploymentStatus::Succeeded))
            .map(|(e, _)| e.clone())
            .collect();
        let failed = lasts
            .iter()
            .any(|(_, s)| *s == Some(DeploymentStatus::Failed));
        step.status = if step.waiting_in.is_empty() {
            done.push(step.service.clone());
            ROLLED_BACK
        } else if failed {
            FAILED
        } else {
            REQUESTED
        }
        .to_owned();
    }
    done
}

/// Records every waiting step as done without CD's word (`force`).
/// Returns each (environment, step) that was waiting.
pub fn force(steps: &mut [RollbackStep]) -> Vec<(String, RollbackStep)> {
    let mut forced = Vec::new();
    for step in steps.iter_mut().filter(|s| !s.waiting_in.is_empty()) {
        for env in std::mem::take(&mut step.waiting_in) {
            forced.push((env, step.clone()));
        }
        step.status = ROLLED_BACK.to_owned();
    }
    forced
}

/// The first step, in the rollback's order, that still waits for CD.
pub fn waiting_step(steps: &[RollbackStep]) -> Option<&RollbackStep> {
    steps.iter().find(|s| !s.waiting_in.is_empty())
}

/// What an unfinished rollback waits for, in words.
pub fn waiting_note(steps: &[RollbackStep]) -> Option<String> {
    let step = waiting_step(steps)?;
    let version = step.to_version.as_deref().unwrap_or("its previous version");
    let failed = if step.status == FAILED {
        " (its last redeploy failed)"
    } else {
        ""
    };
    Some(format!(
        "waiting for CD to redeploy {} {version} in {}{failed}",
        step.service,
        step.waiting_in.join(", ")
    ))
}

/// When a rollback requested at `at` counts as stuck.
pub fn deadline(at: DateTime<Utc>, timeout: Duration) -> DateTime<Utc> {
    at + timeout
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeploymentStatus::*;

    fn step(service: &str, to: &str, waiting_in: &[&str]) -> RollbackStep {
        RollbackStep {
            service: service.into(),
            from_version: Some("9.9.9".into()),
            to_version: Some(to.into()),
            status: REQUESTED.into(),
            waiting_in: waiting_in.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn report(env: &str, service: &str, version: &str, status: DeploymentStatus) -> Redeploy {
        Redeploy {
            environment: env.into(),
            service: service.into(),
            version: version.into(),
            status,
        }
    }

    #[test]
    fn a_step_is_done_once_every_environment_reported_its_redeploy() {
        let mut steps = vec![
            step("api", "1.4.0", &["stage", "prod"]),
            step("db", "2.0.0", &["prod"]),
        ];
        let done = advance(&mut steps, &[report("prod", "api", "v1.4.0", Succeeded)]);
        assert!(done.is_empty());
        assert_eq!(steps[0].waiting_in, ["stage"]);
        assert_eq!(
            waiting_note(&steps).unwrap(),
            "waiting for CD to redeploy api 1.4.0 in stage"
        );
        let done = advance(&mut steps, &[report("stage", "api", "1.4.0", Succeeded)]);
        assert_eq!(done, ["api"]);
        assert_eq!(steps[0].status, ROLLED_BACK);
        assert_eq!(waiting_step(&steps).unwrap().service, "db");
    }

    #[test]
    fn a_failed_redeploy_waits_for_a_retry_and_other_versions_count_for_nothing() {
        let mut steps = vec![step("api", "1.4.0", &["prod"])];
        advance(
            &mut steps,
            &[
                report("prod", "api", "1.4.0", Failed),
                report("prod", "api", "1.5.0", Succeeded),
                report("stage", "api", "1.4.0", Succeeded),
            ],
        );
        assert_eq!(steps[0].status, FAILED);
        assert!(waiting_note(&steps)
            .unwrap()
            .ends_with("(its last redeploy failed)"));
        let done = advance(
            &mut steps,
            &[
                report("prod", "api", "1.4.0", Failed),
                report("prod", "api", "1.4.0", InProgress),
                report("prod", "api", "1.4.0", Succeeded),
            ],
        );
        assert_eq!(done, ["api"]);
        assert_eq!(waiting_note(&steps), None);
    }

    #[test]
    fn a_step_awaits_its_own_service_version_and_environment() {
        let s = step("api", "1.4.0", &["prod"]);
        assert!(awaits(&s, "prod", "api", "v1.4.0"));
        assert!(!awaits(&s, "stage", "api", "1.4.0"));
        assert!(!awaits(&s, "prod", "api", "1.5.0"));
        assert!(!awaits(&s, "prod", "db", "1.4.0"));
    }

    #[test]
    fn forcing_records_every_waiting_redeploy_as_done() {
        let mut steps = vec![
            step("api", "1.4.0", &["stage", "prod"]),
            step("db", "2.0.0", &[]),
        ];
        steps[1].status = ROLLED_BACK.into();
        let forced = force(&mut steps);
        let places: Vec<(&str, &str)> = forced
            .iter()
            .map(|(e, s)| (e.as_str(), s.service.as_str()))
            .collect();
        assert_eq!(places, [("stage", "api"), ("prod", "api")]);
        assert!(steps
            .iter()
            .all(|s| s.status == ROLLED_BACK && s.waiting_in.is_empty()));
    }
}
