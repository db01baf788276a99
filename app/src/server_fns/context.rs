//! What a server function knows about the request it serves: the actor,
//! and the pool and read cache the server provides (Leptos context).

use crate::error::AppError;
use crate::services::actor::Actor;
use leptos::prelude::use_context;
use sqlx::PgPool;

/// The actor the server's middleware resolved for this request (from the
/// session or a bearer token); nobody when there is no request (which the
/// permission function then refuses).
pub fn actor() -> Actor {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Actor>().cloned())
        .unwrap_or_else(|| Actor::anonymous(false))
}

/// The pool the server provides to every render and server function call.
pub fn pool() -> Result<PgPool, AppError> {
    use_context::<PgPool>().ok_or_else(|| {
        tracing::error!("no database pool in the Leptos context");
        AppError::Internal
    })
}

/// The read-model cache the server provides beside the pool.
pub fn read_cache() -> Result<crate::services::read_cache::ReadCache, AppError> {
    use_context::<crate::services::read_cache::ReadCache>().ok_or_else(|| {
        tracing::error!("no read cache in the Leptos context");
        AppError::Internal
    })
}
