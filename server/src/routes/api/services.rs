use super::error::{ApiJson, ApiResult};
use super::local_actor;
use crate::startup::AppState;
use app::models::train::{ServiceStatus, ServiceStatusUpdate};
use app::services::service_status as service;
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;

pub async fn status(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<ServiceStatus>> {
    Ok(Json(service::service_status(&state.pool, &name).await?))
}

pub async fn update(
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(update): ApiJson<ServiceStatusUpdate>,
) -> ApiResult<Json<ServiceStatus>> {
    Ok(Json(
        service::update_service_status(&state.pool, &local_actor(), &name, update, Utc::now())
            .await?,
    ))
}
