//! `PUT /api/v1/release-trains/{name}/gates`: a train's gates replaced,
//! by its captain while it is in planning, by an admin with a reason after.

use super::allowed::{Allowed, SetGates};
use super::error::{ApiJson, ApiResult, ErrorBody};
use crate::startup::AppState;
use app::domain::gates::spec::GateSpec;
use app::models::train::TrainStatus;
use app::services::trains;
use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainGates {
    /// The gates, as `POST /api/v1/release-trains` takes them.
    pub gates: Vec<GateSpec>,
    /// Required once the train has left planning.
    #[serde(default)]
    pub reason: Option<String>,
}

#[utoipa::path(
    put,
    path = "/release-trains/{name}/gates",
    tag = "release-trains",
    params(("name" = String, Path)),
    request_body = TrainGates,
    responses(
        (status = 200, body = TrainStatus),
        (status = 400, description = "No reason after planning", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a captain in planning, nor an admin after", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "A gate is malformed (named gates[i])", body = ErrorBody)
    )
)]
pub async fn put(
    Allowed(actor, _): Allowed<SetGates>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<TrainGates>,
) -> ApiResult<Json<TrainStatus>> {
    let status = trains::set_train_gates(
        &state.pool,
        &actor,
        &name,
        &body.gates,
        body.reason.as_deref(),
        Utc::now(),
    )
    .await?;
    Ok(Json(status))
}
