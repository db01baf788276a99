//! Writing and checking the audit trail. Records are written inside the
//! transaction of the change they describe.

use crate::domain::audit::{ActorKind, AuditEntry, ChainCheck, ChainError, StoredRecord, GENESIS};
use crate::domain::change::AuditFields;
use crate::error::{AppError, ResultExt};
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Begins a transaction that appends to the audit trail, holding the
/// chain's lock from the start. Each record links to the one committed
/// before it, so appending holds that lock until commit; a writer that took
/// it only after locking rows could wait for rows another writer holds while
/// that one waits for the chain, and Postgres would end one of them. Taking
/// it first gives every writer the same lock order: writers run one after
/// another (each a few milliseconds), and never deadlock. Row locks taken
/// after it are `FOR NO KEY UPDATE`, which a reference from a writer that
/// takes the chain's lock last (gate results) does not wait for.
pub async fn begin_write(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, AppError> {
    let mut tx = pool.begin().await?;
    take_chain_lock(&mut tx).await?;
    Ok(tx)
}

/// The chain's lock, held until the transaction ends (taking it again in
/// the same transaction is free).
pub async fn take_chain_lock(conn: &mut PgConnection) -> Result<(), AppError> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('trainyard.audit'))")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Appends a change's record to the chain (only `changes::record` calls
/// this). The transaction-scoped lock orders concurrent writers, so each
/// links to the record committed before it.
pub(super) async fn append(
    conn: &mut PgConnection,
    actor: &Actor,
    change: &AuditFields,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    take_chain_lock(conn).await?;
    let prev: Vec<u8> =
        sqlx::query_scalar!("SELECT hash FROM audit_record ORDER BY audit_record_id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_else(|| GENESIS.to_vec());
    let prev_hash: [u8; 32] = prev
        .as_slice()
        .try_into()
        .or_internal("the last record's hash")?;
    // Postgres keeps microseconds; the hash must cover what is stored.
    let at =
        DateTime::from_timestamp_micros(now.timestamp_micros()).or_internal("the record's time")?;
    let entry = AuditEntry {
        at,
        actor_kind: actor.kind.clone(),
        actor: actor.name.clone(),
        actor_name: actor.display_name.clone(),
        actor_roles: actor.roles(),
        action: change.action.as_str().to_owned(),
        resource: change.resource.clone(),
        before: change.before.clone(),
        after: change.after.clone(),
        reason: change.reason.clone(),
        ip: actor.ip.clone(),
        user_agent: actor.user_agent.clone(),
    };
    let hash = entry.hash(&prev_hash);
    sqlx::query!(
        "INSERT INTO audit_record (at, actor_kind, actor, actor_name, actor_roles, action, resource, before, after,
                                   reason, ip, user_agent, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        entry.at,
        entry.actor_kind.as_str(),
        entry.actor,
        entry.actor_name,
        &entry.actor_roles,
        entry.action,
        entry.resource,
        entry.before,
        entry.after,
        entry.reason,
        entry.ip,
        entry.user_agent,
        &prev_hash[..],
        &hash[..]
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Announces a change on [`CHANGES_CHANNEL`]; Postgres delivers it when the
/// transaction commits (and never if it rolls back), and every open page
/// showing the resource refreshes.
pub(super) async fn announce(
    conn: &mut PgConnection,
    change: &AuditFields,
) -> Result<(), AppError> {
    let notice =
        serde_json::json!({ "action": change.action.as_str(), "resource": change.resource });
    sqlx::query!(
        "SELECT pg_notify($1, $2)",
        CHANGES_CHANNEL,
        notice.to_string()
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The Postgres channel every committed change is announced on.
pub const CHANGES_CHANNEL: &str = "trainyard_changes";

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Broken(#[from] ChainError),
    #[error("the audit trail could not be read: {0}")]
    Read(#[from] AppError),
}

/// How many records one read of the chain check holds.
const VERIFY_PAGE: i64 = 5_000;

/// Checks the whole chain, a page at a time (a trail of a million records
/// is never in memory whole); returns how many records it holds. The next
/// page is read while the current one is hashed.
pub async fn verify_chain(pool: &PgPool) -> Result<usize, VerifyError> {
    let mut chain = ChainCheck::default();
    let mut page = read_page(pool, 0).await?;
    while !page.is_empty() {
        let last = page.last().map_or(0, |r| r.id);
        let next = tokio::spawn({
            let pool = pool.clone();
            async move { read_page(&pool, last).await }
        });
        let checked = tokio::task::spawn_blocking(move || {
            for r in &page {
                chain.push(r)?;
            }
            Ok::<_, ChainError>(chain)
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "the chain check stopped");
            AppError::Internal
        })?;
        chain = checked?;
        page = next.await.map_err(|e| {
            tracing::error!(error = %e, "reading the audit trail stopped");
            AppError::Internal
        })??;
    }
    Ok(chain.count())
}

/// The records after `after`, in chain order.
async fn read_page(pool: &PgPool, after: i64) -> Result<Vec<StoredRecord>, AppError> {
    let rows = sqlx::query!(
        "SELECT audit_record_id, at, actor_kind, actor, actor_name, actor_roles, action, resource, before, after,
                reason, ip, user_agent, prev_hash, hash
         FROM audit_record WHERE audit_record_id > $1 ORDER BY audit_record_id LIMIT $2",
        after,
        VERIFY_PAGE
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredRecord {
            id: r.audit_record_id,
            entry: AuditEntry {
                at: r.at,
                // An unknown kind cannot hash to the stored value, so it shows as altered.
                actor_kind: ActorKind::parse(&r.actor_kind).unwrap_or(ActorKind::System),
                actor: r.actor,
                actor_name: r.actor_name,
                actor_roles: r.actor_roles,
                action: r.action,
                resource: r.resource,
                before: r.before,
                after: r.after,
                reason: r.reason,
                ip: r.ip,
                user_agent: r.user_agent,
            },
            prev_hash: r.prev_hash,
            hash: r.hash,
        })
        .collect())
}
