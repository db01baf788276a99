//! Helpers of the service layer's SQL.

use crate::error::AppError;

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
