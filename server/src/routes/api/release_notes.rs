//! `/api/v1/release-trains/{name}/changes` (what CI reports a participant's
//! version brings), `/release-notes` (the notes made of them) and
//! `/release-notes/categories` (the sections changes are sorted into).

use super::error::{ApiJson, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::domain::release_notes::Categories;
use app::models::release_notes::{
    ChangeView, ChangesRecorded, ChangesReport, ReleaseNotesView, ServiceChanges,
};
use app::services::release_notes as service;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;

#[utoipa::path(post, path = "/release-trains/{name}/changes", tag = "release-notes",
    params(("name" = String, Path)), request_body = ChangesReport,
    responses(
        (status = 200, description = "Recorded; a commit the train has is counted, not added",
         body = ChangesRecorded),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "Not a participant, or a field is refused", body = ErrorBody)))]
pub async fn report(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(report): ApiJson<ChangesReport>,
) -> ApiResult<Json<ChangesRecorded>> {
    Ok(Json(
        service::report_changes(&state.pool, &actor, &name, &report, Utc::now()).await?,
    ))
}

#[utoipa::path(get, path = "/release-trains/{name}/changes", tag = "release-notes",
    params(("name" = String, Path)),
    responses((status = 200, description = "Newest first, with each one's section",
               body = [ChangeView]),
              (status = 404, body = ErrorBody)))]
pub async fn list(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<Vec<ChangeView>>> {
    Ok(Json(
        service::list_changes(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(get, path = "/release-trains/{name}/changes/by-service", tag = "release-notes",
    params(("name" = String, Path)),
    responses((status = 200, description = "Per participant: its version, the last earlier train \
                                            that shipped the service, and the changes since",
               body = [ServiceChanges]),
              (status = 404, body = ErrorBody)))]
pub async fn by_service(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<Vec<ServiceChanges>>> {
    Ok(Json(
        service::changes_by_service(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(get, path = "/release-trains/{name}/release-notes", tag = "release-notes",
    params(("name" = String, Path)),
    responses((status = 200, body = ReleaseNotesView), (status = 404, body = ErrorBody)))]
pub async fn notes(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<ReleaseNotesView>> {
    Ok(Json(
        service::release_notes(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(get, path = "/release-trains/{name}/release-notes.md", tag = "release-notes",
    params(("name" = String, Path)),
    responses((status = 200, description = "The notes as a Markdown file: the latest published \
                                            version, or the draft while none is",
               content_type = "text/markdown", body = String),
              (status = 404, body = ErrorBody)))]
pub async fn markdown(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let draft = service::notes_draft(&state.pool, &actor, &name).await?;
    let (markdown, file) = match draft.versions.into_iter().next() {
        Some(latest) => (
            latest.markdown,
            format!(
                "attachment; filename=\"release-notes-{name}-v{}.md\"",
                latest.version
            ),
        ),
        None => (
            draft.markdown,
            format!("attachment; filename=\"release-notes-{name}-draft.md\""),
        ),
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, file),
        ],
        markdown,
    ))
}

#[utoipa::path(get, path = "/release-notes/categories", tag = "release-notes",
    responses((status = 200, body = Categories)))]
pub async fn categories(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Json<Categories>> {
    Ok(Json(service::get_categories(&state.pool, &actor).await?))
}

#[utoipa::path(put, path = "/release-notes/categories", tag = "release-notes",
    request_body = Categories,
    responses((status = 200, body = Categories), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_categories(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<Categories>,
) -> ApiResult<Json<Categories>> {
    Ok(Json(
        service::set_categories(&state.pool, &actor, &input, Utc::now()).await?,
    ))
}
