//! `/api/v1/webhooks`: outgoing webhook subscriptions, their delivery log,
//! redelivery and test events (admins); `/api/v1/webhook-event-types`: what
//! may be subscribed to, with each type's JSON Schema (anyone who may read).

use super::allowed::{Allowed, ManageWebhooks};
use super::error::{ApiError, ApiJson, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::webhook::{schema::schema, EVENT_TYPES};
use app::error::AppError;
use app::models::webhook::{
    CreatedWebhook, DeliveryView, EventTypeView, RotateInput, RotatedSecret, WebhookInput,
    WebhookView,
};
use app::services::webhooks as service;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

#[utoipa::path(get, path = "/webhooks", tag = "webhooks",
    responses((status = 200, body = [WebhookView]), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<WebhookView>>> {
    Ok(Json(
        service::list_webhooks(&state.pool, &actor, Utc::now()).await?,
    ))
}

#[utoipa::path(post, path = "/webhooks", tag = "webhooks", request_body = WebhookInput,
    responses(
        (status = 201, description = "Made; the secret is shown this once", body = CreatedWebhook),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "A field is refused (named in `field`)", body = ErrorBody)))]
pub async fn create(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<impl IntoResponse> {
    let created = service::create_webhook(
        &state.pool,
        &actor,
        &input,
        &state.webhook_channels,
        Utc::now(),
    )
    .await?;
    let location = format!("/api/v1/webhooks/{}", created.webhook.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(created),
    ))
}

#[utoipa::path(get, path = "/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 200, body = WebhookView), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn detail(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<WebhookView>> {
    Ok(Json(
        service::get_webhook(&state.pool, &actor, webhook(&id)?, Utc::now()).await?,
    ))
}

#[utoipa::path(put, path = "/webhooks/{id}", tag = "webhooks", params(("id" = i64, Path)),
    request_body = WebhookInput,
    responses((status = 200, body = WebhookView), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> ApiResult<Json<WebhookView>> {
    Ok(Json(
        service::update_webhook(
            &state.pool,
            &actor,
            webhook(&id)?,
            &input,
            &state.webhook_channels,
            Utc::now(),
        )
        .await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Why it goes (kept in the audit trail).
    #[param(min_length = 1, max_length = 500)]
    reason: String,
}

#[utoipa::path(delete, path = "/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path), DeleteQuery),
    responses((status = 204, description = "Removed, with its queue and log"),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn delete(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> ApiResult<StatusCode> {
    service::delete_webhook(&state.pool, &actor, webhook(&id)?, &q.reason, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/webhooks/{id}/secret", tag = "webhooks",
    params(("id" = i64, Path)), request_body = RotateInput,
    responses(
        (status = 200, description = "The new secret, shown this once", body = RotatedSecret),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn rotate(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RotateInput>,
) -> ApiResult<Json<RotatedSecret>> {
    Ok(Json(
        service::rotate_secret(
            &state.pool,
            &actor,
            webhook(&id)?,
            input.grace_hours,
            Utc::now(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "webhooks",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The newest deliveries first", body = [DeliveryView]),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DeliveryView>>> {
    let mut log =
        service::list_deliveries(&state.pool, &actor, webhook(&id)?, service::LOG_LIMIT).await?;
    for delivery in &mut log {
        delivery.request_body =
            crate::webhooks::absolute_links(&delivery.request_body, &state.public_url);
    }
    Ok(Json(log))
}

#[utoipa::path(post, path = "/webhooks/{id}/deliveries/{delivery}/redeliver", tag = "webhooks",
    params(("id" = i64, Path), ("delivery" = i64, Path)),
    responses((status = 202, description = "Queued, with the same webhook-id", body = DeliveryView),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn redeliver(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
    Path((id, delivery)): Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<DeliveryView>)> {
    let delivery = super::error::path_id(&format!("webhook {id}'s delivery"), &delivery)?;
    let queued =
        service::redeliver(&state.pool, &actor, webhook(&id)?, delivery, Utc::now()).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
}

#[utoipa::path(post, path = "/webhooks/{id}/test", tag = "webhooks", params(("id" = i64, Path)),
    responses((status = 202, description = "A webhook.test event, queued", body = DeliveryView),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn send_test(
    Allowed(actor, _): Allowed<ManageWebhooks>,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<DeliveryView>)> {
    let queued = service::send_test(&state.pool, &actor, webhook(&id)?, Utc::now()).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
}

#[utoipa::path(get, path = "/webhook-event-types", tag = "webhooks",
    responses((status = 200, body = [EventTypeView])))]
pub async fn event_types(RequestActor(actor): RequestActor) -> ApiResult<Json<Vec<EventTypeView>>> {
    app::services::access::authorize(
        &actor,
        app::domain::access::Action::Read,
        &app::domain::access::Resource::Site,
    )?;
    Ok(Json(
        EVENT_TYPES
            .iter()
            .map(|(name, description)| EventTypeView {
                name: (*name).to_owned(),
                description: (*description).to_owned(),
                schema: format!("/api/v1/webhook-event-types/{name}/schema"),
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/webhook-event-types/{type}/schema", tag = "webhooks",
    params(("type" = String, Path)),
    responses((status = 200, description = "A JSON Schema (draft 2020-12) of the whole body",
               body = Object),
              (status = 404, body = ErrorBody)))]
pub async fn event_schema(
    RequestActor(actor): RequestActor,
    Path(event_type): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    app::services::access::authorize(
        &actor,
        app::domain::access::Action::Read,
        &app::domain::access::Resource::Site,
    )?;
    schema(&event_type)
        .map(Json)
        .ok_or_else(|| ApiError(AppError::NotFound(format!("event type {event_type}"))))
}

/// A webhook's id from the path: anything but a number names no webhook.
fn webhook(raw: &str) -> Result<i64, ApiError> {
    super::error::path_id("webhook", raw)
}
