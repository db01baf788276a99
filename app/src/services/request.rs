//! What a server function knows about the request it serves.

use crate::services::actor::Actor;
use leptos::prelude::use_context;

/// The actor the server's middleware resolved for this request (from the
/// session or a bearer token); nobody when there is no request (which the
/// permission function then refuses).
pub fn actor() -> Actor {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Actor>().cloned())
        .unwrap_or_else(|| Actor::anonymous(false))
}
