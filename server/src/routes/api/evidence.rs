//! Reading evidence: bundles, raw artifacts, the whole bundle as tar.gz, the
//! release-metadata schema; and removing an artifact of an unsealed bundle.

use super::error::{ApiError, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::components::query::encode_value;
use app::domain::evidence::RELEASE_METADATA_SCHEMA;
use app::domain::keyset::PageAt;
use app::models::evidence::{BundleRow, BundleView};
use app::services::evidence as service;
use axum::extract::{Path, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;

/// Where a page of a list starts (keyset pagination: follow the `Link`
/// header's `rel="next"` for older rows).
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// The key after which the page starts (from a `Link: <…>; rel="next"`).
    pub after: Option<String>,
    /// The key before which the page ends (from a `Link: <…>; rel="prev"`).
    pub before: Option<String>,
}

#[utoipa::path(
    get,
    path = "/evidence",
    tag = "evidence",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the bundles of trains holding evidence or in flight, \
            newest change first; `Link` names the next and previous pages", body = [BundleRow]),
        (status = 400, body = ErrorBody)
    )
)]
pub async fn list(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let at = PageAt::parse(page.after.as_deref(), page.before.as_deref())
        .map_err(|e| ApiError(app::error::bad_field(e.0, e)))?;
    let listing = state
        .read_cache
        .read(&actor, &format!("bundles {at:?}"), || {
            service::bundles(&state.pool, &actor, &at)
        })
        .await?;
    let mut links = Vec::new();
    if let Some(key) = &listing.links.older {
        links.push(format!(
            "</api/v1/evidence?after={}>; rel=\"next\"",
            encode_value(key)
        ));
    }
    if let Some(key) = &listing.links.newer {
        links.push(format!(
            "</api/v1/evidence?before={}>; rel=\"prev\"",
            encode_value(key)
        ));
    }
    let mut response = Json(listing.bundles).into_response();
    if let Ok(value) = HeaderValue::from_str(&links.join(", ")) {
        if !links.is_empty() {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/release-trains/{name}/evidence",
    tag = "evidence",
    params(("name" = String, Path)),
    responses((status = 200, body = BundleView), (status = 404, body = ErrorBody))
)]
pub async fn bundle(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<BundleView>> {
    Ok(Json(
        service::bundle(&state.pool, &state.evidence, &actor, &name).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/release-trains/{name}/evidence/{artifact}",
    tag = "evidence",
    params(("name" = String, Path), ("artifact" = String, Path)),
    responses(
        (
            status = 200,
            description = "The bytes as uploaded, with the kind's content type",
            content_type = "application/octet-stream",
            body = Vec<u8>
        ),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn download(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path((name, artifact)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (artifact, bytes) =
        service::download(&state.pool, &state.evidence, &actor, &name, &artifact).await?;
    Ok((
        [
            (header::CONTENT_TYPE, artifact.media_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", artifact.name),
            ),
            (header::ETAG, format!("\"{}\"", artifact.sha256)),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(
    delete,
    path = "/release-trains/{name}/evidence/{artifact}",
    tag = "evidence",
    params(("name" = String, Path), ("artifact" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The bundle is sealed", body = ErrorBody)
    )
)]
pub async fn remove(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path((name, artifact)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    service::remove_artifact(&state.pool, &actor, &name, &artifact, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

static MANIFEST_SHA256: HeaderName = HeaderName::from_static("x-trainyard-manifest-sha256");
static PROVISIONAL: HeaderName = HeaderName::from_static("x-trainyard-provisional");

#[utoipa::path(
    get,
    path = "/release-trains/{name}/evidence.tar.gz",
    tag = "evidence",
    params(("name" = String, Path)),
    responses(
        (
            status = 200,
            description = "Every artifact, manifest.json and SHA256SUMS under <train>-evidence/; \
                check with sha256sum -c SHA256SUMS. X-Trainyard-Provisional: true when the bundle \
                is not sealed yet (the manifest is dated at the download).",
            content_type = "application/gzip",
            body = Vec<u8>
        ),
        (status = 404, body = ErrorBody)
    )
)]
pub async fn archive(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    let archive =
        service::bundle_archive(&state.pool, &state.evidence, &actor, &name, Utc::now()).await?;
    let digest = HeaderValue::from_str(archive.manifest_sha256.as_str())
        .map_err(|_| app::error::AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/gzip"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{}\"", archive.file_name))
                    .map_err(|_| app::error::AppError::Internal)?,
            ),
            (MANIFEST_SHA256.clone(), digest),
            (
                PROVISIONAL.clone(),
                HeaderValue::from_static(if archive.provisional { "true" } else { "false" }),
            ),
        ],
        archive.bytes,
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/schemas/release-metadata.json",
    tag = "evidence",
    responses(
        (status = 200, description = "The JSON Schema (2020-12) every release metadata document must \
            pass", content_type = "application/schema+json", body = Object)
    )
)]
pub async fn metadata_schema() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/schema+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        RELEASE_METADATA_SCHEMA,
    )
}
