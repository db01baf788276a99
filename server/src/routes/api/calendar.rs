use super::allowed::{Allowed, ManageTracks};
use super::error::{ApiJson, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::track_input::TrackInput;
use app::models::{CalendarEntry, TrackSummary};
use app::services::{calendar as service, calendar_plan, tracks};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Range {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

#[utoipa::path(
    get,
    path = "/calendar",
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
                return Err(app::error::AppError::Unprocessable {
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
    path = "/tracks",
    tag = "calendar",
    responses((status = 200, body = [TrackSummary]))
)]
pub async fn tracks(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<TrackSummary>>> {
    Ok(Json(service::list_tracks(&state.pool, &actor).await?))
}

#[utoipa::path(
    post,
    path = "/tracks",
    tag = "calendar",
    request_body = TrackInput,
    responses(
        (status = 201, body = TrackSummary),
        (status = 400, description = "A field is malformed (named in `field`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The track exists", body = ErrorBody),
        (status = 422, description = "It promotes to a track that does not exist", body = ErrorBody)
    )
)]
pub async fn create_track(
    Allowed(actor, _): Allowed<ManageTracks>,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<TrackInput>,
) -> ApiResult<impl IntoResponse> {
    let track = tracks::create_track(&state.pool, &actor, &input, Utc::now()).await?;
    let location = format!("/api/v1/tracks/{}", track.name);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(track),
    ))
}

#[utoipa::path(
    put,
    path = "/tracks/{name}",
    tag = "calendar",
    params(("name" = String, Path)),
    request_body = TrackInput,
    responses(
        (status = 200, body = TrackSummary),
        (status = 400, description = "A field is malformed (named in `field`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The track is archived", body = ErrorBody),
        (status = 422, description = "A rename, a new cadence, a promotion target that does not exist or loops",
         body = ErrorBody)
    )
)]
pub async fn update_track(
    Allowed(actor, _): Allowed<ManageTracks>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<TrackInput>,
) -> ApiResult<Json<TrackSummary>> {
    Ok(Json(
        tracks::update_track(&state.pool, &actor, &name, &input, Utc::now()).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArchiveQuery {
    /// Why the track is archived (kept in the audit trail).
    reason: String,
}

#[utoipa::path(
    delete,
    path = "/tracks/{name}",
    tag = "calendar",
    params(("name" = String, Path), ArchiveQuery),
    responses(
        (status = 200, description = "Archived", body = TrackSummary),
        (status = 400, description = "No reason given", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "A train of it is in flight, or a track promotes to it", body = ErrorBody)
    )
)]
pub async fn archive_track(
    Allowed(actor, _): Allowed<ManageTracks>,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<ArchiveQuery>,
) -> ApiResult<Json<TrackSummary>> {
    Ok(Json(
        tracks::archive_track(&state.pool, &actor, &name, &q.reason, Utc::now()).await?,
    ))
}
