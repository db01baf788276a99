//! CI tokens: created by admins (or the command line), shown once, stored as
//! a SHA-256 hash, accepted as `Authorization: Bearer`, revocable.

use crate::domain::access::{Action, Reach, Resource, ScopeSet, TokenName};
use crate::domain::change::{Change, TokenChange};
use crate::error::bad_field as bad;
use crate::error::AppError;
use crate::models::access::{CreatedToken, TokenSummary};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};

/// What every secret starts with, so scanners and people can recognise one.
const SECRET_PREFIX: &str = "tyd_";

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Creates a token with `scopes` (comma-separated). `tracks` and `trains`
/// (comma-separated, each may be blank) limit it to the trains of those
/// tracks and to those trains; both blank, it may act on every train.
// The two doors hand over their fields as they came; bundling them would
// only move the list into a struct each door fills the same way.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip(pool, actor), fields(actor = %actor.name))]
pub async fn create_token(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    scopes: &str,
    tracks: &str,
    trains: &str,
    expires_in_days: Option<i64>,
    now: DateTime<Utc>,
) -> Result<CreatedToken, AppError> {
    authorize(actor, Action::ManageTokens, &Resource::Tokens)?;
    let name = TokenName::parse(name).map_err(|m| bad("name", m))?;
    let scopes = ScopeSet::parse(scopes).map_err(|m| bad("scopes", m))?;
    let reach = Reach::parse(tracks, trains).map_err(|(field, m)| bad(field, m))?;
    let expires_at = expiry(expires_in_days, now)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = format!("{SECRET_PREFIX}{}", hex::encode(bytes));
    let prefix = secret[..SECRET_PREFIX.len() + 6].to_owned();
    let mut tx = crate::services::audit::begin_write(pool).await?;
    known_tracks(&mut tx, &reach).await?;
    let inserted = sqlx::query!(
        "INSERT INTO api_token (name, token_hash, prefix, scopes, tracks, trains, created_by,
                               created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        name.as_str(),
        hash(&secret),
        prefix,
        &scopes.names(),
        &reach.track_names(),
        &reach.train_names(),
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
        tracks: reach.track_names(),
        trains: reach.train_names(),
        created_by: actor.name.clone(),
        created_at: now,
        expires_at,
        revoked_at: None,
        last_used_at: None,
        active: true,
    };
    let change = Change::Token {
        name: name.to_string(),
        change: TokenChange::Created {
            scopes: token.scopes.clone(),
            tracks: token.tracks.clone(),
            trains: token.trains.clone(),
            prefix: token.prefix.clone(),
            expires_at,
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(CreatedToken { token, secret })
}

/// When a token given `days` to live expires; never without.
fn expiry(days: Option<i64>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, AppError> {
    match days {
        None => Ok(None),
        Some(days) if days > 0 => Ok(Some(now + Duration::days(days))),
        Some(days) => Err(bad(
            "expires_in_days",
            format!("{days} is not a positive number of days"),
        )),
    }
}

/// Refuses a reach that lists a track Trainyard does not have: a typo would
/// otherwise make a token that may act on nothing, silently. (Trains may be
/// named before they exist: a pipeline gets its token before its first run.)
async fn known_tracks(tx: &mut PgConnection, reach: &Reach) -> Result<(), AppError> {
    if !reach.lists_tracks() {
        return Ok(());
    }
    let known = sqlx::query_scalar!("SELECT name FROM track ORDER BY position, name")
        .fetch_all(&mut *tx)
        .await?;
    match reach.track_names().into_iter().find(|t| !known.contains(t)) {
        None => Ok(()),
        Some(unknown) => Err(bad(
            "tracks",
            format!(
                "no track named {unknown}; known tracks are {}",
                if known.is_empty() {
                    "none yet".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        )),
    }
}

pub async fn list_tokens(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<TokenSummary>, AppError> {
    authorize(actor, Action::ManageTokens, &Resource::Tokens)?;
    let rows = sqlx::query!(
        "SELECT name, prefix, scopes, tracks, trains, created_by, created_at, expires_at,
                revoked_at, last_used_at
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
            tracks: r.tracks,
            trains: r.trains,
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
    let change = Change::Token {
        name: name.to_owned(),
        change: TokenChange::Revoked { prefix: revoked },
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
        "SELECT api_token_id, name, scopes, tracks, trains, last_used_at FROM api_token
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
    let reach = Reach::from_stored(&row.tracks, &row.trains);
    Ok(Actor::token_with_reach(row.name, scopes, reach))
}

/// How precisely a token's last use is kept.
const LAST_USE_RESOLUTION: chrono::Duration = chrono::Duration::minutes(1);
