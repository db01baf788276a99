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

/// Lists with optional filters (`$1 IS NULL OR column = $1`) are planned for
/// each call's own filters for the rest of the transaction: a cached generic
/// plan cannot know which index a given filter makes cheap, and over a long
/// history the wrong one reads every row.
pub async fn plan_each_call(tx: &mut sqlx::PgConnection) -> Result<(), AppError> {
    sqlx::query!("SET LOCAL plan_cache_mode = force_custom_plan")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The read-model cache the server provides beside the pool.
pub fn read_cache() -> Result<crate::services::read_cache::ReadCache, AppError> {
    use_context::<crate::services::read_cache::ReadCache>().ok_or_else(|| {
        tracing::error!("no read cache in the Leptos context");
        AppError::Internal
    })
}
