//! `/api/v1/release-trains/{name}/release-notes/…`: the draft people edit
//! (`draft`), publishing it as the next version (`publish`), and the
//! published versions (`versions`); and `…/announcement`, the change
//! announcement sent with the reminders before the cut.

use super::error::{ApiError, ApiJson, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::error::AppError;
use app::models::release_notes::{
    AnnouncementView, NotesDraftInput, NotesDraftView, NotesVersionView, PostReleaseNotesView,
    PublishNotesInput,
};
use app::services::release_notes as service;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use chrono::Utc;

#[utoipa::path(get, path = "/release-trains/{name}/release-notes/draft", tag = "release-notes",
    params(("name" = String, Path)),
    responses((status = 200, description = "The saved draft, or the generated notes (revision 0)",
               body = NotesDraftView),
              (status = 404, body = ErrorBody)))]
pub async fn draft(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<NotesDraftView>> {
    Ok(Json(
        service::notes_draft(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(put, path = "/release-trains/{name}/release-notes/draft", tag = "release-notes",
    params(("name" = String, Path)), request_body = NotesDraftInput,
    responses((status = 200, description = "Saved as the next revision", body = NotesDraftView),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "Someone saved the draft since `revision`",
               body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn save_draft(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<NotesDraftInput>,
) -> ApiResult<Json<NotesDraftView>> {
    Ok(Json(
        service::save_draft(&state.pool, &actor, &name, &input, Utc::now()).await?,
    ))
}

#[utoipa::path(post, path = "/release-trains/{name}/release-notes/publish", tag = "release-notes",
    params(("name" = String, Path)), request_body = PublishNotesInput,
    responses((status = 200, description = "The version published (the latest one when the text \
                                            is the same)", body = NotesVersionView),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "Someone saved the draft since `revision`",
               body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn publish(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<PublishNotesInput>,
) -> ApiResult<Json<NotesVersionView>> {
    Ok(Json(
        service::publish_notes(
            &state.pool,
            &state.evidence,
            &actor,
            &name,
            &input,
            Utc::now(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/release-trains/{name}/release-notes/versions", tag = "release-notes",
    params(("name" = String, Path)),
    responses((status = 200, description = "Newest first", body = [NotesVersionView]),
              (status = 404, body = ErrorBody)))]
pub async fn versions(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<Vec<NotesVersionView>>> {
    Ok(Json(
        service::notes_versions(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(get, path = "/release-trains/{name}/release-notes/versions/{version}",
    tag = "release-notes",
    params(("name" = String, Path), ("version" = i32, Path, minimum = 1)),
    responses((status = 200, body = NotesVersionView), (status = 404, body = ErrorBody)))]
pub async fn version(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path((name, version)): Path<(String, String)>,
) -> ApiResult<Json<NotesVersionView>> {
    let version = version_number(&name, &version)?;
    Ok(Json(
        service::notes_version(&state.pool, &actor, &name, version).await?,
    ))
}

#[utoipa::path(get, path = "/release-trains/{name}/release-notes/versions/{version}/markdown",
    tag = "release-notes",
    params(("name" = String, Path), ("version" = i32, Path, minimum = 1)),
    responses((status = 200, description = "The version as a Markdown file",
               content_type = "text/markdown", body = String),
              (status = 404, body = ErrorBody)))]
pub async fn version_markdown(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path((name, version)): Path<(String, String)>,
) -> ApiResult<impl IntoResponse> {
    let version = version_number(&name, &version)?;
    let notes = service::notes_version(&state.pool, &actor, &name, version).await?;
    let file = format!("attachment; filename=\"release-notes-{name}-v{version}.md\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, file),
        ],
        notes.markdown,
    ))
}

/// A version number from the path; anything else names no version.
fn version_number(train: &str, raw: &str) -> Result<i32, ApiError> {
    raw.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError(AppError::NotFound(format!(
            "version {raw} of the release notes of {train}"
        )))
    })
}

#[utoipa::path(get, path = "/release-trains/{name}/announcement", tag = "release-notes",
    params(("name" = String, Path)),
    responses((status = 200, description = "The saved announcement, or the one drafted from the \
                                            train (revision 0)", body = AnnouncementView),
              (status = 404, body = ErrorBody)))]
pub async fn announcement(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<AnnouncementView>> {
    Ok(Json(
        service::announcement(&state.pool, &actor, &name).await?,
    ))
}

#[utoipa::path(put, path = "/release-trains/{name}/announcement", tag = "release-notes",
    params(("name" = String, Path)), request_body = NotesDraftInput,
    responses((status = 200, description = "Saved as the next revision; the reminders send it",
               body = AnnouncementView),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "Someone saved the announcement since `revision`",
               body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn save_announcement(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<NotesDraftInput>,
) -> ApiResult<Json<AnnouncementView>> {
    Ok(Json(
        service::save_announcement(&state.pool, &actor, &name, &input, Utc::now()).await?,
    ))
}

#[utoipa::path(get, path = "/release-trains/{name}/post-release-notes", tag = "release-notes",
    params(("name" = String, Path)),
    responses((status = 200, description = "Written when the train completed", body = PostReleaseNotesView),
              (status = 404, description = "No such train, or it has not completed",
               body = ErrorBody)))]
pub async fn post_release(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<PostReleaseNotesView>> {
    Ok(Json(
        service::post_release_notes(&state.pool, &actor, &name).await?,
    ))
}
