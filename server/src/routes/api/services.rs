use super::allowed::{Allowed, ManageServices};
use super::error::{ApiJson, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::service::ServiceInput;
use app::models::service::ServiceView;
use app::models::train::{ServiceStatus, ServiceStatusUpdate};
use app::services::service_catalog as catalog;
use app::services::service_status as service;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

#[utoipa::path(
    get,
    path = "/services/{name}/status",
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
    path = "/services/{name}/status",
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

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Include retired services.
    #[serde(default)]
    retired: bool,
}

#[utoipa::path(
    get,
    path = "/services",
    tag = "services",
    params(ListQuery),
    responses((status = 200, body = [ServiceView]), (status = 400, body = ErrorBody))
)]
pub async fn list(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<ServiceView>>> {
    Ok(Json(
        catalog::list_services(&state.pool, &actor, q.retired).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/services",
    tag = "services",
    request_body = ServiceInput,
    responses(
        (status = 201, body = ServiceView),
        (status = 400, description = "A field is malformed (named in `field`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The service exists", body = ErrorBody),
        (status = 422, description = "Unknown dependency, dependency cycle", body = ErrorBody)
    )
)]
pub async fn create(
    Allowed(actor, _): Allowed<ManageServices>,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ServiceInput>,
) -> ApiResult<impl IntoResponse> {
    let view = catalog::create_service(&state.pool, &actor, &input, Utc::now()).await?;
    let location = format!("/api/v1/services/{}", view.name);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(view),
    ))
}

#[utoipa::path(
    get,
    path = "/services/{name}",
    tag = "services",
    params(("name" = String, Path)),
    responses((status = 200, body = ServiceView), (status = 404, body = ErrorBody))
)]
pub async fn detail(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<ServiceView>> {
    Ok(Json(
        catalog::get_service(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/services/{name}",
    tag = "services",
    params(("name" = String, Path)),
    request_body = ServiceInput,
    responses(
        (status = 200, body = ServiceView),
        (status = 400, description = "A field is malformed (named in `field`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The service is retired", body = ErrorBody),
        (status = 422, description = "A rename, an unknown dependency, a dependency cycle", body = ErrorBody)
    )
)]
pub async fn put(
    Allowed(actor, _): Allowed<ManageServices>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<ServiceInput>,
) -> ApiResult<Json<ServiceView>> {
    Ok(Json(
        catalog::update_service(&state.pool, &actor, &name, &input, Utc::now()).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RetireQuery {
    /// Why the service is retired (kept in the audit trail).
    reason: String,
}

#[utoipa::path(
    delete,
    path = "/services/{name}",
    tag = "services",
    params(("name" = String, Path), RetireQuery),
    responses(
        (status = 200, description = "Retired", body = ServiceView),
        (status = 400, description = "No reason given", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Open trains include it, or services depend on it", body = ErrorBody)
    )
)]
pub async fn retire(
    Allowed(actor, _): Allowed<ManageServices>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<RetireQuery>,
) -> ApiResult<Json<ServiceView>> {
    Ok(Json(
        catalog::retire_service(&state.pool, &actor, &name, &q.reason, Utc::now()).await?,
    ))
}
