//! Runs the service layer's due work on a timer. Several instances may run
//! it at once: the service takes a lock, and only one acts per tick.

use sqlx::PgPool;
use std::time::Duration;

pub fn spawn(pool: PgPool, tick: Duration) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match app::services::scheduler::run_due(&pool, chrono::Utc::now()).await {
                Ok(ran) => {
                    if !ran.planned.is_empty() || !ran.withdrawn.is_empty() {
                        tracing::info!(planned = ?ran.planned, withdrawn = ?ran.withdrawn, "planned trains ahead");
                    }
                    if !ran.cut.is_empty() {
                        tracing::info!(cut = ?ran.cut, "cut trains at their freeze point");
                    }
                    if !ran.skipped.is_empty() {
                        tracing::info!(skipped = ?ran.skipped, "skipped trains at their freeze point");
                    }
                    if !ran.reminded.is_empty() {
                        tracing::info!(reminded = ?ran.reminded, "announced trains whose cut is near");
                    }
                    if !ran.stuck.is_empty() {
                        tracing::warn!(stuck = ?ran.stuck, "rollbacks CD did not confirm in time");
                    }
                    if !ran.promoted.is_empty() {
                        tracing::info!(promoted = ?ran.promoted, "promoted trains whose time had come");
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "scheduled work failed; retrying at the next tick")
                }
            }
        }
    });
}
