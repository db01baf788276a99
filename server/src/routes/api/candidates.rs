//! A captain cuts the next release candidate of a running train by hand.

use super::error::{ApiJson, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::models::train::TrainStatus;
use app::services::trains as service;
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

/// Why a new candidate is cut (it is kept with the tag).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateRequest {
    pub reason: String,
}

#[utoipa::path(
    post,
    path = "/release-trains/{name}/candidates",
    tag = "release-trains",
    params(("name" = String, Path)),
    request_body = CandidateRequest,
    responses(
        (status = 200, description = "The train with its new tag last in `tags`", body = TrainStatus),
        (status = 400, description = "No reason given", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not allowed to manage trains", body = ErrorBody),
        (status = 404, description = "Unknown train", body = ErrorBody),
        (status = 409, description = "Not a cut release-candidate train still running", body = ErrorBody)
    )
)]
pub async fn cut(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(request): ApiJson<CandidateRequest>,
) -> ApiResult<Json<TrainStatus>> {
    Ok(Json(
        service::cut_candidate(&state.pool, &actor, &name, &request.reason, Utc::now()).await?,
    ))
}
