use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::PgPool;

/// The pool the server provides to every render and server function call.
pub fn pool() -> Result<PgPool, AppError> {
    use_context::<PgPool>().ok_or_else(|| {
        tracing::error!("no database pool in the Leptos context");
        AppError::Internal
    })
}
