use super::error::{ApiQuery, ApiResult, ErrorBody};
use crate::startup::AppState;
use app::models::{TrackSummary, TrainRow};
use app::services::calendar as service;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Range {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar", params(Range), responses((status = 200, body = [TrainRow]), (status = 400, body = ErrorBody)))]
/// Planned trains between `from` (default: now) and `to` (default: 6 weeks later).
pub async fn calendar(
    State(state): State<AppState>,
    ApiQuery(range): ApiQuery<Range>,
) -> ApiResult<Json<Vec<TrainRow>>> {
    let from = range.from.unwrap_or_else(Utc::now);
    let to = range.to.unwrap_or(from + Duration::weeks(6));
    if to <= from {
        return Err(app::error::AppError::BadRequest {
            field: Some("to".into()),
            message: "to must be after from".into(),
        }
        .into());
    }
    Ok(Json(
        service::trains_between(&state.pool, from, Some(to), 1000).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/tracks", tag = "calendar", responses((status = 200, body = [TrackSummary])))]
pub async fn tracks(State(state): State<AppState>) -> ApiResult<Json<Vec<TrackSummary>>> {
    Ok(Json(service::list_tracks(&state.pool).await?))
}
