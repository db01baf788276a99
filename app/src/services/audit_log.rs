//! Reading the audit trail: the filtered, paged list and the chain check,
//! both behind the permission function.

use crate::domain::access::{Action, Resource};
use crate::error::AppError;
use crate::models::audit::{AuditFilter, AuditListing, AuditRecordView, ChainCheck};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::{verify_chain, VerifyError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::PgPool;

pub const PER_PAGE: i64 = 50;

fn day(field: &str, raw: &Option<String>) -> Result<Option<DateTime<Utc>>, AppError> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| Some(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()))
            .map_err(|_| AppError::BadRequest {
                field: Some(field.to_owned()),
                message: format!("{s:?} is not a date (YYYY-MM-DD)"),
            }),
    }
}

fn text(raw: &Option<String>) -> Option<String> {
    raw.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

pub async fn list(
    pool: &PgPool,
    actor: &Actor,
    filter: &AuditFilter,
) -> Result<AuditListing, AppError> {
    authorize(actor, Action::ReadAudit, &Resource::Audit)?;
    let from = day("from", &filter.from)?;
    // `to` is inclusive: everything before the next midnight.
    let to = day("to", &filter.to)?.map(|d| d + Duration::days(1));
    let (who, action, train) = (text(&filter.who), text(&filter.action), text(&filter.train));
    let page = filter.page.unwrap_or(1).max(1);
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM audit_record
           WHERE ($1::text IS NULL OR actor = $1 OR actor_name ILIKE '%' || $1 || '%')
             AND ($2::text IS NULL OR action LIKE $2 || '%')
             AND ($3::text IS NULL OR resource = 'train:' || $3)
             AND ($4::timestamptz IS NULL OR at >= $4)
             AND ($5::timestamptz IS NULL OR at < $5)"#,
        who,
        action,
        train,
        from,
        to,
    )
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query!(
        r#"SELECT audit_record_id, at, actor_kind, actor, actor_name, actor_roles, action, resource,
                  before::text AS before_text, after::text AS after_text, reason, ip, user_agent
           FROM audit_record
           WHERE ($1::text IS NULL OR actor = $1 OR actor_name ILIKE '%' || $1 || '%')
             AND ($2::text IS NULL OR action LIKE $2 || '%')
             AND ($3::text IS NULL OR resource = 'train:' || $3)
             AND ($4::timestamptz IS NULL OR at >= $4)
             AND ($5::timestamptz IS NULL OR at < $5)
           ORDER BY audit_record_id DESC
           LIMIT $6 OFFSET $7"#,
        who,
        action,
        train,
        from,
        to,
        PER_PAGE,
        (page - 1) * PER_PAGE,
    )
    .fetch_all(pool)
    .await?;
    Ok(AuditListing {
        records: rows
            .into_iter()
            .map(|r| AuditRecordView {
                id: r.audit_record_id,
                at: r.at,
                actor_kind: r.actor_kind,
                actor: r.actor,
                actor_name: r.actor_name,
                actor_roles: r.actor_roles,
                action: r.action,
                resource: r.resource,
                before: r.before_text,
                after: r.after_text,
                reason: r.reason,
                ip: r.ip,
                user_agent: r.user_agent,
            })
            .collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Checks the whole chain for an admin; a broken chain is a result, not an
/// error.
pub async fn check(pool: &PgPool, actor: &Actor) -> Result<ChainCheck, AppError> {
    authorize(actor, Action::VerifyAudit, &Resource::Audit)?;
    match verify_chain(pool).await {
        Ok(records) => Ok(ChainCheck {
            records,
            broken: None,
        }),
        Err(VerifyError::Broken(e)) => Ok(ChainCheck {
            records: 0,
            broken: Some((e.id(), e.to_string())),
        }),
        Err(VerifyError::Read(e)) => Err(e),
    }
}
