//! Seed 002's monitoring endpoints: `/api/v1/monitoring/release-trains/{name}`,
//! `/monitoring/health/{service}` and `/monitoring/performance/{service}`.

use super::error::{ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::monitoring::View;
use app::models::monitoring::{ServiceSeries, TrainMonitoring};
use app::services::monitoring as service;
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

#[utoipa::path(get, path = "/monitoring/release-trains/{name}", tag = "monitoring",
    params(("name" = String, Path)),
    responses((status = 200, description = "Progress, each service's status and health, gate \
                                            and dependency progress, and the issues in the way",
               body = TrainMonitoring),
              (status = 404, body = ErrorBody)))]
pub async fn train(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<TrainMonitoring>> {
    Ok(Json(
        service::train_monitoring(&state.pool, &actor, &name, Utc::now()).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// How many hours back, 1 to 720 (default 24).
    hours: Option<u32>,
}

#[utoipa::path(get, path = "/monitoring/health/{service}", tag = "monitoring",
    params(("service" = String, Path), Window),
    responses((status = 200, description = "Error rate, saturation and burn rate per \
                                            environment, with their rollback thresholds",
               body = ServiceSeries),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn health(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiQuery(window): ApiQuery<Window>,
) -> ApiResult<Json<ServiceSeries>> {
    series(actor, state, name, View::Health, window).await
}

#[utoipa::path(get, path = "/monitoring/performance/{service}", tag = "monitoring",
    params(("service" = String, Path), Window),
    responses((status = 200, description = "p95 latency per environment, with its rollback \
                                            threshold",
               body = ServiceSeries),
              (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn performance(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiQuery(window): ApiQuery<Window>,
) -> ApiResult<Json<ServiceSeries>> {
    series(actor, state, name, View::Performance, window).await
}

async fn series(
    actor: app::services::actor::Actor,
    state: AppState,
    name: String,
    view: View,
    window: Window,
) -> ApiResult<Json<ServiceSeries>> {
    Ok(Json(
        service::service_series(&state.pool, &actor, &name, view, window.hours, Utc::now()).await?,
    ))
}
