//! Reading the audit trail: the filtered, paged list and the chain check,
//! both behind the permission function.

use crate::domain::access::{Action, Resource};
use crate::domain::keyset::{PageAt, PageLinks};
use crate::error::bad_field as bad;
use crate::error::AppError;
use crate::models::audit::{AuditFilter, AuditListing, AuditRecordView, ChainCheck};
use crate::models::MatchCount;
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
    // A prefix, matched literally (`gate_results.` has an underscore).
    let action = action.map(|a| {
        format!(
            "{}%",
            a.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    });
    let at = PageAt::<i64>::parse(filter.after.as_deref(), filter.before.as_deref())
        .map_err(|e| bad(e.0, e))?;
    let (after, before) = match at {
        PageAt::First => (i64::MAX, 0),
        PageAt::After(id) => (id, 0),
        PageAt::Before(id) => (i64::MAX, id),
    };
    let mut conn = pool.begin().await?;
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM (
               SELECT 1 FROM audit_record
               WHERE ($1::text IS NULL OR actor = $1 OR lower(actor_name) = lower($1))
                 AND ($2::text IS NULL OR action LIKE $2)
                 AND ($3::text IS NULL OR resource = 'train:' || $3)
                 AND ($4::timestamptz IS NULL OR at >= $4)
                 AND ($5::timestamptz IS NULL OR at < $5)
               LIMIT $6) matching"#,
        who,
        action,
        train,
        from,
        to,
        MatchCount::LIMIT + 1
    )
    .fetch_one(&mut *conn)
    .await?;
    // Newest first; a page before a key is read oldest first, then turned.
    let rows = sqlx::query!(
        r#"SELECT audit_record_id, at, actor_kind, actor, actor_name, actor_roles, action, resource,
                  before::text AS before_text, after::text AS after_text, reason, ip, user_agent
           FROM audit_record
           WHERE ($1::text IS NULL OR actor = $1 OR lower(actor_name) = lower($1))
             AND ($2::text IS NULL OR action LIKE $2)
             AND ($3::text IS NULL OR resource = 'train:' || $3)
             AND ($4::timestamptz IS NULL OR at >= $4)
             AND ($5::timestamptz IS NULL OR at < $5)
             AND audit_record_id < $6 AND audit_record_id > $7
           ORDER BY CASE WHEN $7 > 0 THEN audit_record_id END ASC,
                    audit_record_id DESC
           LIMIT $8"#,
        who,
        action,
        train,
        from,
        to,
        after,
        before,
        PER_PAGE + 1,
    )
    .fetch_all(&mut *conn)
    .await?;
    let records = rows
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
        .collect();
    let (records, links) =
        PageLinks::settle(&at, records, PER_PAGE as usize, |r: &AuditRecordView| r.id);
    Ok(AuditListing {
        records,
        total: MatchCount::from_capped(total),
        links,
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
