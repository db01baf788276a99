use crate::error::AppError;
use crate::models::dashboard::DashboardData;
use crate::models::train_page::{CellHistory, TrainFilter, TrainList, TrainPageData};
use crate::models::TrainRow;
use leptos::prelude::*;

/// Every train, newest first.
#[server(prefix = "/sfn", endpoint = "trains/list")]
pub async fn list_trains() -> Result<Vec<TrainRow>, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::calendar::list_trains(&pool, &crate::server_fns::context::actor(), 500)
            .await,
    )
}

/// One page of `/trains` with its filters.
#[server(prefix = "/sfn", endpoint = "trains/page")]
pub async fn get_train_list(filter: TrainFilter) -> Result<TrainList, AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let key = format!("trains {filter:?}");
    super::with_status(
        crate::server_fns::context::read_cache()?
            .read(&actor, &key, || {
                crate::services::train_views::train_list(&pool, &actor, &filter)
            })
            .await,
    )
}

#[server(prefix = "/sfn", endpoint = "trains/detail")]
pub async fn train_page(name: String) -> Result<TrainPageData, AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::server_fns::context::read_cache()?
            .read(&actor, &format!("train {name}"), || {
                crate::services::train_views::train_page(&pool, &actor, &name, chrono::Utc::now())
            })
            .await,
    )
}

#[server(prefix = "/sfn", endpoint = "trains/cell")]
pub async fn get_cell_history(
    train: String,
    participant: String,
    gate: String,
) -> Result<CellHistory, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::train_views::cell_history(
            &pool,
            &crate::server_fns::context::actor(),
            &train,
            &participant,
            &gate,
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "dashboard")]
pub async fn dashboard() -> Result<DashboardData, AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::server_fns::context::read_cache()?
            .read(&actor, "dashboard", || {
                crate::services::train_views::dashboard(&pool, &actor, chrono::Utc::now())
            })
            .await,
    )
}

/// Moves a train through its state machine (pause and resume included).
#[server(prefix = "/sfn", endpoint = "trains/transition")]
pub async fn transition_train(
    name: String,
    to: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::TrainState;
    use crate::models::train::TrainUpdate;
    let to = TrainState::parse(&to).map_err(|e| AppError::BadRequest {
        field: Some("to".into()),
        message: e.to_string(),
    })?;
    let pool = crate::server_fns::context::pool()?;
    let update = TrainUpdate {
        status: Some(to),
        reason: reason.filter(|r| !r.trim().is_empty()),
        ..TrainUpdate::default()
    };
    super::with_status(
        crate::services::trains::update_train(
            &pool,
            &crate::server_fns::context::actor(),
            &name,
            update,
            chrono::Utc::now(),
        )
        .await
        .map(|_| ()),
    )
}

/// Rolls a train back, with the reason.
#[server(prefix = "/sfn", endpoint = "trains/rollback")]
pub async fn rollback_train(
    name: String,
    reason: String,
    environment: Option<String>,
) -> Result<(), AppError> {
    use crate::models::train::RollbackRequest;
    let pool = crate::server_fns::context::pool()?;
    let request = RollbackRequest {
        reason,
        dry_run: false,
        force: false,
        environment: environment.filter(|e| !e.is_empty() && e != "all"),
    };
    super::with_status(
        crate::services::trains::rollback(
            &pool,
            &crate::server_fns::context::actor(),
            &name,
            request,
            chrono::Utc::now(),
        )
        .await
        .map(|_| ()),
    )
}
