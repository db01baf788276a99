//! Uploading evidence: `POST …/evidence` (multipart: `kind`, `sha256`,
//! optional `participant` and `name`, and the `file` part) or
//! `PUT …/evidence/{artifact}?kind=…&sha256=…` with the raw bytes as body.
//! Bodies are read with a running count and refused (413) as soon as they
//! pass `TRAINYARD_EVIDENCE_MAX_BYTES`.

use super::error::{ApiError, ApiQuery, ApiResult, ErrorBody};
use super::RequestActor;
use crate::startup::AppState;
use app::error::AppError;
use app::models::evidence::{UploadOutcome, UploadReceipt};
use app::services::evidence::{self as service, EvidenceStore, UploadRequest};
use axum::body::Body;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::{Bytes, BytesMut};
use chrono::Utc;
use serde::Deserialize;

/// The multipart form of an upload (documentation only).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// `cyclonedx_sbom`, `spdx_sbom`, `junit`, `provenance`, `checksums`,
    /// `signature`, `migrations`, `summary`, `release_metadata` or
    /// `release_notes`.
    kind: String,
    /// The SHA-256 of the file, 64 hex digits.
    sha256: String,
    /// The participant (service) the file belongs to; omit for the train.
    participant: Option<String>,
    /// The artifact's name in the bundle; defaults to the file part's name.
    name: Option<String>,
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Room for the form's other fields and boundaries around the file.
const FORM_OVERHEAD: u64 = 64 * 1024;
/// The longest value a text field of the form may have.
const FIELD_LIMIT: usize = 1024;

#[utoipa::path(
    post,
    path = "/release-trains/{name}/evidence",
    tag = "evidence",
    params(("name" = String, Path)),
    request_body(content = inline(UploadForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = UploadReceipt),
        (status = 200, description = "Replaced, or the same bytes again", body = UploadReceipt),
        (status = 400, description = "Malformed form, kind, digest or name", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Needs evidence:write", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The bundle is sealed", body = ErrorBody),
        (status = 413, description = "Over TRAINYARD_EVIDENCE_MAX_BYTES", body = ErrorBody),
        (status = 422, description = "Checksum mismatch, not the declared kind, schema violations \
            (listed by JSON pointer), not a participant", body = ErrorBody)
    )
)]
pub async fn upload_form(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let (request, bytes) = receive_form(&state, &actor, &name, &headers, multipart).await?;
    store(&state, &actor, &name, request, bytes).await
}

/// Reads a multipart upload for the API and for the upload form of the
/// train page: the refusals of a form that cannot be read are recorded.
pub(crate) async fn receive_form(
    state: &AppState,
    actor: &app::services::actor::Actor,
    train: &str,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(UploadRequest, Bytes), ApiError> {
    service::check_upload(&state.pool, actor, train).await?;
    let mut request = UploadRequest::default();
    let received = match multipart {
        _ if declared_length(headers)
            .is_some_and(|n| n > state.evidence.max_bytes() + FORM_OVERHEAD) =>
        {
            Err(state.evidence.too_large())
        }
        Err(rejection) => Err(bad_form(rejection.body_text())),
        Ok(multipart) => read_form(&state.evidence, multipart, &mut request).await,
    };
    match received {
        Ok(bytes) => Ok((request, bytes)),
        Err(e) => Err(ApiError(
            service::refuse_upload(&state.pool, actor, train, &request, e, Utc::now()).await,
        )),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RawUpload {
    /// The artifact's kind (as in the multipart form).
    kind: Option<String>,
    /// The SHA-256 of the body.
    sha256: Option<String>,
    /// The participant (service) the file belongs to.
    participant: Option<String>,
}

#[utoipa::path(
    put,
    path = "/release-trains/{name}/evidence/{artifact}",
    tag = "evidence",
    params(
        ("name" = String, Path),
        ("artifact" = String, Path, description = "The artifact's file name in the bundle"),
        RawUpload
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Stored", body = UploadReceipt),
        (status = 200, description = "Replaced, or the same bytes again", body = UploadReceipt),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The bundle is sealed", body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)
    )
)]
pub async fn upload_raw(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path((name, artifact)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<RawUpload>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    service::check_upload(&state.pool, &actor, &name).await?;
    let request = UploadRequest {
        name: Some(artifact),
        file_name: None,
        kind: query.kind,
        sha256: query.sha256,
        participant: query.participant,
    };
    let received = if declared_length(&headers).is_some_and(|n| n > state.evidence.max_bytes()) {
        Err(state.evidence.too_large())
    } else {
        service::read_limited(&state.evidence, body.into_data_stream()).await
    };
    let bytes = match received {
        Ok(bytes) => bytes,
        Err(e) => {
            let e = service::refuse_upload(&state.pool, &actor, &name, &request, e, Utc::now());
            return Err(ApiError(e.await));
        }
    };
    store(&state, &actor, &name, request, bytes).await
}

async fn store(
    state: &AppState,
    actor: &app::services::actor::Actor,
    train: &str,
    request: UploadRequest,
    bytes: Bytes,
) -> ApiResult<Response> {
    let receipt = service::upload_artifact(
        &state.pool,
        &state.evidence,
        actor,
        train,
        request,
        bytes,
        Utc::now(),
    )
    .await?;
    let location = format!(
        "/api/v1/release-trains/{train}/evidence/{}",
        receipt.artifact.name
    );
    let status = match receipt.outcome {
        UploadOutcome::Created => StatusCode::CREATED,
        UploadOutcome::Replaced | UploadOutcome::Unchanged => StatusCode::OK,
    };
    Ok((status, [(header::LOCATION, location)], Json(receipt)).into_response())
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn bad_form(message: impl Into<String>) -> AppError {
    AppError::BadRequest {
        field: Some("file".to_owned()),
        message: message.into(),
    }
}

/// The form's fields into `request` (kept for the refusal record if a later
/// part fails) and the file's bytes.
async fn read_form(
    store: &EvidenceStore,
    mut multipart: Multipart,
    request: &mut UploadRequest,
) -> Result<Bytes, AppError> {
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(bad_form(format!("the form could not be read: {e}"))),
        };
        let part = field.name().unwrap_or_default().to_owned();
        match part.as_str() {
            "file" if file.is_some() => {
                return Err(bad_form(
                    "the form has more than one file part: upload one artifact per request",
                ))
            }
            "file" => {
                request.file_name = field.file_name().map(str::to_owned);
                file = Some(service::read_limited(store, field).await?);
            }
            "kind" => request.kind = Some(text(field).await?),
            "sha256" => request.sha256 = Some(text(field).await?),
            "participant" => request.participant = Some(text(field).await?),
            "name" => request.name = Some(text(field).await?),
            other => {
                return Err(AppError::BadRequest {
                    field: Some(other.to_owned()),
                    message: format!(
                    "unknown form field {other:?}: send kind, sha256, participant, name and file"
                ),
                })
            }
        }
    }
    file.ok_or_else(|| bad_form("the form has no file part"))
}

async fn text(mut field: Field<'_>) -> Result<String, AppError> {
    let part = field.name().unwrap_or_default().to_owned();
    let too_long = || AppError::BadRequest {
        field: Some(part.clone()),
        message: format!("{part} is longer than {FIELD_LIMIT} bytes"),
    };
    let mut value = BytesMut::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| bad_form(format!("the form could not be read: {e}")))?
    {
        if value.len() + chunk.len() > FIELD_LIMIT {
            return Err(too_long());
        }
        value.extend_from_slice(&chunk);
    }
    String::from_utf8(value.to_vec()).map_err(|_| AppError::BadRequest {
        field: Some(part.clone()),
        message: format!("{part} is not UTF-8 text"),
    })
}
