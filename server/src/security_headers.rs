//! Headers every response carries. HTML documents get a CSP allowing their
//! own inline scripts by hash (`crate::csp`), read off the document itself
//! unless the page cache already set it; everything else gets the strict
//! default.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

/// The largest HTML document the server reads whole (for its policy here,
/// and to share it in the page cache); a larger one is answered 500.
pub(crate) const MAX_DOCUMENT: usize = 16 * 1024 * 1024;

/// Whether a response is an HTML document.
pub(crate) fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Sets the document policy on HTML responses from the document's inline
/// scripts. Setting a policy from inside the render (Leptos'
/// `ResponseOptions`) lost the header now and then when a browser left a
/// page mid-render for another (the strict default then blocked hydration);
/// the document itself always holds its scripts.
pub async fn document_policy(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !is_html(response.headers())
        || response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_DOCUMENT).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "reading an HTML document for its scripts");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let Ok(policy) = HeaderValue::from_str(&crate::csp::document_policy(&bytes)) {
        parts
            .headers
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    Response::from_parts(parts, Body::from(bytes))
}

const DEFAULT_CSP: &str =
    "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

pub fn layers() -> (
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
) {
    (
        SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_CSP),
        ),
        SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ),
    )
}
