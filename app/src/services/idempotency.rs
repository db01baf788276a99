//! Idempotency keys: a write retried with the same key (a double click, a
//! client retrying after a timeout) returns the first answer instead of
//! acting twice.

use crate::error::{AppError, ResultExt};
use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::PgConnection;

/// Claims `key` for `actor` inside the caller's transaction. `Ok(None)`: the
/// key is new, go on (and call [`answer`] before committing). `Ok(Some(r))`:
/// the same write already happened; `r` is its answer. A concurrent claim of
/// the same key waits here until the first transaction ends.
pub async fn claim<T: DeserializeOwned>(
    conn: &mut PgConnection,
    actor: &str,
    key: &str,
    action: &str,
    now: DateTime<Utc>,
) -> Result<Option<T>, AppError> {
    let key = key.trim();
    if !(8..=128).contains(&key.len()) {
        return Err(AppError::BadRequest {
            field: Some("key".into()),
            message: "an idempotency key has 8 to 128 characters".into(),
        });
    }
    let claimed = sqlx::query_scalar!(
        "INSERT INTO idempotency_key (actor, key, action, response, created_at)
         VALUES ($1, $2, $3, 'null', $4) ON CONFLICT (actor, key) DO NOTHING RETURNING key",
        actor,
        key,
        action,
        now
    )
    .fetch_optional(&mut *conn)
    .await?;
    if claimed.is_some() {
        return Ok(None);
    }
    let stored = sqlx::query!(
        "SELECT action, response FROM idempotency_key WHERE actor = $1 AND key = $2",
        actor,
        key
    )
    .fetch_one(&mut *conn)
    .await?;
    if stored.action != action {
        return Err(AppError::Conflict(format!(
            "this idempotency key was already used for {}",
            stored.action
        )));
    }
    serde_json::from_value(stored.response)
        .map(Some)
        .or_internal("a stored idempotent answer")
}

/// Records the answer to a claimed key (same transaction as the write).
pub async fn answer<T: Serialize>(
    conn: &mut PgConnection,
    actor: &str,
    key: &str,
    response: &T,
) -> Result<(), AppError> {
    let response = serde_json::to_value(response).or_internal("writing an idempotent answer")?;
    sqlx::query!(
        "UPDATE idempotency_key SET response = $3 WHERE actor = $1 AND key = $2",
        actor,
        key.trim(),
        response
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
