//! An environment as an admin describes it (a form, the API, a file): its
//! name, what it is for, its place in the order, and the parts of its
//! promotion policy that differ from its kind's defaults.

use super::access::Role;
use super::promotion::{Environment, EnvironmentKind, EnvironmentPolicy, PolicyError};
use super::service::{one_line_description, Invalid};
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// An environment as it arrives, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnvironmentInput {
    /// Lower-case letters, digits and `-`, starting with a letter. Optional
    /// when changing one: its address names it.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// `development`, `preview`, `pre-production` or `production`: the
    /// policy's defaults follow from it.
    pub kind: String,
    /// Where it comes in the order of promotion (lowest first); new ones go
    /// last when it is left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
    /// What differs from the kind's defaults; left out when changing an
    /// environment, its policy stays as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyInput>,
}

/// A promotion policy's settings, each optional: what is left out comes
/// from the environment's kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// Distinct approvals needed, 0 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(maximum = 255))]
    pub required_approvals: Option<u8>,
    /// The role approvers hold: `approver:<environment>` (any environment's
    /// name; an identity provider's group grants it through the role map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver_role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_may_approve: Option<bool>,
    /// Minutes to wait once approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_minutes: Option<i64>,
    /// Hours the release must have run clean in the environment before; 0
    /// for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soak_hours: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_gates: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freeze_blocks: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_rollback: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_evidence: Option<bool>,
    /// Each participant's owners (people or IdP groups) approve too (seed
    /// 004's component owners).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_review: Option<bool>,
    /// A promotion is done only when CD reports its deploys succeeded
    /// (off: recorded as done at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by_cd: Option<bool>,
}

/// An environment, every field checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvironmentSpec {
    pub name: Environment,
    pub description: String,
    pub kind: EnvironmentKind,
    pub position: Option<i32>,
    /// `None` when the input left the policy as it is.
    pub policy: Option<EnvironmentPolicy>,
}

fn invalid(field: impl Into<String>, message: impl ToString) -> Invalid {
    Invalid::new(field, message)
}

impl EnvironmentInput {
    pub fn parse(&self) -> Result<EnvironmentSpec, Invalid> {
        let name = Environment::parse(self.name.trim()).map_err(|e| invalid("name", e))?;
        let description = one_line_description(&self.description)?;
        let kind = EnvironmentKind::parse(&self.kind).map_err(|e| invalid("kind", e))?;
        if let Some(p) = self.position.filter(|p| !(0..=1000).contains(p)) {
            return Err(invalid(
                "position",
                format!("a position is 0 to 1000, not {p}"),
            ));
        }
        let policy = self
            .policy
            .as_ref()
            .map(|p| p.apply(EnvironmentPolicy::defaults_for(&name, kind)))
            .transpose()?;
        Ok(EnvironmentSpec {
            name,
            description,
            kind,
            position: self.position,
            policy,
        })
    }
}

impl PolicyInput {
    /// `base` with this input's settings over it, checked.
    pub fn apply(&self, base: EnvironmentPolicy) -> Result<EnvironmentPolicy, Invalid> {
        let approver_role = match self.approver_role.as_deref() {
            None => base.approver_role.clone(),
            Some(raw) => Role::parse(raw).ok_or_else(|| {
                invalid(
                    "policy.approver_role",
                    format!("{raw:?} is not a role; approvers hold approver:<environment>"),
                )
            })?,
        };
        let minutes = |m: i64| Duration::try_minutes(m).unwrap_or(Duration::MAX);
        let soak = match self.soak_hours {
            None => base.soak,
            Some(0) => None,
            Some(h) => Some(Duration::try_hours(h).unwrap_or(Duration::MAX)),
        };
        EnvironmentPolicy {
            required_approvals: self.required_approvals.unwrap_or(base.required_approvals),
            approver_role,
            requester_may_approve: self
                .requester_may_approve
                .unwrap_or(base.requester_may_approve),
            wait_timer: self.wait_minutes.map_or(base.wait_timer, minutes),
            soak,
            require_gates: self.require_gates.unwrap_or(base.require_gates),
            freeze_blocks: self.freeze_blocks.unwrap_or(base.freeze_blocks),
            auto_rollback: self.auto_rollback.unwrap_or(base.auto_rollback),
            require_evidence: self.require_evidence.unwrap_or(base.require_evidence),
            owner_review: self.owner_review.unwrap_or(base.owner_review),
            confirmed_by_cd: self.confirmed_by_cd.unwrap_or(base.confirmed_by_cd),
            ..base
        }
        .validated()
        .map_err(|e| {
            let field = match e {
                PolicyError::NotAnApproverRole { .. } => "policy.approver_role",
                PolicyError::TooManyApprovals { .. } => "policy.required_approvals",
                PolicyError::NegativeWait { .. } | PolicyError::WaitTooLong { .. } => {
                    "policy.wait_minutes"
                }
                PolicyError::SoakNotPositive { .. } | PolicyError::SoakTooLong { .. } => {
                    "policy.soak_hours"
                }
            };
            invalid(field, e)
        })
    }

    /// Every setting of `policy`, as a file or the API writes it back.
    pub fn of(policy: &EnvironmentPolicy) -> Self {
        Self {
            required_approvals: Some(policy.required_approvals),
            approver_role: Some(policy.approver_role.name()),
            requester_may_approve: Some(policy.requester_may_approve),
            wait_minutes: Some(policy.wait_timer.num_minutes()),
            soak_hours: Some(policy.soak.map_or(0, |s| s.num_hours())),
            require_gates: Some(policy.require_gates),
            freeze_blocks: Some(policy.freeze_blocks),
            auto_rollback: Some(policy.auto_rollback),
            require_evidence: Some(policy.require_evidence),
            // Written only when on, so that files from before it stay as they were.
            owner_review: policy.owner_review.then_some(true),
            confirmed_by_cd: policy.confirmed_by_cd.then_some(true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, kind: &str) -> EnvironmentInput {
        EnvironmentInput {
            name: name.into(),
            kind: kind.into(),
            ..EnvironmentInput::default()
        }
    }

    #[test]
    fn seed_001s_environments_are_their_kinds_with_one_change() {
        let preview = input("preview", "preview").parse().unwrap();
        assert_eq!(preview.kind, EnvironmentKind::Preview);
        assert_eq!(
            preview.policy, None,
            "no policy given: the kind's defaults apply"
        );
        let prod = EnvironmentInput {
            policy: Some(PolicyInput {
                auto_rollback: Some(false),
                ..PolicyInput::default()
            }),
            ..input("prod", "production")
        }
        .parse()
        .unwrap();
        let policy = prod.policy.unwrap();
        assert_eq!(policy.required_approvals, 2);
        assert_eq!(policy.wait_timer, Duration::minutes(10));
        assert!(!policy.auto_rollback);
        assert_eq!(policy.approver_role, Role::approver("prod"));
    }

    #[test]
    fn a_policy_written_back_reads_as_the_same_policy() {
        let env = Environment::parse("staging").unwrap();
        let policy = EnvironmentPolicy {
            soak: Some(Duration::days(7)),
            approver_role: Role::approver("stage"),
            ..EnvironmentPolicy::defaults_for(&env, EnvironmentKind::PreProduction)
        };
        let base = EnvironmentPolicy::defaults_for(&env, EnvironmentKind::Production);
        assert_eq!(PolicyInput::of(&policy).apply(base), Ok(policy));
    }

    #[test]
    fn each_problem_names_its_field() {
        let with = |p: PolicyInput| EnvironmentInput {
            policy: Some(p),
            ..input("prod", "production")
        };
        let cases = [
            (input("Prod", "production"), "name"),
            (input("prod", "live"), "kind"),
            (
                EnvironmentInput {
                    position: Some(-1),
                    ..input("prod", "production")
                },
                "position",
            ),
            (
                with(PolicyInput {
                    approver_role: Some("captain".into()),
                    ..PolicyInput::default()
                }),
                "policy.approver_role",
            ),
            (
                with(PolicyInput {
                    required_approvals: Some(11),
                    ..PolicyInput::default()
                }),
                "policy.required_approvals",
            ),
            (
                with(PolicyInput {
                    wait_minutes: Some(i64::MAX),
                    ..PolicyInput::default()
                }),
                "policy.wait_minutes",
            ),
            (
                with(PolicyInput {
                    soak_hours: Some(-5),
                    ..PolicyInput::default()
                }),
                "policy.soak_hours",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(input.parse().unwrap_err().field, field, "{input:?}");
        }
    }
}
