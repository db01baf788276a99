//! Read models shared by everyone who asks for the same thing at the same
//! moment. A validator team of twenty opens the dashboard together, and a
//! live update makes every open page fetch again at once: the first request
//! computes, the others wait for its answer instead of each running the same
//! queries. Anything that changed the data makes every entry stale: each
//! instance hears every committed change (LISTEN), and a write it served
//! itself counts at once, before its answer leaves. Entries also expire
//! after `ttl`, since what a page shows depends on the time (countdowns, the
//! skip rule's warning). Keys hold who is asking: what a person may do is
//! part of what they see.

use crate::error::AppError;
use crate::services::actor::Actor;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

type Shared = Arc<dyn Any + Send + Sync>;

struct Entry {
    generation: u64,
    at: Instant,
    value: Arc<OnceCell<Shared>>,
}

#[derive(Clone)]
pub struct ReadCache {
    inner: Arc<Inner>,
}

struct Inner {
    generation: AtomicU64,
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

/// Entries kept at most; beyond, the stale ones go, then all.
const CAPACITY: usize = 4_096;

impl ReadCache {
    /// A cache whose entries live `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                generation: AtomicU64::new(0),
                ttl,
                entries: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Something changed: every entry is stale from now on.
    pub fn invalidate(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// `load`'s answer for `what` as `actor` sees it: shared with every
    /// concurrent and later caller until something changes or `ttl` passes.
    /// Errors are never kept.
    pub async fn read<T, F, Fut>(&self, actor: &Actor, what: &str, load: F) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        if self.inner.ttl.is_zero() {
            return load().await;
        }
        let key = format!("{}\u{1f}{what}", viewer(actor));
        // The generation is read before loading: a change committed while
        // this load runs leaves its answer stale at once.
        let generation = self.inner.generation.load(Ordering::SeqCst);
        let cell = self.cell(key, generation);
        let shared = cell
            .get_or_try_init(|| async { load().await.map(|v| Arc::new(v) as Shared) })
            .await?;
        shared.downcast_ref::<T>().cloned().ok_or_else(|| {
            tracing::error!(what, "a cached read model has another type than asked for");
            AppError::Internal
        })
    }

    fn cell(&self, key: String, generation: u64) -> Arc<OnceCell<Shared>> {
        let now = Instant::now();
        let fresh = |e: &Entry| e.generation == generation && now - e.at < self.inner.ttl;
        let mut entries = self
            .inner
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(entry) = entries.get(&key).filter(|e| fresh(e)) {
            return Arc::clone(&entry.value);
        }
        if entries.len() >= CAPACITY {
            entries.retain(|_, e| fresh(e));
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        let value = Arc::new(OnceCell::new());
        entries.insert(
            key,
            Entry {
                generation,
                at: now,
                value: Arc::clone(&value),
            },
        );
        value
    }
}

/// Who is asking, as far as what they see can differ: visitors all alike,
/// each person and each token on their own.
fn viewer(actor: &Actor) -> String {
    format!(
        "{}:{}:{}",
        actor.kind.as_str(),
        actor.name,
        actor.roles().join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    async fn count(cache: &ReadCache, actor: &Actor, loads: &AtomicUsize) -> usize {
        cache
            .read(actor, "page", || async {
                Ok(loads.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn concurrent_readers_share_one_load_until_something_changes() {
        let cache = ReadCache::new(Duration::from_secs(60));
        let loads = AtomicUsize::new(0);
        let visitor = Actor::anonymous(true);
        let (a, b) = tokio::join!(
            count(&cache, &visitor, &loads),
            count(&cache, &visitor, &loads)
        );
        assert_eq!((a, b), (1, 1), "one load for both");
        assert_eq!(count(&cache, &visitor, &loads).await, 1);
        cache.invalidate();
        assert_eq!(
            count(&cache, &visitor, &loads).await,
            2,
            "a change makes it stale"
        );
    }

    #[tokio::test]
    async fn each_person_sees_their_own_and_nothing_is_kept_when_turned_off() {
        let cache = ReadCache::new(Duration::from_secs(60));
        let loads = AtomicUsize::new(0);
        assert_eq!(count(&cache, &Actor::anonymous(true), &loads).await, 1);
        assert_eq!(count(&cache, &Actor::new("scheduler"), &loads).await, 2);
        let off = ReadCache::new(Duration::ZERO);
        assert_eq!(count(&off, &Actor::anonymous(true), &loads).await, 3);
        assert_eq!(count(&off, &Actor::anonymous(true), &loads).await, 4);
    }

    #[tokio::test]
    async fn a_failed_load_is_not_kept() {
        let cache = ReadCache::new(Duration::from_secs(60));
        let visitor = Actor::anonymous(true);
        let failed: Result<u8, _> = cache
            .read(&visitor, "page", || async { Err(AppError::Unavailable) })
            .await;
        assert_eq!(failed, Err(AppError::Unavailable));
        let ok = cache.read(&visitor, "page", || async { Ok(7u8) }).await;
        assert_eq!(ok, Ok(7));
    }
}
