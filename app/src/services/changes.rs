//! The one write path of changes: every service records what it changed by
//! handing a typed [`Change`] to [`record`], in the transaction that made
//! the change. From it, in that transaction and in this order, come the
//! train timeline's entries, the audit record (linked into the chain), and
//! the live notice every open page listens for (delivered at commit, never
//! if the transaction rolls back), and the outbox event outgoing webhooks
//! are sent from (sent only once committed).

use crate::domain::change::{Change, TimelineEntry};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::{audit, webhooks};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Records `change`, made by `actor` at `at`, in the caller's transaction.
/// The transaction should have begun with `audit::begin_write`.
pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    change: Change,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    for entry in change.timeline() {
        append_to_timeline(conn, actor, &entry, at).await?;
    }
    let audited = change.audit();
    audit::append(conn, actor, &audited, at).await?;
    webhooks::outbox::enqueue(conn, actor, &change, &audited, at).await?;
    audit::announce(conn, &audited).await
}

async fn append_to_timeline(
    conn: &mut PgConnection,
    actor: &Actor,
    entry: &TimelineEntry,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO train_event (train_id, actor, kind, from_state, to_state, reason, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        entry.train_id,
        actor.name,
        entry.event.kind(),
        entry.states.as_ref().map(|s| s.from.as_str()),
        entry.states.as_ref().map(|s| s.to.as_str()),
        entry.reason,
        entry.event.detail(),
        at
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
