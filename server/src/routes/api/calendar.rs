use super::error::{ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::models::{CalendarEntry, TrackSummary};
use app::services::{calendar as service, calendar_plan};
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

#[utoipa::path(
    get,
    path = "/api/v1/calendar",
    tag = "calendar",
    params(Range),
    responses((status = 200, body = [CalendarEntry]), (status = 400, body = ErrorBody))
)]
/// The calendar between `from` (default: now) and `to` (default: 6 weeks
/// later): recorded trains, the slots cadences plan, freezes and the skip rule.
pub async fn calendar(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(range): ApiQuery<Range>,
) -> ApiResult<Json<Vec<CalendarEntry>>> {
    let key = format!("api calendar {:?} {:?}", range.from, range.to);
    let entries = state
        .read_cache
        .read(&actor, &key, || async {
            let now = Utc::now();
            let from = range.from.unwrap_or(now);
            let to = range.to.unwrap_or(from + Duration::weeks(6));
            if to <= from {
                return Err(app::error::AppError::BadRequest {
                    field: Some("to".into()),
                    message: "to must be after from".into(),
                });
            }
            calendar_plan::calendar_entries(&state.pool, &actor, now, from, to).await
        })
        .await?;
    Ok(Json(entries))
}

#[utoipa::path(
    get,
    path = "/api/v1/tracks",
    tag = "calendar",
    responses((status = 200, body = [TrackSummary]))
)]
pub async fn tracks(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<TrackSummary>>> {
    Ok(Json(service::list_tracks(&state.pool, &actor).await?))
}
