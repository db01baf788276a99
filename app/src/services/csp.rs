//! The Content-Security-Policy of HTML documents: scripts only from this origin
//! or carrying this response's nonce (Leptos puts it on the hydration script),
//! and `wasm-unsafe-eval` so the browser may compile the app's own wasm.

use leptos::prelude::use_context;

pub fn document_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )
}

/// Sets the policy on the response being rendered.
pub fn set_document_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&document_policy(&nonce.to_string())) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
