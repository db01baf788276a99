//! The delivery worker every instance runs: it fans the outbox out, claims
//! due deliveries, posts them concurrently and writes back what happened.
//! Several instances share the queue (see `app::services::webhooks`).

mod sender;
mod signature;

pub use sender::absolute_links;

use crate::config::WebhookSettings;
use app::services::webhooks::{self as queue, Claimed, Outcome};
use chrono::Utc;
use sender::Sender;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often old events are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

pub fn spawn(pool: PgPool, settings: WebhookSettings, public_url: url::Url) -> anyhow::Result<()> {
    let sender = Arc::new(Sender::new(
        settings.allow.clone(),
        settings.timeout,
        public_url,
    )?);
    tokio::spawn(async move {
        let mut pruned = Instant::now();
        loop {
            match round(&pool, &settings, &sender).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "webhook delivery round failed; trying again"),
            }
            if pruned.elapsed() >= PRUNE_EVERY {
                pruned = Instant::now();
                match queue::prune(&pool, &settings.queue, Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(events = n, "pruned old webhook events"),
                    Err(e) => tracing::warn!(error = %e, "pruning webhook events failed"),
                }
            }
            tokio::time::sleep(settings.poll).await;
        }
    });
    Ok(())
}

/// One round: fan out, claim, post, record. `true` when it found work (the
/// next round starts at once).
async fn round(
    pool: &PgPool,
    settings: &WebhookSettings,
    sender: &Arc<Sender>,
) -> Result<bool, app::error::AppError> {
    let fanned = queue::fan_out(pool, Utc::now()).await?;
    let claimed = queue::claim(pool, &settings.queue, settings.concurrency, Utc::now()).await?;
    if claimed.is_empty() {
        return Ok(fanned > 0);
    }
    let mut posting = tokio::task::JoinSet::new();
    for delivery in claimed {
        let (pool, sender, queue_settings) = (pool.clone(), sender.clone(), settings.queue.clone());
        posting.spawn(async move { deliver(&pool, &queue_settings, &sender, delivery).await });
    }
    while let Some(done) = posting.join_next().await {
        if let Err(e) = done {
            tracing::warn!(error = %e, "a webhook delivery task failed");
        }
    }
    Ok(true)
}

async fn deliver(
    pool: &PgPool,
    settings: &queue::QueueSettings,
    sender: &Sender,
    delivery: Claimed,
) {
    let attempt = sender.post(&delivery).await;
    match queue::finish(pool, settings, &delivery, &attempt, Utc::now()).await {
        Ok(Outcome::Delivered) => {}
        Ok(outcome) => tracing::info!(
            webhook = delivery.webhook_id,
            message = %delivery.message_id,
            attempt = delivery.attempt,
            status = ?attempt.status,
            error = ?attempt.error,
            ?outcome,
            "webhook delivery failed"
        ),
        // The lease runs out and another round tries again.
        Err(e) => tracing::warn!(error = %e, "recording a webhook delivery failed"),
    }
}
