//! The pages' forms post to server functions (`/sfn/…`) as
//! `application/x-www-form-urlencoded`. Like the API's JSON, a form whose
//! value holds a control character is refused here, naming the field,
//! before any server function reads it; tab and line breaks stay allowed
//! (a comment may have several lines; single-line fields refuse them with
//! their own parsers).

use crate::routes::api::error::ApiError;
use app::domain::control_text::{control_char, refusal};
use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The most a form may hold (a gate template's YAML is the largest).
const FORM_LIMIT: usize = 1024 * 1024;

pub async fn refuse_control_in_forms(request: Request, next: Next) -> Response {
    if !is_form_post(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, FORM_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return ApiError(AppError::PayloadTooLarge(format!(
                "a form holds at most {FORM_LIMIT} bytes"
            )))
            .into_response()
        }
    };
    if let Some((field, c)) = control_in_form(&bytes) {
        return ApiError(AppError::BadRequest {
            message: format!("{field} {}", refusal(c)),
            field: Some(field),
        })
        .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn is_form_post(request: &Request) -> bool {
    request.method() == Method::POST
        && request.uri().path().starts_with("/sfn/")
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The first field (by name) whose name or value holds a control character.
fn control_in_form(body: &[u8]) -> Option<(String, char)> {
    url::form_urlencoded::parse(body).find_map(|(name, value)| {
        control_char(&name)
            .or_else(|| control_char(&value))
            .map(|c| (name.into_owned(), c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_control_character_is_found_by_its_field() {
        assert_eq!(
            control_in_form(b"name=ok&captain=a%00b"),
            Some(("captain".into(), '\0'))
        );
        assert_eq!(control_in_form(b"comment=two%0Alines%09ok"), None);
        assert_eq!(control_in_form(b"x%07=1"), Some(("x\u{7}".into(), '\u{7}')));
    }
}
