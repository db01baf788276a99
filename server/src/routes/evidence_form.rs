//! `POST /trains/{name}/evidence`: the captains' upload form on a train's
//! evidence page, a plain multipart form that works without JavaScript. It
//! answers with a redirect back to the page, the outcome or the refusal in
//! the query (`?uploaded=NAME`, `?error=…&field=…`).

use crate::auth::actor::RequestActor;
use crate::routes::api::error::ApiError;
use crate::routes::api::evidence_upload::receive_form;
use crate::startup::AppState;
use app::domain::evidence::digest_of;
use app::error::AppError;
use app::services::evidence as service;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Redirect;
use chrono::Utc;

pub async fn upload(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Redirect {
    let outcome = async {
        let (mut request, bytes) = receive_form(&state, &actor, &name, &headers, multipart).await?;
        // A person picking a file has no checksum to declare; the bytes
        // received are the ones checked and stored. CI declares its own.
        if request
            .sha256
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            request.sha256 = Some(digest_of(&bytes).to_string());
        }
        service::upload_artifact(
            &state.pool,
            &state.evidence,
            &actor,
            &name,
            request,
            bytes,
            Utc::now(),
        )
        .await
        .map_err(ApiError)
    }
    .await;
    let query = match outcome {
        Ok(receipt) => format!("uploaded={}", encode(receipt.artifact.name.as_str())),
        Err(ApiError(e)) => {
            let field = match &e {
                AppError::BadRequest { field: Some(f), .. }
                | AppError::Unprocessable { field: Some(f), .. }
                | AppError::SchemaViolations { field: Some(f), .. } => {
                    format!("&field={}", encode(f))
                }
                _ => String::new(),
            };
            format!("error={}{field}", encode(&e.to_string()))
        }
    };
    Redirect::to(&format!("/trains/{}/evidence?{query}", encode(&name)))
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
