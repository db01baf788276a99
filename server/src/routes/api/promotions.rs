//! Promotions over the API: the pipeline and requests of a train, and the
//! decisions people make. Writes take an optional `Idempotency-Key` header:
//! a retry with the same key gets the first answer and changes nothing.

use super::error::{ApiJson, ApiResult, ErrorBody};
use super::idempotency_header::{IdempotencyHeader, IdempotencyKeyParam};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::promotion::EnvironmentPolicy;
use app::models::promotion::PromotionPanel;
use app::services::promotions::{self as service, Outcome};
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// What is promoted and why (a request), or the approver's comment.
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(
    get,
    path = "/release-trains/{name}/promotions",
    tag = "promotions",
    params(("name" = String, Path)),
    responses((status = 200, body = PromotionPanel), (status = 404, body = ErrorBody))
)]
pub async fn panel(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<PromotionPanel>> {
    let key = format!("api promotions {name}");
    let panel = state
        .read_cache
        .read(&actor, &key, || async {
            let mut conn = state.pool.acquire().await?;
            service::promotion_panel(&mut conn, &actor, &name, Utc::now()).await
        })
        .await?;
    Ok(Json(panel))
}

#[utoipa::path(
    post,
    path = "/release-trains/{name}/promotions",
    tag = "promotions",
    params(("name" = String, Path), IdempotencyKeyParam),
    request_body = Note,
    responses(
        (status = 200, description = "Requested (and promoted, when nothing holds it)"),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Not promotable, already in the last environment, or a request \
            is open", body = ErrorBody)
    )
)]
pub async fn request(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    ApiJson(body): ApiJson<Note>,
) -> ApiResult<Json<Outcome>> {
    Ok(Json(
        service::request_promotion(
            &state.pool,
            &actor,
            &name,
            &body.note,
            key.as_ref(),
            Utc::now(),
        )
        .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/release-trains/{name}/promotions/approve",
    tag = "promotions",
    params(("name" = String, Path), IdempotencyKeyParam),
    request_body = Note,
    responses(
        (status = 200, description = "Approved, or already approved by this person"),
        (status = 403, description = "Wrong role, the requester, or the captain", body = ErrorBody),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn approve(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    ApiJson(body): ApiJson<Note>,
) -> ApiResult<Json<Outcome>> {
    Ok(Json(
        service::approve_promotion(
            &state.pool,
            &actor,
            &name,
            &body.note,
            key.as_ref(),
            Utc::now(),
        )
        .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/release-trains/{name}/promotions/reject",
    tag = "promotions",
    params(("name" = String, Path), IdempotencyKeyParam),
    request_body = Note,
    responses(
        (status = 200),
        (status = 400, description = "No comment", body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
pub async fn reject(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    ApiJson(body): ApiJson<Note>,
) -> ApiResult<Json<Outcome>> {
    Ok(Json(
        service::reject_promotion(
            &state.pool,
            &actor,
            &name,
            &body.note,
            key.as_ref(),
            Utc::now(),
        )
        .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/release-trains/{name}/promotions/cancel",
    tag = "promotions",
    params(("name" = String, Path), IdempotencyKeyParam),
    responses((status = 200), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub async fn cancel(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
) -> ApiResult<Json<Outcome>> {
    Ok(Json(
        service::cancel_promotion(&state.pool, &actor, &name, key.as_ref(), Utc::now()).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/release-trains/{name}/promotions/break-glass",
    tag = "promotions",
    params(("name" = String, Path), IdempotencyKeyParam),
    request_body = Note,
    responses(
        (status = 200),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "Not a hotfix train", body = ErrorBody)
    )
)]
pub async fn break_glass(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    IdempotencyHeader(key): IdempotencyHeader,
    ApiJson(body): ApiJson<Note>,
) -> ApiResult<Json<Outcome>> {
    Ok(Json(
        service::break_glass(
            &state.pool,
            &actor,
            &name,
            &body.note,
            key.as_ref(),
            Utc::now(),
        )
        .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/promotion-policies",
    tag = "promotions",
    responses((status = 200, description = "Every environment's policy (durations in seconds)", body = Vec<EnvironmentPolicy>))
)]
pub async fn policies(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<EnvironmentPolicy>>> {
    Ok(Json(service::list_policies(&state.pool, &actor).await?))
}

#[utoipa::path(
    put,
    path = "/promotion-policies/{environment}",
    tag = "promotions",
    params(("environment" = String, Path)),
    request_body = EnvironmentPolicy,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub async fn put_policy(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(environment): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> ApiResult<axum::http::StatusCode> {
    // The document's schema has checked the body's shape: what reading it
    // as a policy refuses now is one of the policy's rules (approvals come
    // from an approver role, at most ten of them), a 422.
    let policy: EnvironmentPolicy =
        serde_json::from_value(body).map_err(|e| app::error::AppError::Unprocessable {
            field: None,
            message: e.to_string(),
        })?;
    if policy.environment.as_str() != environment {
        return Err(app::error::AppError::Unprocessable {
            field: Some("environment".into()),
            message: format!(
                "the body is the policy of {}, not {environment}",
                policy.environment
            ),
        }
        .into());
    }
    service::store_policy(&state.pool, &actor, policy, Utc::now()).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
