//! What a server function knows about the request it serves: the actor,
//! and the pool and read cache the server provides (Leptos context), and
//! one way to run a call with them.

use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::read_cache::ReadCache;
use chrono::{DateTime, Utc};
use leptos::prelude::use_context;
use sqlx::PgPool;
use std::future::Future;

/// One server function call: the request's pool and read cache, its actor
/// (the service layer decides what they may do) and the time of the call.
pub struct Call {
    pub pool: PgPool,
    pub reads: ReadCache,
    pub actor: Actor,
    pub now: DateTime<Utc>,
}

impl Call {
    fn current() -> Result<Self, AppError> {
        Ok(Self {
            pool: pool()?,
            reads: read_cache()?,
            actor: actor(),
            now: Utc::now(),
        })
    }
}

/// Runs a server function's work with its call, and gives a failed answer
/// the error's own HTTP status (see [`super::with_status`]).
pub async fn serve<T, Fut>(work: impl FnOnce(Call) -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = match Call::current() {
        Ok(call) => work(call).await,
        Err(e) => Err(e),
    };
    super::with_status(result)
}

/// [`serve`] for a page's read model: answered from the read cache under
/// `what` (per actor) while it is fresh or only aged, loaded by `load`
/// otherwise (see [`ReadCache::read_refreshing`]).
pub async fn serve_cached<T, F, Fut>(what: &str, load: F) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(Call) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    serve(|call| async move {
        let (actor, reads) = (call.actor.clone(), call.reads.clone());
        reads.read_refreshing(&actor, what, || load(call)).await
    })
    .await
}

/// The actor the server's middleware resolved for this request (from the
/// session or a bearer token); nobody when there is no request (which the
/// permission function then refuses).
pub fn actor() -> Actor {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Actor>().cloned())
        .unwrap_or_else(|| Actor::anonymous(false))
}

/// The pool the server provides to every render and server function call.
fn pool() -> Result<PgPool, AppError> {
    use_context::<PgPool>().ok_or_else(|| {
        tracing::error!("no database pool in the Leptos context");
        AppError::Internal
    })
}

/// The read-model cache the server provides beside the pool.
fn read_cache() -> Result<ReadCache, AppError> {
    use_context::<ReadCache>().ok_or_else(|| {
        tracing::error!("no read cache in the Leptos context");
        AppError::Internal
    })
}
