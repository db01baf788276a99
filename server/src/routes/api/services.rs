use super::error::{ApiJson, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::models::train::{ServiceStatus, ServiceStatusUpdate};
use app::services::service_status as service;
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;

#[utoipa::path(
    get,
    path = "/api/v1/services/{name}/status",
    tag = "services",
    params(("name" = String, Path)),
    responses((status = 200, body = ServiceStatus), (status = 404, body = ErrorBody))
)]
pub async fn status(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<ServiceStatus>> {
    Ok(Json(
        service::service_status(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/services/{name}/status",
    tag = "services",
    params(("name" = String, Path)),
    request_body = ServiceStatusUpdate,
    responses(
        (status = 200, body = ServiceStatus),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Released before its dependencies", body = ErrorBody)
    )
)]
pub async fn update(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(update): ApiJson<ServiceStatusUpdate>,
) -> ApiResult<Json<ServiceStatus>> {
    Ok(Json(
        service::update_service_status(&state.pool, &actor, &name, update, Utc::now()).await?,
    ))
}
