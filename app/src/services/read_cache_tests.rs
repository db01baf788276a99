//! The read cache: sharing, staleness after a change, aged answers.

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
async fn a_cache_sharing_changes_ends_with_the_other_and_keeps_its_own_size() {
    let reads = ReadCache::new(Duration::from_secs(60));
    let pages = reads.sharing_changes(1);
    let loads = AtomicUsize::new(0);
    let visitor = Actor::anonymous(true);
    assert_eq!(count(&pages, &visitor, &loads).await, 1);
    assert_eq!(count(&pages, &visitor, &loads).await, 1);
    reads.invalidate();
    assert_eq!(count(&pages, &visitor, &loads).await, 2, "one change, both");
    assert_eq!(count(&pages, &Actor::new("scheduler"), &loads).await, 3);
    assert_eq!(count(&pages, &visitor, &loads).await, 4, "one entry kept");
}

/// Reads "page" through `read_refreshing`, each load counting itself.
async fn counted(cache: &ReadCache, loads: &Arc<AtomicUsize>) -> Result<usize, AppError> {
    let loads = Arc::clone(loads);
    cache
        .read_refreshing(&Actor::anonymous(true), "page", move || async move {
            Ok(loads.fetch_add(1, Ordering::SeqCst) + 1)
        })
        .await
}

#[tokio::test]
async fn an_aged_answer_is_given_at_once_while_one_refresh_runs_behind() {
    let ttl = Duration::from_millis(20);
    let cache = ReadCache::new(ttl);
    let loads = Arc::new(AtomicUsize::new(0));
    assert_eq!(counted(&cache, &loads).await, Ok(1));
    tokio::time::sleep(ttl * 2).await;
    let (a, b) = tokio::join!(counted(&cache, &loads), counted(&cache, &loads));
    assert_eq!((a, b), (Ok(1), Ok(1)), "both get the aged answer");
    let mut refreshed = Ok(1);
    for _ in 0..400 {
        refreshed = counted(&cache, &loads).await;
        if refreshed != Ok(1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(refreshed, Ok(2), "the refresh's answer replaces it");
    assert_eq!(
        loads.load(Ordering::SeqCst),
        2,
        "one refresh for both readers"
    );
}

#[tokio::test]
async fn a_change_is_never_answered_stale() {
    let ttl = Duration::from_millis(20);
    let cache = ReadCache::new(ttl);
    let loads = Arc::new(AtomicUsize::new(0));
    assert_eq!(counted(&cache, &loads).await, Ok(1));
    tokio::time::sleep(ttl * 2).await;
    cache.invalidate();
    assert_eq!(
        counted(&cache, &loads).await,
        Ok(2),
        "loaded again, waited for"
    );
}

#[tokio::test]
async fn an_entry_aged_past_its_grace_is_loaded_again_before_answering() {
    let ttl = Duration::from_millis(5);
    let cache = ReadCache::new(ttl);
    let loads = Arc::new(AtomicUsize::new(0));
    assert_eq!(counted(&cache, &loads).await, Ok(1));
    tokio::time::sleep(ttl * (AGED_FOR_TTLS + 2)).await;
    assert_eq!(counted(&cache, &loads).await, Ok(2));
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

/// Reads "metrics" through `read_for_everyone`, each load counting itself.
async fn everyones(cache: &ReadCache, loads: &Arc<AtomicUsize>) -> Result<usize, AppError> {
    let loads = Arc::clone(loads);
    cache
        .read_for_everyone("metrics", move || async move {
            Ok(loads.fetch_add(1, Ordering::SeqCst) + 1)
        })
        .await
}

#[tokio::test]
async fn what_is_the_same_for_everyone_is_loaded_once_and_lives_until_a_change() {
    let ttl = Duration::from_millis(20);
    let cache = ReadCache::new(ttl);
    let loads = Arc::new(AtomicUsize::new(0));
    let (a, b) = tokio::join!(everyones(&cache, &loads), everyones(&cache, &loads));
    assert_eq!((a, b), (Ok(1), Ok(1)), "one load for both");
    tokio::time::sleep(ttl * 3).await;
    assert_eq!(everyones(&cache, &loads).await, Ok(1), "the clock alone");
    assert_eq!(loads.load(Ordering::SeqCst), 1, "and no refresh behind");
    cache.invalidate();
    assert_eq!(everyones(&cache, &loads).await, Ok(2), "a change ends it");
}

#[tokio::test]
async fn what_is_kept_for_everyone_is_apart_from_what_each_person_sees() {
    let cache = ReadCache::new(Duration::from_secs(60));
    let loads = Arc::new(AtomicUsize::new(0));
    assert_eq!(everyones(&cache, &loads).await, Ok(1));
    let person = AtomicUsize::new(10);
    let seen = cache
        .read(&Actor::anonymous(true), "metrics", || async {
            Ok(person.fetch_add(1, Ordering::SeqCst))
        })
        .await;
    assert_eq!(seen, Ok(10), "a person's own entry, not everyone's");
    assert_eq!(everyones(&cache, &loads).await, Ok(1));
}

#[tokio::test]
async fn what_is_the_same_for_everyone_is_not_kept_when_the_cache_is_off() {
    let cache = ReadCache::new(Duration::ZERO);
    let loads = Arc::new(AtomicUsize::new(0));
    assert_eq!(everyones(&cache, &loads).await, Ok(1));
    assert_eq!(everyones(&cache, &loads).await, Ok(2));
}
