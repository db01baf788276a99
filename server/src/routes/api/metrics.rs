//! Seed 003's success metrics and DORA as JSON series (`{date, value}`
//! like GitLab's DORA API), and the deploy heat-map's days.

use super::error::{ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::models::metrics::{DeployDay, DoraSeries, MetricsFilter, SuccessReport};
use app::services::metrics as service;
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;

#[utoipa::path(get, path = "/metrics/success", tag = "metrics",
    params(MetricsFilter),
    responses((status = 200, description = "Seed 003's success metrics: each with its target, \
                                            the counts and items behind it and its trend",
               body = SuccessReport),
              (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn success(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<MetricsFilter>,
) -> ApiResult<Json<SuccessReport>> {
    Ok(Json(
        service::success(&state.pool, &state.read_cache, &actor, &filter, Utc::now()).await?,
    ))
}

#[utoipa::path(get, path = "/metrics/dora/{metric}", tag = "metrics",
    params(("metric" = String, Path, description = "deployment_frequency, lead_time_for_changes, \
                                                     change_failure_rate or time_to_restore_service"),
           MetricsFilter),
    responses((status = 200, description = "The measure per bucket, over the window, and the \
                                            counts behind it (production environments unless \
                                            one is named)",
               body = DoraSeries),
              (status = 400, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn dora(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(metric): Path<String>,
    ApiQuery(filter): ApiQuery<MetricsFilter>,
) -> ApiResult<Json<DoraSeries>> {
    Ok(Json(
        service::dora(
            &state.pool,
            &state.read_cache,
            &actor,
            &metric,
            &filter,
            Utc::now(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/metrics/deploys", tag = "metrics",
    params(MetricsFilter),
    responses((status = 200, description = "Successful deploys per day, by how they matched \
                                            (scheduled, hotfix, unscheduled)",
               body = Vec<DeployDay>),
              (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn deploys(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<MetricsFilter>,
) -> ApiResult<Json<Vec<DeployDay>>> {
    Ok(Json(
        service::deploy_days(&state.pool, &state.read_cache, &actor, &filter, Utc::now()).await?,
    ))
}
