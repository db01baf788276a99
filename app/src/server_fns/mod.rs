//! Server functions: thin doors into the service layer. Each passes the
//! request's actor, and the service layer decides whether it may.

pub mod admin;
pub mod audit;
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod context;
pub mod deployments;
pub mod environments;
pub mod evidence;
pub mod gate_templates;
pub mod metrics;
pub mod monitoring;
pub mod promotions;
pub mod release_notes;
pub mod services;
pub mod session;
pub mod trains;
pub mod webhooks;

/// Sets the HTTP status of a failed server function to the error's own
/// (403, 401, 400…), so that callers other than this app's pages see it.
/// A plain form post (a browser without JavaScript) keeps the redirect back
/// to its page, which then shows the error next to the form.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(
    result: Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    let form_post = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if form_post {
        return result;
    }
    if let Err(e) = &result {
        if let (Some(options), Ok(status)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(e.status_code()),
        ) {
            options.set_status(status);
            if matches!(e, crate::error::AppError::Unavailable) {
                options.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(crate::error::RETRY_AFTER_SECONDS),
                );
            }
        }
    }
    result
}
