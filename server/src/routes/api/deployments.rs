//! `/api/v1/deployments` (what a CD system deployed, where, and how it
//! went) and `/api/v1/running` (what runs where now).

use super::error::{path_id, ApiJson, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::deployment::MatchKind;
use app::models::deployment::{
    DeploymentInput, DeploymentUpdate, DeploymentView, ReportedDeployment, RunningMatrix,
};
use app::models::environment_diff::EnvironmentDiff;
use app::services::deployments::{self as service, DeploymentFilter};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

#[utoipa::path(post, path = "/deployments", tag = "deployments",
    request_body = DeploymentInput,
    responses(
        (status = 201, description = "Recorded and matched to the train carrying it, or flagged \
                                      unscheduled", body = ReportedDeployment),
        (status = 200, description = "The same pipeline run reported it before; its status moved \
                                      if this one is later", body = ReportedDeployment),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The pipeline run reported another version there",
         body = ErrorBody),
        (status = 422, description = "An unknown service or environment, a field refused, or a \
                                      status that goes back", body = ErrorBody)))]
pub async fn report(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<DeploymentInput>,
) -> ApiResult<(StatusCode, Json<ReportedDeployment>)> {
    let reported = service::report_deployment(&state.pool, &actor, &input, Utc::now()).await?;
    let status = if reported.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(reported)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this service's.
    service: Option<String>,
    /// Only those to this environment.
    environment: Option<String>,
    /// Only `scheduled`, `hotfix` or `unscheduled` ones.
    matched: Option<MatchKind>,
}

#[utoipa::path(get, path = "/deployments", tag = "deployments", params(ListQuery),
    responses((status = 200, description = "Newest first, at most 100", body = [DeploymentView]),
              (status = 400, body = ErrorBody)))]
pub async fn list(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<DeploymentView>>> {
    let filter = DeploymentFilter {
        service: q.service,
        environment: q.environment,
        matched: q.matched,
    };
    Ok(Json(
        service::list_deployments(&state.pool, &actor, &filter).await?,
    ))
}

#[utoipa::path(get, path = "/deployments/{id}", tag = "deployments",
    params(("id" = i64, Path)),
    responses((status = 200, body = DeploymentView), (status = 404, body = ErrorBody)))]
pub async fn detail(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<DeploymentView>> {
    let id = path_id("deployment", &id)?;
    Ok(Json(
        service::get_deployment(&state.pool, &actor, id).await?,
    ))
}

#[utoipa::path(patch, path = "/deployments/{id}", tag = "deployments",
    params(("id" = i64, Path)), request_body = DeploymentUpdate,
    responses((status = 200, body = DeploymentView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 422, description = "A finished deployment, or a status that goes back",
               body = ErrorBody)))]
pub async fn update(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<DeploymentUpdate>,
) -> ApiResult<Json<DeploymentView>> {
    let id = path_id("deployment", &id)?;
    Ok(Json(
        service::update_deployment(&state.pool, &actor, id, &update, Utc::now()).await?,
    ))
}

#[utoipa::path(get, path = "/running", tag = "deployments",
    responses((status = 200, description = "Environments × services: the version running in \
                                            each, the train and tag it came from and since when; \
                                            and the latest unscheduled deployments",
               body = RunningMatrix)))]
pub async fn running(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Json<RunningMatrix>> {
    Ok(Json(
        service::running_matrix(&state.pool, &state.read_cache, &actor).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Compare {
    /// The environment releases come from (`stage`).
    from: String,
    /// The environment they go to (`prod`).
    to: String,
}

#[utoipa::path(get, path = "/running/compare", tag = "deployments",
    params(Compare),
    responses((status = 200, description = "Per service, what each environment runs, the trains \
                                            in between and their changes",
               body = EnvironmentDiff),
              (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compare(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<Compare>,
) -> ApiResult<Json<EnvironmentDiff>> {
    Ok(Json(
        service::compare_environments(&state.pool, &actor, &query.from, &query.to).await?,
    ))
}
