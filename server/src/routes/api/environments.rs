//! `/api/v1/environments`: an organisation's environments, their order and
//! their promotion policies.

use super::allowed::{Allowed, ManagePolicy};
use super::error::{ApiJson, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::environment_input::EnvironmentInput;
use app::models::environment::EnvironmentView;
use app::services::environments as service;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

#[utoipa::path(
    get,
    path = "/environments",
    tag = "environments",
    responses((status = 200, body = [EnvironmentView]))
)]
pub async fn list(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<EnvironmentView>>> {
    Ok(Json(service::list_environments(&state.pool, &actor).await?))
}

#[utoipa::path(
    get,
    path = "/environments/{name}",
    tag = "environments",
    params(("name" = String, Path)),
    responses((status = 200, body = EnvironmentView), (status = 404, body = ErrorBody))
)]
pub async fn detail(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<EnvironmentView>> {
    Ok(Json(
        service::get_environment(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/environments",
    tag = "environments",
    request_body = EnvironmentInput,
    responses(
        (status = 201, body = EnvironmentView),
        (status = 400, description = "A field is malformed (named in `field`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The environment exists", body = ErrorBody)
    )
)]
pub async fn create(
    Allowed(actor, _): Allowed<ManagePolicy>,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<EnvironmentInput>,
) -> ApiResult<impl IntoResponse> {
    let env = service::create_environment(&state.pool, &actor, &input, Utc::now()).await?;
    let location = format!("/api/v1/environments/{}", env.name);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(env),
    ))
}

#[utoipa::path(
    put,
    path = "/environments/{name}",
    tag = "environments",
    params(("name" = String, Path)),
    request_body = EnvironmentInput,
    responses(
        (status = 200, body = EnvironmentView),
        (status = 400, description = "A field is malformed, or a rename", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn put(
    Allowed(actor, _): Allowed<ManagePolicy>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<EnvironmentInput>,
) -> ApiResult<Json<EnvironmentView>> {
    Ok(Json(
        service::update_environment(&state.pool, &actor, &name, &input, Utc::now()).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Why it goes (kept in the audit trail).
    reason: String,
}

#[utoipa::path(
    delete,
    path = "/environments/{name}",
    tag = "environments",
    params(("name" = String, Path), DeleteQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "No reason given", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "A track's pipeline names it, or trains ran in it", body = ErrorBody)
    )
)]
pub async fn delete(
    Allowed(actor, _): Allowed<ManagePolicy>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> ApiResult<StatusCode> {
    service::delete_environment(&state.pool, &actor, &name, &q.reason, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
