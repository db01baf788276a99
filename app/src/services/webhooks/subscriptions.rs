//! Subscriptions: added, changed, rotated and removed by admins, each with
//! its audit record; the secret is shown once, when it is made.

use super::policy::notification_policy;
use super::rows::WebhookRow;
use super::secret;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, WebhookChange, WebhookFields};
use crate::domain::text::LINE;
use crate::domain::webhook::{
    allow::AllowList, url::refused, Audience, Channels, Destination, Filter, Format, WebhookUrl,
};
use crate::error::{bad_field as bad, optional_text_field, text_field, AppError};
use crate::models::webhook::{CreatedWebhook, RotatedSecret, WebhookInput, WebhookView};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};

/// How long a rotated-out secret signs when nobody says.
const DEFAULT_GRACE_HOURS: u16 = 24;

fn allowed(actor: &Actor) -> Result<(), AppError> {
    authorize(actor, Action::ManageWebhooks, &Resource::Webhooks)
}

#[tracing::instrument(skip_all, fields(actor = %actor.name))]
pub async fn create_webhook(
    pool: &PgPool,
    actor: &Actor,
    input: &WebhookInput,
    channels: &Channels,
    now: DateTime<Utc>,
) -> Result<CreatedWebhook, AppError> {
    allowed(actor)?;
    let (fields, format) = parse(input, channels).await?;
    let secret = secret::generate();
    let mut tx = begin_write(pool).await?;
    known_tracks(&mut tx, &fields.tracks).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO webhook_subscription (url, description, event_types, tracks, trains,
             enabled, format, audience, secret, after_event_id, created_by, created_at,
             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                 (SELECT COALESCE(max(event_id), 0) FROM webhook_event), $10, $11, $11)
         RETURNING webhook_id",
        fields.url,
        fields.description,
        &fields.events,
        &fields.tracks,
        &fields.trains,
        fields.enabled,
        format.as_str(),
        fields.audience,
        secret,
        actor.name,
        now,
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change::Webhook {
        id,
        change: WebhookChange::Saved {
            before: None,
            after: fields,
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    let webhook = view(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(CreatedWebhook { webhook, secret })
}

/// Replaces a subscription's settings. Enabling one Trainyard turned off
/// clears why it did, and its failures start over.
#[tracing::instrument(skip_all, fields(actor = %actor.name, id))]
pub async fn update_webhook(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    input: &WebhookInput,
    channels: &Channels,
    now: DateTime<Utc>,
) -> Result<WebhookView, AppError> {
    allowed(actor)?;
    let (fields, format) = parse(input, channels).await?;
    let mut tx = begin_write(pool).await?;
    let before = load(&mut tx, id).await?;
    known_tracks(&mut tx, &fields.tracks).await?;
    sqlx::query!(
        "UPDATE webhook_subscription
         SET url = $2, description = $3, event_types = $4, tracks = $5, trains = $6,
             enabled = $7, updated_at = $8, format = $9, audience = $10,
             disabled_reason = CASE WHEN $7 THEN NULL ELSE disabled_reason END,
             failing_since = CASE WHEN $7 AND NOT enabled THEN NULL ELSE failing_since END
         WHERE webhook_id = $1",
        id,
        fields.url,
        fields.description,
        &fields.events,
        &fields.tracks,
        &fields.trains,
        fields.enabled,
        now,
        format.as_str(),
        fields.audience,
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::Webhook {
        id,
        change: WebhookChange::Saved {
            before: Some(before.fields()),
            after: fields,
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    let webhook = view(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(webhook)
}

/// Removes a subscription with its queue and log.
pub async fn delete_webhook(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    allowed(actor)?;
    let reason = text_field("reason", LINE, reason)?;
    if reason.is_empty() {
        return Err(bad(
            "reason",
            "say why the webhook goes (kept in the audit trail)",
        ));
    }
    let mut tx = begin_write(pool).await?;
    let before = load(&mut tx, id).await?;
    sqlx::query!("DELETE FROM webhook_subscription WHERE webhook_id = $1", id)
        .execute(&mut *tx)
        .await?;
    let change = Change::Webhook {
        id,
        change: WebhookChange::Deleted {
            before: before.fields(),
            reason,
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A new secret; the previous one keeps signing for `grace_hours` so that
/// receivers can switch without missing a delivery.
pub async fn rotate_secret(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    grace_hours: Option<u16>,
    now: DateTime<Utc>,
) -> Result<RotatedSecret, AppError> {
    allowed(actor)?;
    let hours = grace_hours.unwrap_or(DEFAULT_GRACE_HOURS);
    if hours > 168 {
        return Err(bad(
            "grace_hours",
            "a rotation's grace is at most 168 hours (a week)",
        ));
    }
    let previous_until = now + Duration::hours(i64::from(hours));
    let secret = secret::generate();
    let mut tx = begin_write(pool).await?;
    load(&mut tx, id).await?;
    sqlx::query!(
        "UPDATE webhook_subscription
         SET previous_secret = secret, previous_secret_expires_at = $3, secret = $2,
             updated_at = $4
         WHERE webhook_id = $1",
        id,
        secret,
        previous_until,
        now,
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::Webhook {
        id,
        change: WebhookChange::SecretRotated { previous_until },
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(RotatedSecret {
        secret,
        previous_expires_at: previous_until,
    })
}

pub async fn list_webhooks(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<WebhookView>, AppError> {
    allowed(actor)?;
    let mut conn = pool.acquire().await?;
    let policy = notification_policy(&mut conn).await?;
    let rows = sqlx::query_as!(
        WebhookRow,
        "SELECT webhook_id, url, description, event_types, tracks, trains, enabled, format,
                audience, disabled_reason, failing_since, previous_secret_expires_at, created_by,
                created_at, updated_at
         FROM webhook_subscription ORDER BY webhook_id"
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.view(now, policy.as_ref()))
        .collect())
}

/// Whether subscriptions may be e-mailed here (an SMTP relay is
/// configured), for the forms to offer that format only then.
pub fn email_offered(actor: &Actor, channels: &Channels) -> Result<bool, AppError> {
    allowed(actor)?;
    Ok(channels.email)
}

pub async fn get_webhook(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<WebhookView, AppError> {
    allowed(actor)?;
    let mut conn = pool.acquire().await?;
    view(&mut conn, id, now).await
}

/// A subscription as the pages show it, muted as the policy says.
async fn view(
    conn: &mut PgConnection,
    id: i64,
    now: DateTime<Utc>,
) -> Result<WebhookView, AppError> {
    let policy = notification_policy(conn).await?;
    Ok(load(conn, id).await?.view(now, policy.as_ref()))
}

pub(super) async fn load(conn: &mut PgConnection, id: i64) -> Result<WebhookRow, AppError> {
    sqlx::query_as!(
        WebhookRow,
        "SELECT webhook_id, url, description, event_types, tracks, trains, enabled, format,
                audience, disabled_reason, failing_since, previous_secret_expires_at, created_by,
                created_at, updated_at
         FROM webhook_subscription WHERE webhook_id = $1",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("webhook {id}")))
}

/// The input checked: a known format this deployment can send, a
/// destination that fits it (an http(s) URL the allow-list admits,
/// resolving a name it admits only by address, or a `mailto:` list for
/// e-mail), known event types, plain names.
async fn parse(
    input: &WebhookInput,
    channels: &Channels,
) -> Result<(WebhookFields, Format), AppError> {
    let format = Format::parse(&input.format).map_err(|m| bad("format", m))?;
    channels.offers(format).map_err(|m| bad("format", m))?;
    let destination =
        Destination::parse(&input.url, format, &channels.allow).map_err(|m| bad("url", m))?;
    if let Destination::Web(url) = &destination {
        if url.needs_resolution(&channels.allow) {
            resolves_within(url, &channels.allow).await?;
        }
    }
    let filter = Filter::parse(&input.events, &input.tracks, &input.trains)
        .map_err(|(field, m)| bad(field, m))?;
    let fields = WebhookFields {
        url: destination.to_url(),
        description: optional_text_field("description", LINE, Some(&input.description))?
            .unwrap_or_default(),
        events: filter.event_names(),
        tracks: filter.tracks().to_vec(),
        trains: filter.trains().to_vec(),
        enabled: input.enabled,
        format: format.as_str().to_owned(),
        audience: Audience::parse(input.audience.as_deref().unwrap_or_default())
            .map_err(|m| bad("audience", m))?
            .map(String::from),
    };
    Ok((fields, format))
}

async fn resolves_within(url: &WebhookUrl, allow: &AllowList) -> Result<(), AppError> {
    let addresses: Vec<_> = tokio::net::lookup_host((url.host(), url.port()))
        .await
        .map_err(|e| bad("url", format!("{} does not resolve: {e}", url.host())))?
        .collect();
    if addresses.is_empty() || !addresses.iter().all(|a| allow.allows_address(a.ip())) {
        return Err(bad("url", refused(url.host(), allow)));
    }
    Ok(())
}

/// Refuses a track Trainyard does not have: a typo would otherwise make a
/// subscription that hears nothing, silently.
async fn known_tracks(tx: &mut PgConnection, tracks: &[String]) -> Result<(), AppError> {
    if tracks.is_empty() {
        return Ok(());
    }
    let known = sqlx::query_scalar!("SELECT name FROM track WHERE name = ANY($1)", tracks)
        .fetch_all(&mut *tx)
        .await?;
    match tracks.iter().find(|t| !known.contains(t)) {
        None => Ok(()),
        Some(unknown) => Err(bad("tracks", format!("no track named {unknown}"))),
    }
}
