//! Whole pages shared by everyone who sees the same thing at the same
//! moment. A team of twenty on one train page, or a hundred open pages that
//! a live update makes fetch again at once, cost one render: the others get
//! its HTML. Pages follow the read models' rules (`ReadCache`): one entry per
//! viewer and address, ended by any change (the two caches share it) and
//! after the read cache's time to live.
//!
//! Answers to a `GET` are shared unless they set a cookie; a server error is
//! shared only with the requests that waited for it, never kept (else a
//! failed render would make each waiting request render again, one after
//! the other). Each answer gets a nonce of its own: the cached document is
//! kept cut at its nonce, and every answer joins the pieces with a fresh one,
//! so the Content-Security-Policy (`crate::security_headers`) never sees the
//! same nonce twice.

use app::error::AppError;
use app::services::actor::Actor;
use app::services::read_cache::ReadCache;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};

/// Pages kept at most (each a few tens of kilobytes).
pub const CAPACITY: usize = 512;

/// The largest document kept; a larger one is answered, never kept.
const MAX_DOCUMENT: usize = 4 * 1024 * 1024;

/// A rendered page, ready to answer again.
#[derive(Clone)]
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    /// The document cut at every occurrence of its nonce (one piece when it
    /// has none).
    pieces: Arc<[Bytes]>,
}

/// The page cache: a [`ReadCache`] of whole documents.
#[derive(Clone)]
pub struct Pages(pub ReadCache);

/// Answers a page from the cache when someone who sees the same already
/// asked for it, and renders it otherwise.
pub async fn serve(State(pages): State<Pages>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let actor = request
        .extensions()
        .get::<Actor>()
        .cloned()
        .unwrap_or_else(|| Actor::anonymous(false));
    let address = request.uri().to_string();
    // An answer that may not be shared goes to its own request only.
    let unshared: Arc<Mutex<Option<Response>>> = Arc::default();
    let cached = {
        let unshared = Arc::clone(&unshared);
        pages
            .0
            .read(&actor, &address, || async move {
                match Page::from_response(next.run(request).await).await {
                    Ok(page) => Ok(page),
                    Err(response) => {
                        *unshared.lock().unwrap_or_else(|e| e.into_inner()) = Some(response);
                        Err(AppError::Internal)
                    }
                }
            })
            .await
    };
    let own = unshared.lock().unwrap_or_else(|e| e.into_inner()).take();
    match (cached, own) {
        (_, Some(response)) => response,
        (Ok(page), None) => {
            if page.status.is_server_error() {
                pages.0.forget(&actor, &address);
            }
            page.answer()
        }
        // Only this request's own load can fail, and it left its answer.
        (Err(e), None) => {
            tracing::error!(error = %e, "a page load failed without an answer");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

impl Page {
    /// The page, if `response` may be shared; else `response` itself (its
    /// body read, when it had to be read to know).
    async fn from_response(response: Response) -> Result<Self, Response> {
        let shareable = !response.headers().contains_key(header::SET_COOKIE)
            && !response.headers().contains_key(header::CONTENT_ENCODING);
        if !shareable {
            return Err(response);
        }
        let (parts, body) = response.into_parts();
        let document = match axum::body::to_bytes(body, MAX_DOCUMENT).await {
            Ok(document) => document,
            Err(e) => {
                tracing::error!(error = %e, "reading a page to share it");
                return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        };
        let mut headers = parts.headers;
        headers.remove(header::CONTENT_LENGTH);
        let pieces = match crate::csp::document_nonce(&document) {
            Some(nonce) => cut_at(&document, nonce.as_bytes()),
            None => vec![document],
        };
        Ok(Self {
            status: parts.status,
            headers,
            pieces: pieces.into(),
        })
    }

    /// The page as one answer, with a nonce of its own.
    fn answer(&self) -> Response {
        let body = match &*self.pieces {
            [one] => one.clone(),
            pieces => join_with(pieces, fresh_nonce().as_bytes()),
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        response
    }
}

/// `document` cut at every occurrence of `mark`.
fn cut_at(document: &Bytes, mark: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while let Some(found) = document[at..].windows(mark.len()).position(|w| w == mark) {
        let end = at + found;
        pieces.push(document.slice(start..end));
        start = end + mark.len();
        at = start;
    }
    pieces.push(document.slice(start..));
    pieces
}

fn join_with(pieces: &[Bytes], mark: &[u8]) -> Bytes {
    let len = pieces.iter().map(Bytes::len).sum::<usize>() + mark.len() * (pieces.len() - 1);
    let mut joined = Vec::with_capacity(len);
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            joined.extend_from_slice(mark);
        }
        joined.extend_from_slice(piece);
    }
    joined.into()
}

/// A nonce as Leptos makes them: 16 random bytes, base64.
fn fresh_nonce() -> String {
    use base64::Engine;
    let bytes: [u8; 16] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_cut_at_its_nonce_joins_back_with_another() {
        let document = Bytes::from_static(b"<script nonce=\"N1\">a</script><p>N1</p>");
        let pieces = cut_at(&document, b"N1");
        assert_eq!(pieces.len(), 3);
        assert_eq!(join_with(&pieces, b"N1"), document);
        assert_eq!(
            join_with(&pieces, b"xy"),
            Bytes::from_static(b"<script nonce=\"xy\">a</script><p>xy</p>")
        );
        assert_eq!(cut_at(&Bytes::from_static(b"none"), b"N1").len(), 1);
    }

    #[test]
    fn every_nonce_is_new_and_one_the_policy_accepts() {
        let (a, b) = (fresh_nonce(), fresh_nonce());
        assert_ne!(a, b);
        let tag = format!("<script nonce=\"{a}\">");
        assert_eq!(crate::csp::document_nonce(tag.as_bytes()), Some(a.as_str()));
    }
}
