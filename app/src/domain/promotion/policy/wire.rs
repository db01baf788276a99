//! The wire and stored form of [`EnvironmentPolicy`]: durations in whole
//! seconds, validated on the way in (and its schema in the API's document).

use super::{EnvironmentPolicy, PolicyError};
use crate::domain::access::Role;
use crate::domain::promotion::Environment;
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// The policy in the API's document is its wire form.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for EnvironmentPolicy {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <RawPolicy as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for EnvironmentPolicy {
    fn name() -> std::borrow::Cow<'static, str> {
        <RawPolicy as utoipa::ToSchema>::name()
    }
}

/// An environment's promotion policy as it is stored and sent, its
/// durations in whole seconds (`wait_timer_secs`, `soak_secs`).
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = EnvironmentPolicy))]
#[serde(deny_unknown_fields)]
pub(super) struct RawPolicy {
    #[cfg_attr(
        feature = "ssr",
        schema(value_type = String, pattern = "^[a-z][a-z0-9-]{0,31}$")
    )]
    environment: Environment,
    #[cfg_attr(feature = "ssr", schema(maximum = 255))]
    required_approvals: u8,
    /// `approver:<environment>` (or another role).
    #[cfg_attr(
        feature = "ssr",
        schema(
            value_type = String,
            pattern = "^(viewer|owner|captain|admin|approver:[a-z][a-z0-9-]{0,31})$"
        )
    )]
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
    /// Absent in policies stored before owner review existed.
    #[serde(default)]
    owner_review: bool,
    /// Absent in policies stored before CD confirmed deploys.
    #[serde(default)]
    confirmed_by_cd: bool,
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
            owner_review: raw.owner_review,
            confirmed_by_cd: raw.confirmed_by_cd,
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
            owner_review: p.owner_review,
            confirmed_by_cd: p.confirmed_by_cd,
        }
    }
}
