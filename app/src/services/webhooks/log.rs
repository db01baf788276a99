//! The delivery log of a subscription, and what an admin does from it:
//! send a delivery again, or send a test event.

use super::subscriptions::load;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, WebhookChange};
use crate::domain::webhook::Format;
use crate::error::AppError;
use crate::models::webhook::DeliveryView;
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

/// The most deliveries one page of the log shows.
pub const LOG_LIMIT: i64 = 100;

/// The newest deliveries of a subscription, newest first.
pub async fn list_deliveries(
    pool: &PgPool,
    actor: &Actor,
    webhook_id: i64,
    limit: i64,
) -> Result<Vec<DeliveryView>, AppError> {
    authorize(actor, Action::ManageWebhooks, &Resource::Webhooks)?;
    let mut conn = pool.acquire().await?;
    load(&mut conn, webhook_id).await?;
    let ids = sqlx::query_scalar!(
        "SELECT delivery_id FROM webhook_delivery WHERE webhook_id = $1
         ORDER BY delivery_id DESC LIMIT $2",
        webhook_id,
        limit.clamp(1, LOG_LIMIT)
    )
    .fetch_all(&mut *conn)
    .await?;
    views(&mut conn, &ids).await
}

/// Sends a delivery's event again, with the same `webhook-id` (a receiver
/// that already has it recognises it), behind anything still pending for
/// the same resource.
pub async fn redeliver(
    pool: &PgPool,
    actor: &Actor,
    webhook_id: i64,
    delivery_id: i64,
    now: DateTime<Utc>,
) -> Result<DeliveryView, AppError> {
    authorize(actor, Action::ManageWebhooks, &Resource::Webhooks)?;
    let mut tx = begin_write(pool).await?;
    load(&mut tx, webhook_id).await?;
    let event = sqlx::query!(
        "SELECT e.event_id, e.message_id, e.event_type, e.ordering_key
         FROM webhook_delivery d JOIN webhook_event e USING (event_id)
         WHERE d.delivery_id = $1 AND d.webhook_id = $2",
        delivery_id,
        webhook_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("delivery {delivery_id} of webhook {webhook_id}")))?;
    let id = queue_one(
        &mut tx,
        webhook_id,
        event.event_id,
        &event.ordering_key,
        now,
    )
    .await?;
    let change = Change::Webhook {
        id: webhook_id,
        change: WebhookChange::DeliveryQueued {
            message_id: event.message_id,
            event_type: event.event_type,
            test: false,
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    let view = views(&mut tx, &[id]).await?.remove(0);
    tx.commit().await?;
    Ok(view)
}

/// Sends a `webhook.test` event to this subscription alone, whatever it
/// asked for and even while it is turned off: it is how an admin checks
/// that a receiver verifies signatures before turning it on.
pub async fn send_test(
    pool: &PgPool,
    actor: &Actor,
    webhook_id: i64,
    now: DateTime<Utc>,
) -> Result<DeliveryView, AppError> {
    authorize(actor, Action::ManageWebhooks, &Resource::Webhooks)?;
    let mut tx = begin_write(pool).await?;
    let subscription = load(&mut tx, webhook_id).await?;
    let resource = format!("webhook:{webhook_id}");
    let message = if subscription.format == Format::Email.as_str() {
        "A test e-mail from Trainyard: this subscription reaches its recipients."
    } else {
        "A test event from Trainyard: the signature should verify."
    };
    let payload = json!({
        "type": "webhook.test",
        "timestamp": now,
        "data": {
            "resource": resource,
            "actor": actor.name,
            "message": message,
        },
    });
    let event = sqlx::query!(
        "INSERT INTO webhook_event (event_type, ordering_key, payload, created_at, fanned_out_at)
         VALUES ('webhook.test', $1, $2, $3, $3) RETURNING event_id, message_id",
        resource,
        payload,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    let id = queue_one(&mut tx, webhook_id, event.event_id, &resource, now).await?;
    let change = Change::Webhook {
        id: webhook_id,
        change: WebhookChange::DeliveryQueued {
            message_id: event.message_id,
            event_type: "webhook.test".to_owned(),
            test: true,
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    let view = views(&mut tx, &[id]).await?.remove(0);
    tx.commit().await?;
    Ok(view)
}

async fn queue_one(
    conn: &mut PgConnection,
    webhook_id: i64,
    event_id: i64,
    ordering_key: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        "INSERT INTO webhook_delivery (webhook_id, event_id, ordering_key, next_attempt_at,
                                       created_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING delivery_id",
        webhook_id,
        event_id,
        ordering_key,
        now
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The deliveries `ids`, in that order.
async fn views(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<DeliveryView>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT d.delivery_id, d.webhook_id, e.message_id, e.event_type, d.status, d.attempts,
                  d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_duration_ms,
                  d.last_error, left(e.payload::text, 4096) AS "request_body!",
                  left(d.last_response, 2048) AS response_body, d.created_at, d.finished_at
           FROM webhook_delivery d JOIN webhook_event e USING (event_id)
           WHERE d.delivery_id = ANY($1)
           ORDER BY array_position($1, d.delivery_id)"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DeliveryView {
            id: r.delivery_id,
            webhook_id: r.webhook_id,
            message_id: r.message_id,
            event_type: r.event_type,
            next_attempt_at: (r.status == "pending").then_some(r.next_attempt_at),
            status: r.status,
            attempts: r.attempts,
            last_attempt_at: r.last_attempt_at,
            last_status: r.last_status.and_then(|s| u16::try_from(s).ok()),
            last_duration_ms: r.last_duration_ms,
            last_error: r.last_error,
            request_body: r.request_body,
            response_body: r.response_body,
            created_at: r.created_at,
            finished_at: r.finished_at,
        })
        .collect())
}
