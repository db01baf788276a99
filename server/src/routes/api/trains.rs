use super::error::{ApiJson, ApiQuery, ApiResult, ErrorBody};
use super::idempotency_header::{IdempotencyHeader, IdempotencyKeyParam};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::TrainState;
use app::models::train::{
    GateResultBatch, NewTrain, RollbackPlan, RollbackRequest, TrainEventView, TrainStatus,
    TrainSummary, TrainUpdate,
};
use app::services::trains as service;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    state: Option<TrainState>,
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/release-trains",
    tag = "release-trains",
    params(ListQuery),
    responses((status = 200, body = [TrainSummary]), (status = 400, body = ErrorBody))
)]
pub async fn list(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<TrainSummary>>> {
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    Ok(Json(
        service::list_trains(&state.pool, &actor, q.state, limit).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/release-trains",
    tag = "release-trains",
    request_body = NewTrain,
    responses(
        (status = 201, body = TrainStatus),
        (status = 400, body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 422, description = "Unknown service, dependency cycle, invalid gate", body = ErrorBody)
    )
)]
pub async fn create(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewTrain>,
) -> ApiResult<impl IntoResponse> {
    let status = service::create_train(&state.pool, &actor, input, Utc::now()).await?;
    let location = format!("/api/v1/release-trains/{}", status.name);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(status),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TrainDetail {
    #[serde(flatten)]
    status: TrainStatus,
    events: Vec<TrainEventView>,
}

#[utoipa::path(
    get,
    path = "/release-trains/{name}",
    tag = "release-trains",
    params(("name" = String, Path)),
    responses((status = 200, body = TrainDetail), (status = 404, body = ErrorBody))
)]
pub async fn detail(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<TrainDetail>> {
    let status = service::train_status(&state.pool, &actor, &name).await?;
    let events = service::train_events(&state.pool, &actor, &name).await?;
    Ok(Json(TrainDetail { status, events }))
}

#[utoipa::path(
    get,
    path = "/release-trains/{name}/status",
    tag = "release-trains",
    params(("name" = String, Path)),
    responses((status = 200, body = TrainStatus), (status = 404, body = ErrorBody))
)]
pub async fn status(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<TrainStatus>> {
    let key = format!("api status {name}");
    Ok(Json(
        state
            .read_cache
            .read(&actor, &key, || {
                service::train_status(&state.pool, &actor, &name)
            })
            .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/release-trains/{name}/events",
    tag = "release-trains",
    params(("name" = String, Path)),
    responses((status = 200, body = [TrainEventView]), (status = 404, body = ErrorBody))
)]
pub async fn events(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<Vec<TrainEventView>>> {
    Ok(Json(
        service::train_events(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/release-trains/{name}",
    tag = "release-trains",
    params(("name" = String, Path)),
    request_body = TrainUpdate,
    responses(
        (status = 200, body = TrainStatus),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 404, description = "Unknown train", body = ErrorBody),
        (status = 409, description = "Illegal transition or failing guard", body = ErrorBody),
        (status = 422, description = "`progress` was sent: it is computed, never set", body = ErrorBody)
    )
)]
pub async fn update(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(update): ApiJson<TrainUpdate>,
) -> ApiResult<Json<TrainStatus>> {
    Ok(Json(
        service::update_train(&state.pool, &actor, &name, update, Utc::now()).await?,
    ))
}

#[utoipa::path(
    delete,
    path = "/release-trains/{name}",
    tag = "release-trains",
    params(("name" = String, Path)),
    responses(
        (status = 204),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not in planning", body = ErrorBody)
    )
)]
pub async fn delete(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    service::delete_train(&state.pool, &actor, &name, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/release-trains/{name}/gate-results",
    tag = "release-trains",
    params(
        ("name" = String, Path),
        IdempotencyKeyParam
    ),
    request_body = GateResultBatch,
    responses(
        (status = 200, body = TrainStatus),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 404, description = "Unknown train", body = ErrorBody),
        (status = 422, description = "Not a participant", body = ErrorBody)
    )
)]
pub async fn gate_results(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    ApiJson(batch): ApiJson<GateResultBatch>,
) -> ApiResult<Json<TrainStatus>> {
    Ok(Json(
        service::record_gate_results_once(
            &state.pool,
            &actor,
            &name,
            batch,
            key.as_ref(),
            Utc::now(),
        )
        .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/release-trains/{name}/rollback",
    tag = "release-trains",
    params(("name" = String, Path)),
    request_body = RollbackRequest,
    responses(
        (status = 200, body = RollbackPlan),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 404, description = "Unknown train", body = ErrorBody),
        (status = 409, description = "Cannot be rolled back from its state", body = ErrorBody),
        (status = 422, description = "No reason given, or force asked for where nothing waits for CD", body = ErrorBody)
    )
)]
pub async fn rollback(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(request): ApiJson<RollbackRequest>,
) -> ApiResult<Json<RollbackPlan>> {
    Ok(Json(
        service::rollback(&state.pool, &actor, &name, request, Utc::now()).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/release-trains/{name}/rollback/status",
    tag = "release-trains",
    params(("name" = String, Path)),
    responses((status = 200, body = RollbackPlan), (status = 404, body = ErrorBody))
)]
pub async fn rollback_status(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<RollbackPlan>> {
    Ok(Json(
        service::rollback_status(&state.pool, &actor, &name).await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantVersion {
    pub target_version: String,
}

#[utoipa::path(
    put,
    path = "/release-trains/{name}/participants/{service}",
    tag = "release-trains",
    params(("name" = String, Path), ("service" = String, Path)),
    request_body = ParticipantVersion,
    responses(
        (status = 200, body = TrainStatus),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The train has finished", body = ErrorBody)
    )
)]
/// Changes the version a participant is released at; approvals of the
/// earlier version are dismissed.
pub async fn participant_version(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path((name, participant)): Path<(String, String)>,
    ApiJson(body): ApiJson<ParticipantVersion>,
) -> ApiResult<Json<TrainStatus>> {
    service::set_participant_version(
        &state.pool,
        &actor,
        &name,
        &participant,
        &body.target_version,
        Utc::now(),
    )
    .await?;
    Ok(Json(
        service::train_status(&state.pool, &actor, &name).await?,
    ))
}
