//! JSON errors of the REST API: `{"error": {"code", "message", "field"?}}`.

use app::domain::control_text::{control_char, control_in_json, percent_decoded, refusal};
use app::error::AppError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde::de::DeserializeOwned;

pub struct ApiError(pub AppError);

/// A path's numeric id (`/webhooks/{id}`): anything but a positive
/// integer names no `kind`, a 404 in JSON like every other answer (axum's
/// own `Path<i64>` would refuse an overflow in plain text).
pub fn path_id(kind: &str, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError(AppError::NotFound(format!("{kind} {raw}"))))
}

/// The body of every error response (documented in the OpenAPI document).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `bad_request`, `not_found`, `conflict`, `unprocessable`, `schema_violation`,
    /// `payload_too_large`, `forbidden`, `internal`, `unavailable` (503 with
    /// `Retry-After`: the server was too busy to start; nothing changed).
    pub code: String,
    pub message: String,
    /// The offending input, when known (`participants[1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every place a document breaks its schema (`schema_violation` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violations: Option<Vec<app::domain::evidence::Violation>>,
}

impl From<&AppError> for ErrorBody {
    fn from(e: &AppError) -> Self {
        let (field, violations) = match e {
            AppError::BadRequest { field, .. } | AppError::Unprocessable { field, .. } => {
                (field.clone(), None)
            }
            AppError::SchemaViolations {
                field, violations, ..
            } => (field.clone(), Some(violations.clone())),
            _ => (None, None),
        };
        Self {
            error: ErrorDetail {
                code: e.code().to_owned(),
                message: printable(&e.to_string()),
                field: field.as_deref().map(printable),
                violations,
            },
        }
    }
}

/// `text` with its control characters written as escapes (`\u{0}`): an
/// answer may quote what was sent, never its control characters.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c.to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(ErrorBody::from(&self.0))).into_response();
        let retry_after = match self.0 {
            AppError::Unavailable => Some(u64::from(app::error::RETRY_AFTER_SECONDS)),
            AppError::TooManyRequests(seconds) => Some(seconds),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `Json` whose rejections (malformed JSON, unknown or missing fields, wrong
/// types) are 400s in the API's error shape, naming the field when serde does.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let method = req.method().clone();
        let route = req
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|p| p.as_str().to_owned());
        if !json_content_type(req.headers()) {
            return Err(ApiError(AppError::BadRequest {
                field: None,
                message: "Expected request with `Content-Type: application/json`".into(),
            }));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            ApiError(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge(e.body_text())
            } else {
                AppError::BadRequest {
                    field: None,
                    message: e.body_text(),
                }
            })
        })?;
        // Control characters are refused naming their field, before any
        // of the text reaches a service (or Postgres, which refuses NUL).
        let mut bytes = bytes;
        if let Ok(mut document) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            if let Some((field, c)) = control_in_json(&document) {
                return Err(ApiError(AppError::BadRequest {
                    message: format!("{field}: {}", refusal(c)),
                    field: Some(field).filter(|f| !f.is_empty()),
                }));
            }
            if let Some(route) = route {
                super::request_schema::check(&method, &route, &document)?;
            }
            // JSON Schema counts `3.0` as an integer, so the document
            // allows it where serde wants an integer: read it as `3`.
            if integral_floats_as_integers(&mut document) {
                bytes = Bytes::from(serde_json::to_vec(&document).unwrap_or_default());
            }
        }
        Json::<T>::from_bytes(&bytes)
            .map(|Json(value)| Self(value))
            .map_err(json_rejection)
    }
}

/// Rewrites every number with no fractional part (`3.0`) as an integer,
/// within `i64`; whether any was.
fn integral_floats_as_integers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => {
                *value = Value::from(f as i64);
                true
            }
            _ => false,
        },
        // Every element is visited (no short circuit): each is rewritten.
        Value::Array(items) => {
            let mut any = false;
            for item in items {
                any |= integral_floats_as_integers(item);
            }
            any
        }
        Value::Object(fields) => {
            let mut any = false;
            for field in fields.values_mut() {
                any |= integral_floats_as_integers(field);
            }
            any
        }
        _ => false,
    }
}

/// `application/json` or a `+json` type.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"))
}

/// Refuses an address whose path or query holds a control character, as a
/// 400 naming which, before a handler takes it apart.
pub async fn refuse_control_in_address(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let uri = request.uri();
    let parts = [("path", uri.path()), ("query", uri.query().unwrap_or(""))];
    for (part, raw) in parts {
        if let Some(c) = control_char(&percent_decoded(raw)) {
            return ApiError(AppError::BadRequest {
                field: Some(part.to_owned()),
                message: format!("the address's {part} {}", refusal(c)),
            })
            .into_response();
        }
    }
    next.run(request).await
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let message = rejection.body_text();
    ApiError(AppError::BadRequest {
        field: field_of(&message),
        message,
    })
}

/// serde names the field in backticks: "unknown field `colour`", "missing field `name`".
fn field_of(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("field `")?;
    rest.split_once('`').map(|(f, _)| f.to_owned())
}

/// `Query` with API-shaped 400s.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|r: QueryRejection| {
                ApiError(AppError::BadRequest {
                    field: None,
                    message: r.body_text(),
                })
            })
    }
}

pub async fn not_found() -> ApiError {
    ApiError(AppError::NotFound("this API route".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_their_field() {
        assert_eq!(
            field_of("Failed to deserialize: unknown field `colour`, expected one of `name`"),
            Some("colour".into())
        );
        assert_eq!(
            field_of("missing field `name` at line 1"),
            Some("name".into())
        );
        assert_eq!(field_of("EOF while parsing"), None);
    }
}
