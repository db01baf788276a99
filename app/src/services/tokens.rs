//! CI tokens: created by admins (or the command line), shown once, stored as
//! a SHA-256 hash, accepted as `Authorization: Bearer`, revocable.

use crate::domain::access::{Action, Resource, ScopeSet, TokenName};
use crate::domain::change::Change;
use crate::error::bad_field as bad;
use crate::error::AppError;
use crate::models::access::{CreatedToken, TokenSummary};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// What every secret starts with, so scanners and people can recognise one.
const SECRET_PREFIX: &str = "tyd_";

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

#[tracing::instrument(skip(pool, actor), fields(actor = %actor.name))]
pub async fn create_token(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    scopes: &str,
    expires_in_days: Option<i64>,
    now: DateTime<Utc>,
) -> Result<CreatedToken, AppError> {
    authorize(actor, Action::ManageTokens, &Resource::Tokens)?;
    let name = TokenName::parse(name).map_err(|m| bad("name", m))?;
    let scopes = ScopeSet::parse(scopes).map_err(|m| bad("scopes", m))?;
    let expires_at = match expires_in_days {
        None => None,
        Some(days) if days > 0 => Some(now + Duration::days(days)),
        Some(days) => {
            return Err(bad(
                "expires_in_days",
                format!("{days} is not a positive number of days"),
            ))
        }
    };
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{SECRET_PREFIX}{}", hex::encode(bytes));
    let prefix = secret[..SECRET_PREFIX.len() + 6].to_owned();
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let inserted = sqlx::query!(
        "INSERT INTO api_token (name, token_hash, prefix, scopes, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        name.as_str(),
        hash(&secret),
        prefix,
        &scopes.names(),
        actor.name,
        now,
        expires_at,
    )
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::Conflict(format!(
            "an active token is already named {name}; revoke it first or pick another name"
        )));
    }
    let token = TokenSummary {
        name: name.to_string(),
        prefix,
        scopes: scopes.names(),
        created_by: actor.name.clone(),
        created_at: now,
        expires_at,
        revoked_at: None,
        last_used_at: None,
        active: true,
    };
    let change = Change::TokenCreated {
        name: name.to_string(),
        scopes: token.scopes.clone(),
        prefix: token.prefix.clone(),
        expires_at,
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(CreatedToken { token, secret })
}

pub async fn list_tokens(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<TokenSummary>, AppError> {
    authorize(actor, Action::ManageTokens, &Resource::Tokens)?;
    let rows = sqlx::query!(
        "SELECT name, prefix, scopes, created_by, created_at, expires_at, revoked_at, last_used_at
         FROM api_token ORDER BY revoked_at IS NOT NULL, created_at DESC, api_token_id DESC"
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TokenSummary {
            name: r.name,
            prefix: r.prefix,
            scopes: r.scopes,
            created_by: r.created_by,
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            last_used_at: r.last_used_at,
            active: r.revoked_at.is_none() && r.expires_at.is_none_or(|e| e > now),
        })
        .collect())
}

#[tracing::instrument(skip(pool, actor), fields(actor = %actor.name))]
pub async fn revoke_token(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::ManageTokens, &Resource::Tokens)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let revoked = sqlx::query_scalar!(
        "UPDATE api_token SET revoked_at = $2, revoked_by = $3
         WHERE name = $1 AND revoked_at IS NULL RETURNING prefix",
        name,
        now,
        actor.name,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("active token {name:?}")))?;
    let change = Change::TokenRevoked {
        name: name.to_owned(),
        prefix: revoked,
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The actor behind a bearer secret, or 401 when it is unknown, expired or
/// revoked.
pub async fn authenticate(
    pool: &PgPool,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Actor, AppError> {
    let row = sqlx::query!(
        "SELECT api_token_id, name, scopes, last_used_at FROM api_token
         WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
        hash(secret.trim()),
        now,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::Unauthenticated)?;
    // Kept to the minute: a CI job firing many requests at once must not
    // queue them on one row's lock (and a disk flush each) to say so.
    if row
        .last_used_at
        .is_none_or(|at| now - at >= LAST_USE_RESOLUTION)
    {
        sqlx::query!(
            "UPDATE api_token SET last_used_at = $2
             WHERE api_token_id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
            row.api_token_id,
            now
        )
        .execute(pool)
        .await?;
    }
    let scopes = ScopeSet::from_names(&row.scopes).map_err(|e| {
        tracing::error!(token = %row.name, error = %e, "stored token has unknown scopes");
        AppError::Internal
    })?;
    Ok(Actor::token(row.name, scopes))
}

/// How precisely a token's last use is kept.
const LAST_USE_RESOLUTION: chrono::Duration = chrono::Duration::minutes(1);
