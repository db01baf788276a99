//! `/api/v1/incidents`: incidents an incident tool or a person reports,
//! the deployments that may have caused them, and the links people
//! confirm.

use super::error::{path_id, ApiJson, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::models::incident::{
    IncidentInput, IncidentSummary, IncidentView, LinkInput, ReportedIncident,
};
use app::models::pagerduty::{PagerDutyOutcome, PagerDutyRoute, PagerDutyWebhook};
use app::services::incidents as service;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;

#[utoipa::path(post, path = "/incidents", tag = "incidents",
    request_body = IncidentInput,
    responses(
        (status = 201, description = "Recorded, with the deployments that may have caused it",
         body = ReportedIncident),
        (status = 200, description = "Its external id was reported before: updated",
         body = ReportedIncident),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "An unknown service or environment, or a field refused",
         body = ErrorBody)))]
pub async fn report(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<IncidentInput>,
) -> ApiResult<(StatusCode, Json<ReportedIncident>)> {
    let reported = service::report_incident(&state.pool, &actor, &input, Utc::now()).await?;
    let status = if reported.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(reported)))
}

#[utoipa::path(get, path = "/incidents", tag = "incidents",
    responses((status = 200, description = "Newest first, at most 100", body = [IncidentSummary])))]
pub async fn list(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<IncidentSummary>>> {
    Ok(Json(service::list_incidents(&state.pool, &actor).await?))
}

#[utoipa::path(get, path = "/incidents/{id}", tag = "incidents",
    params(("id" = i64, Path)),
    responses((status = 200, body = IncidentView), (status = 404, body = ErrorBody)))]
pub async fn detail(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<IncidentView>> {
    let id = path_id("incident", &id)?;
    Ok(Json(service::get_incident(&state.pool, &actor, id).await?))
}

#[utoipa::path(post, path = "/incidents/{id}/links", tag = "incidents",
    params(("id" = i64, Path)), request_body = LinkInput,
    responses((status = 200, description = "Linked (confirming it again changes nothing)",
               body = IncidentView),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "Only a person (a captain) confirms a link",
               body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 422, description = "Not a deployment of its services to its environment",
               body = ErrorBody)))]
pub async fn link(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<LinkInput>,
) -> ApiResult<Json<IncidentView>> {
    let id = path_id("incident", &id)?;
    Ok(Json(
        service::link_deployment(&state.pool, &actor, id, &input, Utc::now()).await?,
    ))
}

#[utoipa::path(post, path = "/incidents/pagerduty", tag = "incidents",
    params(PagerDutyRoute),
    request_body = PagerDutyWebhook,
    responses(
        (status = 200, description = "The incident the event is about, recorded or updated; or \
                                      why the event was let go (`pagey.ping`)",
         body = PagerDutyOutcome),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "No environment or catalog service to file it under",
         body = ErrorBody)))]
pub async fn pagerduty(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(route): ApiQuery<PagerDutyRoute>,
    ApiJson(hook): ApiJson<PagerDutyWebhook>,
) -> ApiResult<Json<PagerDutyOutcome>> {
    Ok(Json(
        service::receive_pagerduty(&state.pool, &actor, &route, &hook, Utc::now()).await?,
    ))
}
