//! Errors of a submitted form, shown where they belong: under the field the
//! server named, or above the form when it named none.

use crate::error::AppError;
use leptos::prelude::*;

/// The message for `field`, if the last submission failed on it.
pub fn field_message<T>(result: &Option<Result<T, AppError>>, field: &str) -> Option<String> {
    match result {
        Some(Err(
            AppError::BadRequest {
                field: Some(f),
                message,
            }
            | AppError::Unprocessable {
                field: Some(f),
                message,
            }
            | AppError::SchemaViolations {
                field: Some(f),
                message,
                ..
            },
        )) if f == field => Some(message.clone()),
        _ => None,
    }
}

/// The message of a failure that names no field of this form.
pub fn form_message<T>(result: &Option<Result<T, AppError>>, fields: &[&str]) -> Option<String> {
    match result {
        Some(Err(e)) => match e {
            AppError::BadRequest { field: Some(f), .. }
            | AppError::Unprocessable { field: Some(f), .. }
            | AppError::SchemaViolations { field: Some(f), .. }
                if fields.contains(&f.as_str()) =>
            {
                None
            }
            other => Some(other.to_string()),
        },
        _ => None,
    }
}

/// Renders the message of `field` from a server action's last result (the
/// page renders once, on the server, after the form's post came back).
#[component]
pub fn FieldError(message: Option<String>, id: String) -> impl IntoView {
    message.map(|message| {
        view! {
            <p id=id role="alert" class="mt-1 text-sm text-rose-700">
                {message}
            </p>
        }
    })
}

/// Renders a form-level failure above the form.
#[component]
pub fn FormError(message: Option<String>) -> impl IntoView {
    message.map(|message| {
        view! {
            <p role="alert" class="mb-3 rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-800">
                {message}
            </p>
        }
    })
}
