//! `/api/v1/gate-templates`: named sets of gates; a track's template is
//! what its new trains get when they name no gates.

use super::allowed::{Allowed, ManageGates};
use super::error::{ApiJson, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::gates::template::GateTemplateInput;
use app::models::gate_template::GateTemplateView;
use app::services::gate_templates as service;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

#[utoipa::path(
    get,
    path = "/gate-templates",
    tag = "gate-templates",
    responses((status = 200, body = [GateTemplateView]))
)]
pub async fn list(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<GateTemplateView>>> {
    Ok(Json(
        service::list_gate_templates(&state.pool, &actor).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/gate-templates/{name}",
    tag = "gate-templates",
    params(("name" = String, Path)),
    responses((status = 200, body = GateTemplateView), (status = 404, body = ErrorBody))
)]
pub async fn detail(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<GateTemplateView>> {
    Ok(Json(
        service::get_gate_template(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/gate-templates",
    tag = "gate-templates",
    request_body = GateTemplateInput,
    responses(
        (status = 201, body = GateTemplateView),
        (status = 400, description = "A field is malformed (named in `field`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The template exists", body = ErrorBody)
    )
)]
pub async fn create(
    Allowed(actor, _): Allowed<ManageGates>,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<GateTemplateInput>,
) -> ApiResult<impl IntoResponse> {
    let template = service::create_gate_template(&state.pool, &actor, &input, Utc::now()).await?;
    let location = format!("/api/v1/gate-templates/{}", template.name);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(template),
    ))
}

#[utoipa::path(
    put,
    path = "/gate-templates/{name}",
    tag = "gate-templates",
    params(("name" = String, Path)),
    request_body = GateTemplateInput,
    responses(
        (status = 200, body = GateTemplateView),
        (status = 400, description = "A field is malformed, or a rename", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn put(
    Allowed(actor, _): Allowed<ManageGates>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<GateTemplateInput>,
) -> ApiResult<Json<GateTemplateView>> {
    Ok(Json(
        service::update_gate_template(&state.pool, &actor, &name, &input, Utc::now()).await?,
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
    path = "/gate-templates/{name}",
    tag = "gate-templates",
    params(("name" = String, Path), DeleteQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "No reason given", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "A track uses it", body = ErrorBody)
    )
)]
pub async fn delete(
    Allowed(actor, _): Allowed<ManageGates>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> ApiResult<StatusCode> {
    service::delete_gate_template(&state.pool, &actor, &name, &q.reason, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
