//! Promotions that really happen: in an environment whose deploys CD
//! confirms, a promotion leaves the train's release `deploying` there until
//! every participant's deploy of its target version has succeeded, and a
//! failed one fails the promotion. Environments without a CD integration
//! keep recording a promotion as done at once ("record only").

use crate::domain::deployment::DeploymentStatus;
use serde::{Deserialize, Serialize};

/// Where a train's release stands in one environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReleaseStatus {
    /// Promoted; CD has not yet reported every participant's deploy.
    Deploying,
    /// Runs there: recorded at once, or confirmed by CD.
    Deployed,
    /// A participant's deploy failed.
    Failed,
}

impl ReleaseStatus {
    pub const ALL: [Self; 3] = [Self::Deploying, Self::Deployed, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deploying => "deploying",
            Self::Deployed => "deployed",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What the reports say of a promotion so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settlement {
    /// These services have no successful deploy of their version yet.
    Waiting(Vec<String>),
    Deployed,
    /// This service's deploy of its version failed.
    Failed {
        service: String,
        version: String,
    },
}

/// Versions compare without a leading `v`, as deployments match trains.
fn same_version(a: &str, b: &str) -> bool {
    a.trim_start_matches('v') == b.trim_start_matches('v')
}

/// Settles a promotion of `targets` (service, version) from the deploys CD
/// reported since (service, version, status), oldest first: a failure of a
/// target version not followed by a success of it fails the promotion.
pub fn settle(
    targets: &[(String, String)],
    reports: &[(String, String, DeploymentStatus)],
) -> Settlement {
    let mut waiting = Vec::new();
    for (service, version) in targets {
        let last = reports
            .iter()
            .rev()
            .filter(|(s, v, _)| s == service && same_version(v, version))
            .map(|(_, _, st)| *st)
            .find(|st| matches!(st, DeploymentStatus::Succeeded | DeploymentStatus::Failed));
        match last {
            Some(DeploymentStatus::Succeeded) => {}
            Some(_) => {
                return Settlement::Failed {
                    service: service.clone(),
                    version: version.clone(),
                }
            }
            None => waiting.push(service.clone()),
        }
    }
    if waiting.is_empty() {
        Settlement::Deployed
    } else {
        Settlement::Waiting(waiting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeploymentStatus::*;

    fn targets() -> Vec<(String, String)> {
        vec![
            ("ledger".into(), "2.0.0".into()),
            ("api".into(), "1.4.0".into()),
        ]
    }

    fn report(s: &str, v: &str, st: DeploymentStatus) -> (String, String, DeploymentStatus) {
        (s.into(), v.into(), st)
    }

    #[test]
    fn a_promotion_is_deployed_once_every_participant_succeeded() {
        let one = [report("ledger", "v2.0.0", Succeeded)];
        assert_eq!(
            settle(&targets(), &one),
            Settlement::Waiting(vec!["api".into()])
        );
        let both = [
            report("ledger", "v2.0.0", Succeeded),
            report("api", "1.4.0", Succeeded),
        ];
        assert_eq!(settle(&targets(), &both), Settlement::Deployed);
    }

    #[test]
    fn a_failed_deploy_fails_it_unless_a_retry_succeeded_after() {
        let failed = [
            report("api", "1.4.0", InProgress),
            report("api", "1.4.0", Failed),
        ];
        assert_eq!(
            settle(&targets(), &failed),
            Settlement::Failed {
                service: "api".into(),
                version: "1.4.0".into()
            }
        );
        let retried = [
            report("api", "1.4.0", Failed),
            report("api", "1.4.0", Succeeded),
            report("ledger", "2.0.0", Succeeded),
        ];
        assert_eq!(settle(&targets(), &retried), Settlement::Deployed);
    }

    #[test]
    fn another_version_or_a_cancelled_deploy_settles_nothing() {
        let other = [
            report("api", "1.3.9", Failed),
            report("ledger", "2.0.0", Cancelled),
        ];
        assert_eq!(
            settle(&targets(), &other),
            Settlement::Waiting(vec!["ledger".into(), "api".into()])
        );
    }
}
