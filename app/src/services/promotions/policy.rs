//! Promotion policies per environment, kept on each environment's record.

use crate::domain::access::{Action, Resource, Role};
use crate::domain::change::Change;
use crate::domain::promotion::{Environment, EnvironmentKind, EnvironmentPolicy};
use crate::error::bad_field as field;
use crate::error::{AppError, ResultExt};
use crate::services::access::{authorize, authorize_read};
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

fn no_such(env: &Environment) -> AppError {
    AppError::NotFound(format!("environment {env}"))
}

/// The policy of promoting into `env`.
pub(crate) async fn policy_for(
    conn: &mut PgConnection,
    env: &Environment,
) -> Result<EnvironmentPolicy, AppError> {
    let stored = sqlx::query_scalar!(
        "SELECT policy FROM environment WHERE name = $1",
        env.as_str()
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| no_such(env))?;
    serde_json::from_value(stored).or_internal("stored promotion data does not parse")
}

/// Every environment's policy: one query, whichever environments the
/// trains being judged are in.
pub(crate) struct Policies {
    stored: HashMap<String, EnvironmentPolicy>,
}

impl Policies {
    pub async fn load(conn: &mut PgConnection) -> Result<Self, AppError> {
        let rows = sqlx::query!("SELECT name, policy FROM environment")
            .fetch_all(&mut *conn)
            .await?;
        let stored = rows
            .into_iter()
            .map(|r| {
                let policy = serde_json::from_value(r.policy)
                    .or_internal("stored promotion data does not parse")?;
                Ok((r.name, policy))
            })
            .collect::<Result<_, AppError>>()?;
        Ok(Self { stored })
    }

    /// The policy of `env`; an environment that has no record (removed
    /// while a train's history still names it) is treated as strictly as
    /// production.
    pub fn of(&self, env: &Environment) -> EnvironmentPolicy {
        self.stored
            .get(env.as_str())
            .cloned()
            .unwrap_or_else(|| EnvironmentPolicy::defaults_for(env, EnvironmentKind::Production))
    }
}

/// Every environment's policy, in the order of promotion.
pub async fn list_policies(
    pool: &PgPool,
    actor: &Actor,
) -> Result<Vec<EnvironmentPolicy>, AppError> {
    authorize_read(actor)?;
    let rows = sqlx::query_scalar!("SELECT policy FROM environment ORDER BY position, name")
        .fetch_all(pool)
        .await?;
    rows.into_iter()
        .map(|p| serde_json::from_value(p).or_internal("stored promotion data does not parse"))
        .collect()
}

/// The policy form as submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyForm {
    pub environment: String,
    pub required_approvals: String,
    pub approver_role: String,
    pub requester_may_approve: bool,
    /// Seconds.
    pub wait_timer: String,
    pub require_gates: bool,
    /// Hours; empty for no soak.
    pub soak_hours: String,
    pub freeze_blocks: bool,
    pub auto_rollback: bool,
    pub require_evidence: bool,
    pub owner_review: bool,
    pub confirmed_by_cd: bool,
}

fn number(name: &str, raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| field(name, format!("{:?} is not a whole number", raw.trim())))
}

fn parse(form: &PolicyForm) -> Result<EnvironmentPolicy, AppError> {
    let environment = Environment::parse(&form.environment).map_err(|e| field("environment", e))?;
    let required = number("required_approvals", &form.required_approvals)?;
    let required_approvals = u8::try_from(required).map_err(|_| {
        field(
            "required_approvals",
            "give a number of approvals from 0 to 10",
        )
    })?;
    let approver_role = Role::parse(&form.approver_role).ok_or_else(|| {
        field(
            "approver_role",
            format!("{:?} is not a role", form.approver_role),
        )
    })?;
    let wait = number("wait_timer", &form.wait_timer)?;
    let soak = match form.soak_hours.trim() {
        "" | "0" => None,
        hours => Some(Duration::hours(number("soak_hours", hours)?)),
    };
    EnvironmentPolicy {
        environment,
        required_approvals,
        approver_role,
        requester_may_approve: form.requester_may_approve,
        wait_timer: Duration::seconds(wait),
        require_gates: form.require_gates,
        soak,
        freeze_blocks: form.freeze_blocks,
        auto_rollback: form.auto_rollback,
        require_evidence: form.require_evidence,
        owner_review: form.owner_review,
        confirmed_by_cd: form.confirmed_by_cd,
    }
    .validated()
    .map_err(|e| {
        let name = match e {
            crate::domain::promotion::PolicyError::NotAnApproverRole { .. } => "approver_role",
            crate::domain::promotion::PolicyError::TooManyApprovals { .. } => "required_approvals",
            crate::domain::promotion::PolicyError::NegativeWait { .. }
            | crate::domain::promotion::PolicyError::WaitTooLong { .. } => "wait_timer",
            _ => "soak_hours",
        };
        field(name, e)
    })
}

/// Replaces an environment's policy from the admin form.
pub async fn save_policy(
    pool: &PgPool,
    actor: &Actor,
    form: &PolicyForm,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::ManagePolicy, &Resource::Gates)?;
    store_policy(pool, actor, parse(form)?, now).await
}

/// Replaces an environment's policy (admins), audited with before and after.
#[tracing::instrument(skip(pool))]
pub async fn store_policy(
    pool: &PgPool,
    actor: &Actor,
    policy: EnvironmentPolicy,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::ManagePolicy, &Resource::Gates)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    write_policy(&mut tx, actor, policy, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces an environment's policy with its `policy.update` record, inside
/// the caller's transaction.
pub(crate) async fn write_policy(
    tx: &mut PgConnection,
    actor: &Actor,
    policy: EnvironmentPolicy,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let before = policy_for(&mut *tx, &policy.environment).await?;
    if before == policy {
        return Ok(());
    }
    let value = serde_json::to_value(&policy).or_internal("writing a promotion policy")?;
    sqlx::query!(
        "UPDATE environment SET policy = $2, updated_by = $3, updated_at = $4 WHERE name = $1",
        policy.environment.as_str(),
        value,
        actor.name,
        now
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::PolicyUpdated {
        environment: policy.environment.to_string(),
        before: serde_json::to_value(&before).ok(),
        after: value,
    };
    changes::record(tx, actor, change, now).await
}
