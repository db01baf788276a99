//! The delivery queue, as workers on every instance use it: events are
//! fanned out to the subscriptions that want them (one instance at a time,
//! in the order they were recorded), due deliveries are claimed with
//! `FOR UPDATE SKIP LOCKED` and leased while they are posted (no connection
//! is held meanwhile), and each attempt's outcome is written back.

use super::policy::notification_policy;
use super::rows::{audience_of, format_of};
use crate::domain::change::{Change, WebhookChange};
use crate::domain::webhook::audience::muted_by;
use crate::domain::webhook::{
    verdict, EventFacts, Filter, Format, NextAttempt, RetrySchedule, Verdict,
};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use rand::Rng;
use sqlx::PgPool;
use std::time::Duration;

/// How many events one fan-out takes.
const FAN_OUT_BATCH: i64 = 500;

#[derive(Clone, Debug)]
pub struct QueueSettings {
    pub schedule: RetrySchedule,
    /// How long a claimed delivery is a worker's (its time-out and margin).
    pub lease: Duration,
    /// An endpoint failing this long is turned off.
    pub disable_after: Duration,
    /// Events (and their deliveries) are kept this long.
    pub retention: Duration,
}

/// A delivery a worker claimed: what to send, where, signed with what.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub delivery_id: i64,
    pub webhook_id: i64,
    pub url: String,
    pub message_id: String,
    /// The event's Standard Webhooks body, links still relative.
    pub body: String,
    /// What the subscription wants sent: that body, a Slack message, or an
    /// e-mail (then `url` is a `mailto:` URI).
    pub format: Format,
    /// The secrets to sign with: the current one, and the previous one
    /// during a rotation's grace period.
    pub secrets: Vec<String>,
    /// This attempt's number (1 for the first).
    pub attempt: i32,
}

/// What one attempt came to.
#[derive(Clone, Debug, Default)]
pub struct Attempt {
    /// The receiver's status, when it answered (an SMTP reply code for an
    /// e-mail).
    pub status: Option<u16>,
    pub duration: Duration,
    pub error: Option<String>,
    pub response: Option<String>,
    /// The receiver's `Retry-After` on a 429 or 503.
    pub retry_after: Option<Duration>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Retry(DateTime<Utc>),
    Failed,
    /// The endpoint was turned off, for this reason.
    Disabled(String),
}

/// Gives the events not yet fanned out a delivery to each enabled
/// subscription that wants them. Returns how many events it took; `0`
/// also when another instance is fanning out right now.
pub async fn fan_out(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let ours = sqlx::query_scalar!(
        "SELECT pg_try_advisory_xact_lock(hashtext('trainyard.webhook_fan_out')) AS \"ours!\""
    )
    .fetch_one(&mut *tx)
    .await?;
    if !ours {
        return Ok(0);
    }
    let events = sqlx::query!(
        "SELECT event_id, event_type, ordering_key, train, track FROM webhook_event
         WHERE fanned_out_at IS NULL ORDER BY event_id LIMIT $1",
        FAN_OUT_BATCH
    )
    .fetch_all(&mut *tx)
    .await?;
    if events.is_empty() {
        return Ok(0);
    }
    let policy = notification_policy(&mut tx).await?;
    let subscriptions = sqlx::query!(
        "SELECT webhook_id, event_types, tracks, trains, after_event_id, format, audience
         FROM webhook_subscription WHERE enabled"
    )
    .fetch_all(&mut *tx)
    .await?;
    // A subscription the notification policy mutes hears nothing meanwhile,
    // as if it were turned off.
    let filters: Vec<(i64, i64, Option<Filter>)> = subscriptions
        .into_iter()
        .filter(|s| {
            let format = format_of(s.webhook_id, &s.format);
            let audience = audience_of(s.webhook_id, s.audience.as_deref());
            muted_by(policy.as_ref(), format, audience.as_ref()).is_none()
        })
        .map(|s| {
            let filter = Filter::parse(&s.event_types, &s.tracks, &s.trains).ok();
            (s.webhook_id, s.after_event_id, filter)
        })
        .collect();
    let (mut hooks, mut ids, mut keys) = (Vec::new(), Vec::new(), Vec::new());
    for event in &events {
        let facts = EventFacts {
            event_type: &event.event_type,
            track: event.track.as_deref(),
            train: event.train.as_deref(),
        };
        for (webhook_id, after, filter) in &filters {
            if event.event_id > *after && filter.as_ref().is_some_and(|f| f.accepts(facts)) {
                hooks.push(*webhook_id);
                ids.push(event.event_id);
                keys.push(event.ordering_key.clone());
            }
        }
    }
    sqlx::query!(
        "INSERT INTO webhook_delivery (webhook_id, event_id, ordering_key, next_attempt_at,
                                       created_at)
         SELECT w, e, k, $4, $4 FROM UNNEST($1::bigint[], $2::bigint[], $3::text[]) AS d(w, e, k)",
        &hooks,
        &ids,
        &keys,
        now
    )
    .execute(&mut *tx)
    .await?;
    let taken: Vec<i64> = events.iter().map(|e| e.event_id).collect();
    sqlx::query!(
        "UPDATE webhook_event SET fanned_out_at = $2 WHERE event_id = ANY($1)",
        &taken,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(events.len())
}

/// Claims up to `limit` due deliveries of enabled subscriptions, each the
/// oldest pending one of its subscription and resource (so one train's
/// events reach a receiver in order), and leases them.
pub async fn claim(
    pool: &PgPool,
    settings: &QueueSettings,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Claimed>, AppError> {
    let lease_end = now + settings.lease;
    let rows = sqlx::query!(
        r#"WITH due AS (
             SELECT d.delivery_id FROM webhook_delivery d
             JOIN webhook_subscription w ON w.webhook_id = d.webhook_id AND w.enabled
             WHERE d.status = 'pending' AND d.next_attempt_at <= $1
               AND (d.leased_until IS NULL OR d.leased_until < $1)
               AND NOT EXISTS (
                 SELECT 1 FROM webhook_delivery e
                 WHERE e.webhook_id = d.webhook_id AND e.ordering_key = d.ordering_key
                   AND e.status = 'pending' AND e.event_id < d.event_id)
             ORDER BY d.next_attempt_at, d.delivery_id
             LIMIT $2
             FOR UPDATE OF d SKIP LOCKED)
           UPDATE webhook_delivery d
           SET leased_until = $3, attempts = d.attempts + 1, last_attempt_at = $1
           FROM due, webhook_event e, webhook_subscription w
           WHERE d.delivery_id = due.delivery_id AND e.event_id = d.event_id
             AND w.webhook_id = d.webhook_id
           RETURNING d.delivery_id, d.webhook_id, d.attempts, e.message_id,
                     e.payload::text AS "body!", w.url, w.format, w.secret,
                     CASE WHEN w.previous_secret_expires_at > $1 THEN w.previous_secret END
                       AS previous_secret"#,
        now,
        limit,
        lease_end,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            delivery_id: r.delivery_id,
            webhook_id: r.webhook_id,
            url: r.url,
            message_id: r.message_id,
            body: r.body,
            format: format_of(r.webhook_id, &r.format),
            secrets: std::iter::once(r.secret).chain(r.previous_secret).collect(),
            attempt: r.attempts,
        })
        .collect())
}

/// Writes what an attempt came to: delivered on a 2xx; on 410 Gone, or
/// when the endpoint has failed for `disable_after`, the subscription is
/// turned off (with an audit record); an SMTP relay's 5xx refusal fails
/// the delivery at once; otherwise it is tried again on schedule.
pub async fn finish(
    pool: &PgPool,
    settings: &QueueSettings,
    claimed: &Claimed,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let verdict = verdict(claimed.format, attempt.status);
    let success = verdict == Verdict::Delivered;
    let gone = verdict == Verdict::Gone;
    let outcome = if success {
        Outcome::Delivered
    } else if gone || verdict == Verdict::Refused {
        Outcome::Failed
    } else {
        let jitter: f64 = rand::rng().random();
        let used = usize::try_from(claimed.attempt).unwrap_or(usize::MAX);
        match settings
            .schedule
            .after_failure(used, attempt.retry_after, jitter)
        {
            NextAttempt::After(wait) => Outcome::Retry(now + wait),
            NextAttempt::GiveUp => Outcome::Failed,
        }
    };
    let (status, next) = match &outcome {
        Outcome::Delivered => ("delivered", None),
        Outcome::Retry(at) => ("pending", Some(*at)),
        Outcome::Failed | Outcome::Disabled(_) => ("failed", None),
    };
    let failing_since = sqlx::query_scalar!(
        "WITH delivery AS (
           UPDATE webhook_delivery
           SET status = $2, next_attempt_at = COALESCE($3, next_attempt_at), leased_until = NULL,
               last_status = $4, last_duration_ms = $5, last_error = $6, last_response = $7,
               finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE $8::timestamptz END
           WHERE delivery_id = $1 RETURNING webhook_id)
         UPDATE webhook_subscription w
         SET failing_since = CASE WHEN $9 THEN NULL ELSE COALESCE(w.failing_since, $8) END
         FROM delivery WHERE w.webhook_id = delivery.webhook_id
         RETURNING w.failing_since",
        claimed.delivery_id,
        status,
        next,
        attempt.status.map(i32::from),
        i64::try_from(attempt.duration.as_millis()).unwrap_or(i64::MAX),
        attempt.error,
        attempt.response,
        now,
        success,
    )
    .fetch_optional(pool)
    .await?
    .flatten();
    let too_long = failing_since
        .and_then(|since| (now - since).to_std().ok())
        .is_some_and(|failing| failing >= settings.disable_after);
    let reason = if gone {
        Some(format!("{} answered 410 Gone", claimed.url))
    } else if too_long && !success {
        let hours = settings.disable_after.as_secs_f64() / 3600.0;
        Some(format!("every delivery failed for {hours:.0} h"))
    } else {
        None
    };
    match reason {
        Some(reason) if disable(pool, claimed.webhook_id, &reason, now).await? => {
            Ok(Outcome::Disabled(reason))
        }
        _ => Ok(outcome),
    }
}

/// Turns a subscription off, with why; `false` if it already was.
async fn disable(
    pool: &PgPool,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let mut tx = begin_write(pool).await?;
    let turned_off = sqlx::query!(
        "UPDATE webhook_subscription SET enabled = false, disabled_reason = $2, updated_at = $3
         WHERE webhook_id = $1 AND enabled",
        id,
        reason,
        now
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if turned_off {
        let change = Change::Webhook {
            id,
            change: WebhookChange::Disabled {
                reason: reason.to_owned(),
            },
        };
        changes::record(&mut tx, &Actor::new("webhooks"), change, now).await?;
    }
    tx.commit().await?;
    Ok(turned_off)
}

/// Forgets events older than the retention whose deliveries are all done
/// (a bounded batch per call). Returns how many went.
pub async fn prune(
    pool: &PgPool,
    settings: &QueueSettings,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let before = now - settings.retention;
    let gone = sqlx::query!(
        "DELETE FROM webhook_event WHERE event_id IN (
           SELECT e.event_id FROM webhook_event e
           WHERE e.created_at < $1 AND e.fanned_out_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM webhook_delivery d
                             WHERE d.event_id = e.event_id AND d.status = 'pending')
           ORDER BY e.created_at LIMIT 1000)",
        before
    )
    .execute(pool)
    .await?;
    Ok(gone.rows_affected())
}
