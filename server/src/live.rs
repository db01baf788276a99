//! Live updates across server instances: each instance LISTENs on the
//! Postgres channel every committed change is announced on, and fans the
//! notices out to its browsers over server-sent events (`GET /events`).

use app::components::live::Notice;
use app::services::audit::CHANGES_CHANNEL;
use app::services::read_cache::ReadCache;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::time::Duration;
use tokio::sync::broadcast;

#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<Notice>,
    /// Made stale by every change, before the pages that show it hear of it.
    reads: ReadCache,
}

impl LiveHub {
    /// Starts listening; notices reach every subscriber from then on.
    pub fn spawn(pool: PgPool, reads: ReadCache) -> Self {
        let (sender, _) = broadcast::channel(1024);
        let hub = Self { sender, reads };
        let publisher = hub.clone();
        tokio::spawn(async move { publisher.listen(pool).await });
        hub
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.sender.subscribe()
    }

    fn everything_changed(&self) {
        self.reads.invalidate();
        let _ = self.sender.send(Notice {
            action: "resync".into(),
            resource: "*".into(),
        });
    }

    async fn listen(self, pool: PgPool) {
        loop {
            let mut listener = match PgListener::connect_with(&pool).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "live updates: cannot connect, retrying");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(CHANGES_CHANNEL).await {
                tracing::warn!(error = %e, "live updates: LISTEN failed, retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
            // Whatever happened while not listening is unknown: pages refresh.
            self.everything_changed();
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        match serde_json::from_str::<Notice>(notification.payload()) {
                            Ok(notice) => {
                                self.reads.invalidate();
                                let _ = self.sender.send(notice);
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "live updates: a notice that does not parse")
                            }
                        }
                    }
                    // The connection dropped and sqlx reconnected: notices may be lost.
                    Ok(None) => self.everything_changed(),
                    Err(e) => {
                        tracing::warn!(error = %e, "live updates: listener failed, reconnecting");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        break;
                    }
                }
            }
        }
    }
}
