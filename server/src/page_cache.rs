//! Whole pages shared by everyone who sees the same thing at the same
//! moment. A team of twenty on one train page, or a hundred open pages that
//! a live update makes fetch again at once, cost one render and one
//! compression: the others get its bytes. Pages follow the read models'
//! rules (`ReadCache`): one entry per viewer and address, ended by any change
//! (the two caches share it) and after the read cache's time to live.
//!
//! Answers to a `GET` are shared unless they set a cookie; a server error is
//! shared only with the requests that waited for it, never kept (else a
//! failed render would make each waiting request render again, one after
//! the other). A document's Content-Security-Policy lists its inline scripts
//! by hash (`crate::csp`), so the same bytes may be answered to everyone.

use crate::security_headers::{is_html, MAX_DOCUMENT};
use app::error::AppError;
use app::services::actor::Actor;
use app::services::read_cache::ReadCache;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Pages kept at most (each a few tens of kilobytes, and its compressed
/// copies).
pub const CAPACITY: usize = 512;

/// Documents smaller than this are answered as they are.
const COMPRESS_ABOVE: usize = 512;

/// A rendered page, ready to answer again.
#[derive(Clone)]
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// Compressed copies, made by the first request that accepts each.
    brotli: Arc<OnceLock<Bytes>>,
    gzip: Arc<OnceLock<Bytes>>,
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
    let encoding = Encoding::accepted(request.headers());
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
            page.answer(encoding)
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
        let body = match axum::body::to_bytes(body, MAX_DOCUMENT).await {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error = %e, "reading a page to share it");
                return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
            }
        };
        let mut headers = parts.headers;
        headers.remove(header::CONTENT_LENGTH);
        if is_html(&headers) {
            let policy = crate::csp::document_policy(&body);
            if let Ok(policy) = HeaderValue::from_str(&policy) {
                headers.insert(header::CONTENT_SECURITY_POLICY, policy);
            }
        }
        Ok(Self {
            status: parts.status,
            headers,
            body,
            brotli: Arc::default(),
            gzip: Arc::default(),
        })
    }

    /// The page as one answer, compressed as the client accepts.
    fn answer(&self, accepted: Encoding) -> Response {
        let compress = self.body.len() > COMPRESS_ABOVE && is_html(&self.headers);
        let (body, encoding) = match accepted {
            Encoding::Brotli if compress => (self.brotli.get_or_init(|| brotli(&self.body)), "br"),
            Encoding::Gzip if compress => (self.gzip.get_or_init(|| gzip(&self.body)), "gzip"),
            _ => (&self.body, ""),
        };
        let mut response = Response::new(Body::from(body.clone()));
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        if compress {
            let headers = response.headers_mut();
            headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            if !encoding.is_empty() {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
        }
        response
    }
}

/// The compression a request accepts, brotli first.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn accepted(headers: &HeaderMap) -> Self {
        let accepts = |wanted: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| {
                    let mut parts = item.split(';').map(str::trim);
                    let coding = parts.next().unwrap_or_default();
                    let refused = parts.any(|p| {
                        p.strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                            .is_some_and(|q| q <= 0.0)
                    });
                    coding.eq_ignore_ascii_case(wanted) && !refused
                })
        };
        if accepts("br") {
            Self::Brotli
        } else if accepts("gzip") {
            Self::Gzip
        } else {
            Self::Identity
        }
    }
}

/// Brotli at quality 5: once per page and change, so a little slower than
/// on-the-fly compression for a smaller answer.
fn brotli(body: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 8);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        // Writing to memory cannot fail.
        let _ = writer.write_all(body);
    }
    out.into()
}

fn gzip(body: &[u8]) -> Bytes {
    let mut writer = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = writer.write_all(body);
    writer.finish().unwrap_or_default().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> Encoding {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        Encoding::accepted(&headers)
    }

    #[test]
    fn brotli_is_preferred_and_a_refused_coding_is_never_chosen() {
        assert_eq!(accepting("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(accepting("gzip, deflate"), Encoding::Gzip);
        assert_eq!(accepting("br;q=0, GZIP;q=0.5"), Encoding::Gzip);
        assert_eq!(accepting("identity"), Encoding::Identity);
        assert_eq!(Encoding::accepted(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_copies_hold_the_document() {
        use std::io::Read;
        let document = "<p>a train page</p>".repeat(100);
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&gzip(document.as_bytes())[..])
            .read_to_string(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, document);
        let mut unbrotlied = String::new();
        brotli::Decompressor::new(&brotli(document.as_bytes())[..], 4096)
            .read_to_string(&mut unbrotlied)
            .unwrap();
        assert_eq!(unbrotlied, document);
    }
}
