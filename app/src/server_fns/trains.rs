use crate::error::AppError;
use crate::models::TrainRow;
use leptos::prelude::*;

/// Every train, newest first.
#[server(prefix = "/sfn", endpoint = "trains/list")]
pub async fn list_trains() -> Result<Vec<TrainRow>, AppError> {
    let pool = crate::services::db::pool()?;
    super::with_status(
        crate::services::calendar::list_trains(&pool, &crate::services::request::actor(), 500)
            .await,
    )
}
