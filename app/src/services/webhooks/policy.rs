//! The imported notification policy (seed 002's `notifications` block of
//! `config/upgrade-policies.yaml`), as the subscriptions obey it.

use super::rows::{audience_of, format_of};
use crate::domain::webhook::NotificationPolicy;
use crate::error::AppError;
use sqlx::PgConnection;

/// The policy's `notifications` block, if one was imported. One the code
/// cannot read (a schema out of step) is logged and mutes nothing: a
/// message too many beats a page nobody hears.
pub(crate) async fn notification_policy(
    conn: &mut PgConnection,
) -> Result<Option<NotificationPolicy>, AppError> {
    let stored = sqlx::query_scalar!(
        "SELECT value -> 'notifications' FROM setting WHERE key = 'release_trains'"
    )
    .fetch_optional(&mut *conn)
    .await?
    .flatten()
    .filter(|v| !v.is_null());
    Ok(stored.and_then(|value| {
        serde_json::from_value(value)
            .map_err(|e| tracing::error!(error = %e, "stored notification policy does not parse"))
            .ok()
    }))
}

/// What a notification policy does to the subscriptions: those it mutes
/// (enabled, with an audience, but a format or audience it does not list),
/// each with why, and the stakeholders and channels no enabled
/// subscription reaches (`release-managers by email`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyEffects {
    pub muted: Vec<String>,
    pub unreached: Vec<String>,
}

pub(crate) async fn policy_effects(
    conn: &mut PgConnection,
    policy: &NotificationPolicy,
) -> Result<PolicyEffects, AppError> {
    let rows = sqlx::query!(
        r#"SELECT webhook_id, url, format, audience AS "audience!"
           FROM webhook_subscription WHERE enabled AND audience IS NOT NULL
           ORDER BY webhook_id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut effects = PolicyEffects::default();
    let mut served = Vec::new();
    for row in rows {
        let format = format_of(row.webhook_id, &row.format);
        let Some(audience) = audience_of(row.webhook_id, Some(&row.audience)) else {
            continue;
        };
        match policy.mutes(format, &audience) {
            Some(why) => effects.muted.push(format!(
                "webhook {} ({}, {audience}, {}): {why}",
                row.webhook_id,
                format.as_str(),
                row.url
            )),
            None => served.push((format, audience)),
        }
    }
    effects.unreached = policy
        .unreached(&served)
        .iter()
        .map(ToString::to_string)
        .collect();
    Ok(effects)
}
