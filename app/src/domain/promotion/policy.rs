//! What it takes to promote a release into one environment.

use super::{Environment, EnvironmentKind};
use crate::domain::access::Role;
use chrono::Duration;
use serde::{Deserialize, Serialize};
use wire::RawPolicy;

mod wire;

/// The rules for promoting into `environment` (the target). Built from its
/// kind's defaults ([`EnvironmentPolicy::defaults_for`]) and adjusted, then checked with
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
    /// The role an approver must hold: `approver:<environment>`, by default
    /// this environment's own; an identity provider's group grants it
    /// through the role map.
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
    /// Seed 004's component owners: each participant that has owners needs
    /// one of them to approve too, besides `required_approvals`. An owner
    /// may approve without the approver role; their approval then counts
    /// only for the services they own.
    pub owner_review: bool,
    /// Whether a promotion here is done only when CD reports each
    /// participant's deploy as succeeded (`deploying` until then, failed
    /// when one fails); off, a promotion is recorded as done at once
    /// ("record only", for environments without a CD integration).
    pub confirmed_by_cd: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "approvals for {environment} must come from an approver role (approver:<environment>), not {role}"
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

    /// The rules an environment of `kind` starts with, until an admin
    /// changes them; the one place defaults come from:
    ///
    /// - development and preview: no approval, no wait;
    /// - pre-production: one approval (seed 001's stage);
    /// - production: two distinct approvals, a 10-minute wait, and the
    ///   automatic rollback on a health breach (seed 001's prod).
    ///
    /// Approvals come from `approver:<environment>`. Gates must pass and
    /// freezes hold everywhere; nowhere may the requester approve their own
    /// promotion, and no soak is asked for until someone sets one.
    pub fn defaults_for(environment: &Environment, kind: EnvironmentKind) -> Self {
        let base = Self {
            environment: environment.clone(),
            required_approvals: 0,
            approver_role: Role::Approver(environment.clone()),
            requester_may_approve: false,
            wait_timer: Duration::zero(),
            require_gates: true,
            soak: None,
            freeze_blocks: true,
            auto_rollback: false,
            require_evidence: false,
            owner_review: false,
            confirmed_by_cd: false,
        };
        match kind {
            EnvironmentKind::Development | EnvironmentKind::Preview => base,
            EnvironmentKind::PreProduction => Self {
                required_approvals: 1,
                ..base
            },
            EnvironmentKind::Production => Self {
                required_approvals: 2,
                wait_timer: Duration::minutes(10),
                auto_rollback: true,
                ..base
            },
        }
    }

    /// This policy as a direct lane applies it (a hotfix track): no soak, no
    /// wait, and only the lane's own approvals; gates, freezes (which the
    /// lane may break with a reason) and evidence as the environment says.
    pub fn for_direct_lane(self, approvals: u8) -> Self {
        Self {
            required_approvals: approvals,
            wait_timer: Duration::zero(),
            soak: None,
            ..self
        }
    }

    /// The policy, if its values make sense.
    pub fn validated(self) -> Result<Self, PolicyError> {
        let environment = self.environment.clone();
        if !self.approver_role.is_approver() {
            return Err(PolicyError::NotAnApproverRole {
                environment,
                role: self.approver_role.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults(name: &str) -> EnvironmentPolicy {
        let kind = match name {
            "dev" => EnvironmentKind::Development,
            "stage" | "staging" => EnvironmentKind::PreProduction,
            _ => EnvironmentKind::Production,
        };
        EnvironmentPolicy::defaults_for(&Environment::parse(name).unwrap(), kind)
    }

    #[test]
    fn the_defaults_follow_the_kind_and_seed_001() {
        let env = |n: &str| Environment::parse(n).unwrap();
        let any = env("anything");
        let dev = EnvironmentPolicy::defaults_for(&any, EnvironmentKind::Development);
        assert_eq!(
            (dev.required_approvals, dev.wait_timer),
            (0, Duration::zero())
        );
        let preview = EnvironmentPolicy::defaults_for(&any, EnvironmentKind::Preview);
        assert_eq!(preview.required_approvals, 0);

        let stage =
            EnvironmentPolicy::defaults_for(&env("eu-stage"), EnvironmentKind::PreProduction);
        assert_eq!(stage.required_approvals, 1);
        assert_eq!(stage.approver_role, Role::approver("eu-stage"));
        assert_eq!(stage.soak, None);

        let prod = EnvironmentPolicy::defaults_for(&env("mainnet"), EnvironmentKind::Production);
        assert_eq!(prod.required_approvals, 2);
        assert_eq!(prod.approver_role, Role::approver("mainnet"));
        assert_eq!(prod.wait_timer, Duration::minutes(10));
        assert!(prod.auto_rollback);

        for p in [dev, preview, stage, prod] {
            assert!(!p.requester_may_approve, "{}", p.environment);
            assert!(p.require_gates && p.freeze_blocks, "{}", p.environment);
            assert_eq!(p.clone().validated(), Ok(p));
        }
    }

    #[test]
    fn a_direct_lane_drops_the_soak_and_the_wait_and_keeps_its_own_approvals() {
        let staging = EnvironmentPolicy {
            soak: Some(Duration::days(7)),
            ..defaults("prod")
        };
        let lane = staging.clone().for_direct_lane(0);
        assert_eq!(
            (lane.required_approvals, lane.wait_timer, lane.soak),
            (0, Duration::zero(), None)
        );
        assert_eq!(
            (lane.require_gates, lane.freeze_blocks),
            (staging.require_gates, staging.freeze_blocks)
        );
        assert_eq!(staging.for_direct_lane(1).required_approvals, 1);
    }

    #[test]
    fn only_an_approver_role_may_approve() {
        let p = EnvironmentPolicy {
            approver_role: Role::Admin,
            ..defaults("prod")
        };
        assert_eq!(
            p.validated().unwrap_err().to_string(),
            "approvals for prod must come from an approver role (approver:<environment>), not admin"
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
        assert_eq!(json["approver_role"], "approver:prod");
        assert_eq!(
            serde_json::from_value::<EnvironmentPolicy>(json.clone()).unwrap(),
            prod
        );
        let mut bad = json;
        bad["wait_timer_secs"] = serde_json::json!(i64::MAX);
        assert!(serde_json::from_value::<EnvironmentPolicy>(bad).is_err());
    }
}
