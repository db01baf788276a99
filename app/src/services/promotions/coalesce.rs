//! When a team clicks at once: identical decisions by the same person on
//! the same train (a double click, a form sent again, many tabs) are one
//! flight on this instance. The first runs its transaction; the others
//! wait for its answer without holding a database connection, instead of
//! queueing on the audit chain's lock with a pooled connection each until
//! the pool runs dry and answers 503.

use super::decide::Outcome;
use crate::error::AppError;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{LazyLock, Mutex};

type Flight = Shared<BoxFuture<'static, Result<Outcome, AppError>>>;

static FLIGHTS: LazyLock<Mutex<HashMap<String, Flight>>> = LazyLock::new(Default::default);

/// Runs `decision` unless an identical one (same `key`) is in flight, in
/// which case its answer is this one's too.
pub(super) async fn coalesced<F>(key: String, decision: F) -> Result<Outcome, AppError>
where
    F: Future<Output = Result<Outcome, AppError>> + Send + 'static,
{
    let flight = {
        let mut flights = FLIGHTS.lock().unwrap_or_else(|e| e.into_inner());
        flights
            .entry(key.clone())
            .or_insert_with(|| decision.boxed().shared())
            .clone()
    };
    let answer = flight.clone().await;
    let mut flights = FLIGHTS.lock().unwrap_or_else(|e| e.into_inner());
    if flights.get(&key).is_some_and(|f| f.ptr_eq(&flight)) {
        flights.remove(&key);
    }
    answer
}

/// What makes two decisions identical: who, what, on which train, with
/// which words and idempotency key.
pub(super) fn key(parts: &[&str]) -> String {
    parts.join("\u{0}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn identical_decisions_in_flight_run_once_and_share_the_answer() {
        let runs = Arc::new(AtomicUsize::new(0));
        let (release, released) = tokio::sync::oneshot::channel::<()>();
        let first = {
            let runs = runs.clone();
            tokio::spawn(coalesced("k".into(), async move {
                runs.fetch_add(1, Ordering::SeqCst);
                released.await.ok();
                Ok(Outcome::AlreadyApproved)
            }))
        };
        tokio::task::yield_now().await;
        let second = {
            let runs = runs.clone();
            tokio::spawn(coalesced("k".into(), async move {
                runs.fetch_add(1, Ordering::SeqCst);
                Ok(Outcome::Rejected)
            }))
        };
        tokio::task::yield_now().await;
        release.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(Outcome::AlreadyApproved));
        assert_eq!(second.await.unwrap(), Ok(Outcome::AlreadyApproved));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // Once answered, the next decision runs again.
        assert_eq!(
            coalesced("k".into(), async { Ok(Outcome::Rejected) }).await,
            Ok(Outcome::Rejected)
        );
    }
}
