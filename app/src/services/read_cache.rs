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
//!
//! A page's read model that only aged (nothing changed) may be answered
//! stale while one request's worth of work refreshes it in the background
//! ([`ReadCache::read_refreshing`]): on a large history, rebuilding the
//! dashboard takes longer than most requests, and nobody should wait for it
//! only because a second went by. What changed is never answered stale.
//!
//! Some read models are the same whoever asks and whenever: the metrics of
//! a window, what runs where. Those are kept once for every reader, after
//! each caller checked that its actor may read them, and live until
//! something changes ([`ReadCache::read_for_everyone`]): on five years of
//! deployments they take a fifth of a second to compute, so a team polling
//! them should pay that once per change, not once per request or second.

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
    /// How long it is answered as it is.
    fresh_for: Duration,
    value: Arc<OnceCell<Shared>>,
    /// A background refresh of this entry is under way.
    refreshing: bool,
}

/// How long an entry is answered as it is, and how long after it was
/// loaded it may still be answered while one refresh runs.
#[derive(Clone, Copy)]
struct Lifetime {
    fresh: Duration,
    aged: Duration,
}

/// What the cache holds for a key.
enum Lookup {
    /// Fresh, or being loaded: wait for it.
    Cell(Arc<OnceCell<Shared>>),
    /// Aged only: answer it, and refresh it unless `refreshing` already.
    Aged { value: Shared, refresh: bool },
}

#[derive(Clone)]
pub struct ReadCache {
    inner: Arc<Inner>,
}

struct Inner {
    /// Shared with the caches made by [`ReadCache::sharing_changes`].
    generation: Arc<AtomicU64>,
    ttl: Duration,
    /// Entries kept at most; beyond, the stale ones go, then all.
    capacity: usize,
    entries: Mutex<HashMap<String, Entry>>,
}

/// Entries a read-model cache keeps at most.
const CAPACITY: usize = 4_096;

/// How many times its `ttl` an aged entry may still be answered while it is
/// refreshed: what ages is what depends on the clock (countdowns, "in 5
/// minutes"), and ten seconds of that is not worth a wait.
const AGED_FOR_TTLS: u32 = 10;

/// How many times its `ttl` an entry that does not depend on the clock is
/// answered as it is (a change ends it at once). Bounded all the same, in
/// case a change was not heard of.
const UNCLOCKED_FOR_TTLS: u32 = 60;

impl ReadCache {
    /// A cache whose entries live `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        Self::with(Arc::new(AtomicU64::new(0)), ttl, CAPACITY)
    }

    /// Another cache of at most `capacity` entries, with this one's `ttl`,
    /// that every change ends together with this one (one `invalidate`
    /// serves both): whole pages beside the read models they show.
    pub fn sharing_changes(&self, capacity: usize) -> Self {
        Self::with(Arc::clone(&self.inner.generation), self.inner.ttl, capacity)
    }

    fn with(generation: Arc<AtomicU64>, ttl: Duration, capacity: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                generation,
                ttl,
                capacity,
                entries: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Something changed: every entry is stale from now on.
    pub fn invalidate(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Drops what is kept for `what` as `actor` sees it: the next reader
    /// loads it again (those already waiting for it still share it).
    pub fn forget(&self, actor: &Actor, what: &str) {
        self.entries().remove(&key(actor, what));
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
        // The generation is read before loading: a change committed while
        // this load runs leaves its answer stale at once.
        let generation = self.inner.generation.load(Ordering::SeqCst);
        let cell = self.cell(key(actor, what), generation, self.clocked());
        let shared = cell
            .get_or_try_init(|| async { load().await.map(|v| Arc::new(v) as Shared) })
            .await?;
        downcast(shared, what)
    }

    /// Like [`read`](Self::read), but an entry that only aged is answered at
    /// once, and refreshed in the background by one task (`load` runs there,
    /// so it owns what it needs).
    pub async fn read_refreshing<T, F, Fut>(
        &self,
        actor: &Actor,
        what: &str,
        load: F,
    ) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        self.refreshing(key(actor, what), what, self.clocked(), load)
            .await
    }

    /// `load`'s answer for `what`, which is the same whoever asks and
    /// whenever (`what` names all it depends on besides the data): one
    /// entry for every reader, answered until something changes. Check
    /// that the actor may read it before asking. Like
    /// [`read_refreshing`](Self::read_refreshing) past its bound.
    pub async fn read_for_everyone<T, F, Fut>(&self, what: &str, load: F) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let key = format!("{EVERYONE}\u{1f}{what}");
        self.refreshing(key, what, self.unclocked(), load).await
    }

    async fn refreshing<T, F, Fut>(
        &self,
        key: String,
        what: &str,
        life: Lifetime,
        load: F,
    ) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        if self.inner.ttl.is_zero() {
            return load().await;
        }
        let generation = self.inner.generation.load(Ordering::SeqCst);
        let cell = match self.lookup(&key, generation, life) {
            Lookup::Cell(cell) => cell,
            Lookup::Aged { value, refresh } => {
                if refresh {
                    tokio::spawn(self.clone().refresh(key, generation, life, load));
                }
                return downcast(&value, what);
            }
        };
        let shared = cell
            .get_or_try_init(|| async { load().await.map(|v| Arc::new(v) as Shared) })
            .await?;
        downcast(shared, what)
    }

    /// Entries that depend on the clock: fresh for `ttl`, answered while
    /// refreshed for a few more.
    fn clocked(&self) -> Lifetime {
        Lifetime {
            fresh: self.inner.ttl,
            aged: self.inner.ttl * AGED_FOR_TTLS,
        }
    }

    /// Entries that only a change ends.
    fn unclocked(&self) -> Lifetime {
        Lifetime {
            fresh: self.inner.ttl * UNCLOCKED_FOR_TTLS,
            aged: self.inner.ttl * (UNCLOCKED_FOR_TTLS + AGED_FOR_TTLS),
        }
    }

    /// Loads an aged entry again and puts the answer in its place, unless
    /// something changed meanwhile; a failed refresh drops the entry, so the
    /// next reader loads it (and sees the error).
    async fn refresh<T, F, Fut>(self, key: String, generation: u64, life: Lifetime, load: F)
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        let loaded = load().await;
        let mut entries = self.entries();
        match loaded {
            Ok(value) if generation == self.inner.generation.load(Ordering::SeqCst) => {
                let cell = OnceCell::new_with(Some(Arc::new(value) as Shared));
                entries.insert(key, Entry::new(generation, life, Arc::new(cell)));
            }
            _ => {
                entries.remove(&key);
            }
        }
    }

    fn lookup(&self, key: &str, generation: u64, life: Lifetime) -> Lookup {
        let now = Instant::now();
        {
            let mut entries = self.entries();
            if let Some(entry) = entries.get_mut(key).filter(|e| e.generation == generation) {
                let age = now - entry.at;
                if age < life.fresh {
                    return Lookup::Cell(Arc::clone(&entry.value));
                }
                if let Some(value) = entry.value.get().filter(|_| age < life.aged) {
                    let refresh = !std::mem::replace(&mut entry.refreshing, true);
                    return Lookup::Aged {
                        value: Arc::clone(value),
                        refresh,
                    };
                }
            }
        }
        Lookup::Cell(self.cell(key.to_owned(), generation, life))
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.inner
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn cell(&self, key: String, generation: u64, life: Lifetime) -> Arc<OnceCell<Shared>> {
        let now = Instant::now();
        let fresh = |e: &Entry| e.generation == generation && now - e.at < e.fresh_for;
        let mut entries = self.entries();
        if let Some(entry) = entries.get(&key).filter(|e| fresh(e)) {
            return Arc::clone(&entry.value);
        }
        if entries.len() >= self.inner.capacity {
            entries.retain(|_, e| fresh(e));
            if entries.len() >= self.inner.capacity {
                entries.clear();
            }
        }
        let value = Arc::new(OnceCell::new());
        entries.insert(key, Entry::new(generation, life, Arc::clone(&value)));
        value
    }
}

impl Entry {
    fn new(generation: u64, life: Lifetime, value: Arc<OnceCell<Shared>>) -> Self {
        Self {
            generation,
            at: Instant::now(),
            fresh_for: life.fresh,
            value,
            refreshing: false,
        }
    }
}

fn downcast<T: Clone + 'static>(shared: &Shared, what: &str) -> Result<T, AppError> {
    shared.downcast_ref::<T>().cloned().ok_or_else(|| {
        tracing::error!(what, "a cached read model has another type than asked for");
        AppError::Internal
    })
}

/// The viewer of entries that are the same for everyone: no actor's kind
/// is spelled so.
const EVERYONE: &str = "*";

fn key(actor: &Actor, what: &str) -> String {
    format!("{}\u{1f}{what}", viewer(actor))
}

/// Who is asking, as far as what they see can differ: visitors all alike,
/// each person and each token on their own, with their roles and groups
/// (an owning group changes what waits for them).
fn viewer(actor: &Actor) -> String {
    format!(
        "{}:{}:{}:{}",
        actor.kind.as_str(),
        actor.name,
        actor.roles().join(","),
        actor.groups.join(",")
    )
}

#[cfg(test)]
#[path = "read_cache_tests.rs"]
mod tests;
