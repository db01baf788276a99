//! The delivery worker every instance runs: it fans the outbox out, claims
//! due deliveries, sends them concurrently (posted over http(s), or e-mailed
//! through the SMTP relay, as each subscription's format says) and writes
//! back what happened. Several instances share the queue (see
//! `app::services::webhooks`).

mod mailer;
mod sender;
mod signature;

pub use sender::absolute_links;

use crate::config::WebhookSettings;
use app::services::webhooks::{self as queue, Attempt, Claimed, Outcome};
use chrono::Utc;
use mailer::Mailer;
use sender::Sender;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often old events are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// The ways out: http(s) for every format but e-mail, and the SMTP relay
/// when one is configured.
struct Transports {
    web: Sender,
    mail: Option<Mailer>,
}

impl Transports {
    async fn send(&self, claimed: &Claimed) -> Attempt {
        if !claimed.format.is_email() {
            return self.web.post(claimed).await;
        }
        match &self.mail {
            Some(mailer) => mailer.send(claimed).await,
            // Saved while a relay was configured; the schedule keeps trying
            // until one is again, or gives up.
            None => Attempt {
                error: Some("e-mail is not configured: TRAINYARD_SMTP_URL is not set".to_owned()),
                ..Attempt::default()
            },
        }
    }
}

pub fn spawn(pool: PgPool, settings: WebhookSettings, public_url: url::Url) -> anyhow::Result<()> {
    let mail = match &settings.smtp {
        Some(smtp) => Some(Mailer::new(smtp, settings.timeout, public_url.clone())?),
        None => None,
    };
    let transports = Arc::new(Transports {
        web: Sender::new(settings.allow.clone(), settings.timeout, public_url)?,
        mail,
    });
    tokio::spawn(async move {
        let mut pruned = Instant::now();
        loop {
            match round(&pool, &settings, &transports).await {
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

/// One round: fan out, claim, send, record. `true` when it found work (the
/// next round starts at once).
async fn round(
    pool: &PgPool,
    settings: &WebhookSettings,
    transports: &Arc<Transports>,
) -> Result<bool, app::error::AppError> {
    let fanned = queue::fan_out(pool, Utc::now()).await?;
    let claimed = queue::claim(pool, &settings.queue, settings.concurrency, Utc::now()).await?;
    if claimed.is_empty() {
        return Ok(fanned > 0);
    }
    let mut posting = tokio::task::JoinSet::new();
    for delivery in claimed {
        let (pool, transports, queue_settings) =
            (pool.clone(), transports.clone(), settings.queue.clone());
        posting.spawn(async move { deliver(&pool, &queue_settings, &transports, delivery).await });
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
    transports: &Transports,
    delivery: Claimed,
) {
    let attempt = transports.send(&delivery).await;
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
