//! What it takes to promote a release into one environment.

use super::Environment;
use crate::domain::access::Role;
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// The rules for promoting into `environment` (the target). Built with
/// [`EnvironmentPolicy::defaults_for`] and adjusted, then checked with
/// [`EnvironmentPolicy::validated`]; deserialising checks the same way.
///
/// Serialised with the durations in whole seconds (`wait_timer_secs`,
/// `soak_secs`), since `chrono::Duration` has no serde form of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawPolicy", into = "RawPolicy")]
pub struct EnvironmentPolicy {
    pub environment: Environment,
    /// Distinct people whose approval counts; 0 promotes without review.
    pub required_approvals: u8,
    /// The role an approver must hold (`approver:stage` or `approver:prod`).
    pub approver_role: Role,
    /// Whether the person who requested the promotion may approve it. The
    /// train's captain never counts, whatever this says.
    pub requester_may_approve: bool,
    /// How long to wait after the request is fully approved.
    pub wait_timer: Duration,
    /// Whether every blocking gate must pass at the moment of promotion.
    pub require_gates: bool,
    /// How long the release must have run clean in the environment it comes
    /// from (seed 003: 7 days in dev before staging).
    pub soak: Option<Duration>,
    /// Whether a freeze window stops promotions into this environment.
    pub freeze_blocks: bool,
    /// Whether a health breach here starts the rollback by itself rather
    /// than only recommending it.
    pub auto_rollback: bool,
    /// Whether the train's evidence bundle must be complete (issue 7's
    /// completeness gate). Off by default; an admin turns it on.
    pub require_evidence: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "approvals for {environment} must come from an approver role (approver:stage or approver:prod), not {role}"
    )]
    NotAnApproverRole {
        environment: Environment,
        role: Role,
    },
    #[error(
        "{environment} asks for {required} approvals; at most {max} can be required",
        max = EnvironmentPolicy::MAX_APPROVALS
    )]
    TooManyApprovals {
        environment: Environment,
        required: u8,
    },
    #[error("the wait timer for {environment} cannot be negative")]
    NegativeWait { environment: Environment },
    #[error(
        "the wait timer for {environment} is {minutes} minutes; it can be at most {max} days",
        max = EnvironmentPolicy::MAX_WAIT_DAYS
    )]
    WaitTooLong {
        environment: Environment,
        minutes: i64,
    },
    #[error("the soak before {environment} must be longer than zero; leave it out for no soak")]
    SoakNotPositive { environment: Environment },
    #[error(
        "the soak before {environment} is {days} days; it can be at most {max} days",
        max = EnvironmentPolicy::MAX_SOAK_DAYS
    )]
    SoakTooLong { environment: Environment, days: i64 },
}

impl EnvironmentPolicy {
    pub const MAX_APPROVALS: u8 = 10;
    pub const MAX_WAIT_DAYS: i64 = 7;
    pub const MAX_SOAK_DAYS: i64 = 30;

    /// The rules an environment has until someone changes them:
    ///
    /// - `dev`: no approval, no wait; gates and freezes still apply.
    /// - `stage`: one approval by `approver:stage`, no wait, no soak
    ///   (seed 001 deploys to stage straight from the preview checks).
    /// - `staging`: as `stage`, plus seed 003's 7 days clean in `dev` first.
    /// - `prod`: two approvals by `approver:prod`, a 10-minute wait, and the
    ///   automatic rollback on a health breach of seed 001's blue-green prod.
    /// - any other name is treated like `prod` minus the automatic rollback:
    ///   an unknown name may well be a production one (`live`, `mainnet`), so
    ///   it starts strict and an admin relaxes it.
    ///
    /// Nowhere may the requester approve their own promotion by default.
    pub fn defaults_for(environment: &Environment) -> Self {
        let base = Self {
            environment: environment.clone(),
            required_approvals: 0,
            approver_role: Role::ApproverStage,
            requester_may_approve: false,
            wait_timer: Duration::zero(),
            require_gates: true,
            soak: None,
            freeze_blocks: true,
            auto_rollback: false,
            require_evidence: false,
        };
        match environment.as_str() {
            "dev" => base,
            "stage" => Self {
                required_approvals: 1,
                ..base
            },
            "staging" => Self {
                required_approvals: 1,
                soak: Some(Duration::days(7)),
                ..base
            },
            "prod" => Self {
                required_approvals: 2,
                approver_role: Role::ApproverProd,
                wait_timer: Duration::minutes(10),
                auto_rollback: true,
                ..base
            },
            _ => Self {
                required_approvals: 2,
                approver_role: Role::ApproverProd,
                wait_timer: Duration::minutes(10),
                ..base
            },
        }
    }

    /// The policy, if its values make sense.
    pub fn validated(self) -> Result<Self, PolicyError> {
        let environment = self.environment.clone();
        if !matches!(self.approver_role, Role::ApproverStage | Role::ApproverProd) {
            return Err(PolicyError::NotAnApproverRole {
                environment,
                role: self.approver_role,
            });
        }
        if self.required_approvals > Self::MAX_APPROVALS {
            return Err(PolicyError::TooManyApprovals {
                environment,
                required: self.required_approvals,
            });
        }
        if self.wait_timer < Duration::zero() {
            return Err(PolicyError::NegativeWait { environment });
        }
        if self.wait_timer > Duration::days(Self::MAX_WAIT_DAYS) {
            return Err(PolicyError::WaitTooLong {
                environment,
                minutes: self.wait_timer.num_minutes(),
            });
        }
        if let Some(soak) = self.soak {
            if soak <= Duration::zero() {
                return Err(PolicyError::SoakNotPositive { environment });
            }
            if soak > Duration::days(Self::MAX_SOAK_DAYS) {
                return Err(PolicyError::SoakTooLong {
                    environment,
                    days: soak.num_days(),
                });
            }
        }
        Ok(self)
    }
}

/// The stored and wire form of [`EnvironmentPolicy`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    environment: Environment,
    required_approvals: u8,
    approver_role: Role,
    requester_may_approve: bool,
    wait_timer_secs: i64,
    require_gates: bool,
    soak_secs: Option<i64>,
    freeze_blocks: bool,
    auto_rollback: bool,
    /// Absent in policies stored before the evidence gate existed.
    #[serde(default)]
    require_evidence: bool,
}

impl TryFrom<RawPolicy> for EnvironmentPolicy {
    type Error = PolicyError;
    fn try_from(raw: RawPolicy) -> Result<Self, Self::Error> {
        // Clamped so that an absurd number of seconds fails validation by
        // name instead of overflowing.
        let secs = |s: i64| Duration::seconds(s.clamp(-i64::from(u32::MAX), i64::from(u32::MAX)));
        EnvironmentPolicy {
            environment: raw.environment,
            required_approvals: raw.required_approvals,
            approver_role: raw.approver_role,
            requester_may_approve: raw.requester_may_approve,
            wait_timer: secs(raw.wait_timer_secs),
            require_gates: raw.require_gates,
            soak: raw.soak_secs.map(secs),
            freeze_blocks: raw.freeze_blocks,
            auto_rollback: raw.auto_rollback,
            require_evidence: raw.require_evidence,
        }
        .validated()
    }
}

impl From<EnvironmentPolicy> for RawPolicy {
    fn from(p: EnvironmentPolicy) -> Self {
        RawPolicy {
            environment: p.environment,
            required_approvals: p.required_approvals,
            approver_role: p.approver_role,
            requester_may_approve: p.requester_may_approve,
            wait_timer_secs: p.wait_timer.num_seconds(),
            require_gates: p.require_gates,
            soak_secs: p.soak.map(|d| d.num_seconds()),
            freeze_blocks: p.freeze_blocks,
            auto_rollback: p.auto_rollback,
            require_evidence: p.require_evidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults(name: &str) -> EnvironmentPolicy {
        EnvironmentPolicy::defaults_for(&Environment::parse(name).unwrap())
    }

    #[test]
    fn the_defaults_follow_seed_001_and_seed_003() {
        let dev = defaults("dev");
        assert_eq!(
            (dev.required_approvals, dev.wait_timer),
            (0, Duration::zero())
        );

        let stage = defaults("stage");
        assert_eq!(stage.required_approvals, 1);
        assert_eq!(stage.approver_role, Role::ApproverStage);
        assert_eq!(stage.soak, None);

        let staging = defaults("staging");
        assert_eq!(staging.soak, Some(Duration::days(7)));

        let prod = defaults("prod");
        assert_eq!(prod.required_approvals, 2);
        assert_eq!(prod.approver_role, Role::ApproverProd);
        assert_eq!(prod.wait_timer, Duration::minutes(10));
        assert!(prod.auto_rollback);

        for p in [dev, stage, staging, prod] {
            assert!(!p.requester_may_approve, "{}", p.environment);
            assert!(p.require_gates && p.freeze_blocks, "{}", p.environment);
            assert_eq!(p.clone().validated(), Ok(p));
        }
    }

    #[test]
    fn an_unknown_environment_starts_as_strict_as_prod_without_automatic_rollback() {
        let live = defaults("live");
        assert_eq!(live.required_approvals, 2);
        assert_eq!(live.approver_role, Role::ApproverProd);
        assert_eq!(live.wait_timer, Duration::minutes(10));
        assert!(!live.auto_rollback);
    }

    #[test]
    fn only_an_approver_role_may_approve() {
        let p = EnvironmentPolicy {
            approver_role: Role::Admin,
            ..defaults("prod")
        };
        assert_eq!(
            p.validated().unwrap_err().to_string(),
            "approvals for prod must come from an approver role (approver:stage or approver:prod), not admin"
        );
    }

    #[test]
    fn approvals_wait_and_soak_are_bounded() {
        let too_many = EnvironmentPolicy {
            required_approvals: 11,
            ..defaults("prod")
        };
        assert_eq!(
            too_many.validated().unwrap_err().to_string(),
            "prod asks for 11 approvals; at most 10 can be required"
        );
        let ten = EnvironmentPolicy {
            required_approvals: 10,
            ..defaults("prod")
        };
        assert!(ten.validated().is_ok());

        let long_wait = EnvironmentPolicy {
            wait_timer: Duration::days(7) + Duration::minutes(1),
            ..defaults("prod")
        };
        assert_eq!(
            long_wait.validated().unwrap_err().to_string(),
            "the wait timer for prod is 10081 minutes; it can be at most 7 days"
        );
        let negative = EnvironmentPolicy {
            wait_timer: Duration::minutes(-1),
            ..defaults("prod")
        };
        assert!(matches!(
            negative.validated(),
            Err(PolicyError::NegativeWait { .. })
        ));

        let no_soak = EnvironmentPolicy {
            soak: Some(Duration::zero()),
            ..defaults("staging")
        };
        assert!(matches!(
            no_soak.validated(),
            Err(PolicyError::SoakNotPositive { .. })
        ));
        let long_soak = EnvironmentPolicy {
            soak: Some(Duration::days(31)),
            ..defaults("staging")
        };
        assert_eq!(
            long_soak.validated().unwrap_err().to_string(),
            "the soak before staging is 31 days; it can be at most 30 days"
        );
    }

    #[test]
    fn a_policy_is_stored_with_durations_in_seconds_and_checked_when_read() {
        let prod = defaults("prod");
        let json = serde_json::to_value(&prod).unwrap();
        assert_eq!(json["wait_timer_secs"], 600);
        assert_eq!(json["approver_role"], "ApproverProd");
        assert_eq!(
            serde_json::from_value::<EnvironmentPolicy>(json.clone()).unwrap(),
            prod
        );
        let mut bad = json;
        bad["wait_timer_secs"] = serde_json::json!(i64::MAX);
        assert!(serde_json::from_value::<EnvironmentPolicy>(bad).is_err());
    }
}
