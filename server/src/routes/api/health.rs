use super::error::{ApiJson, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::services::health::{report_health, HealthReport, HealthVerdict};
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;

/// Health samples of a service in an environment; breaches of seed 001's
/// rollback criteria are recorded on the train whose release runs there.
#[utoipa::path(
    post,
    path = "/services/{name}/health",
    tag = "services",
    params(("name" = String, Path)),
    request_body = HealthReport,
    responses(
        (status = 200, body = HealthVerdict),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn report(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(report): ApiJson<HealthReport>,
) -> ApiResult<Json<HealthVerdict>> {
    Ok(Json(
        report_health(&state.pool, &actor, &name, report, Utc::now()).await?,
    ))
}
