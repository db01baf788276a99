//! The site's static files at line speed: `/pkg/*` (the stylesheet, the
//! islands' JavaScript and wasm) served straight from disk before any
//! session or database work, the precompressed `.br` / `.gz` copies a
//! release build writes chosen by `Accept-Encoding`, and the hashed names of
//! a release build cached for a year as `immutable` (a new build has new
//! names). `public/` files at the site root revalidate.

use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::config::LeptosOptions;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// Unhashed names (a development build, `public/` files): use, but ask first.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The built site's asset names, as the build wrote them.
#[derive(Clone, Debug)]
pub struct SiteAssets {
    stylesheet: String,
    /// `/pkg/…` paths whose names carry their content's hash.
    immutable: Arc<HashSet<String>>,
}

impl SiteAssets {
    /// Reads the names the build chose. With `LEPTOS_HASH_FILES=true`, the
    /// build's `hash.txt` must sit next to the server binary and name files
    /// that exist; anything else is an error naming what is missing.
    pub fn load(options: &LeptosOptions) -> anyhow::Result<Self> {
        let name = options.output_name.to_string();
        let pkg = format!("/{}", options.site_pkg_dir);
        if !options.hash_files {
            return Ok(Self {
                stylesheet: format!("{pkg}/{name}.css"),
                immutable: Arc::default(),
            });
        }
        let hash_file = std::env::current_exe()
            .context("locating the server binary")?
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
            .join(options.hash_file.as_ref());
        let hashes = std::fs::read_to_string(&hash_file).with_context(|| {
            format!(
                "LEPTOS_HASH_FILES=true but the build's {} is missing: build with \
                 `LEPTOS_HASH_FILES=true cargo leptos build --release` (make release) or unset it",
                hash_file.display()
            )
        })?;
        let mut immutable = HashSet::new();
        let mut stylesheet = None;
        for (kind, hash) in hashes.lines().filter_map(|l| l.split_once(':')) {
            let (kind, hash) = (kind.trim(), hash.trim());
            let file = match kind {
                "js" => format!("{name}.{hash}.js"),
                // wasm-bindgen's `_bg` is dropped when cargo-leptos hashes.
                "wasm" => format!("{name}.{hash}.wasm"),
                "css" => format!("{name}.{hash}.css"),
                _ => continue,
            };
            let on_disk = PathBuf::from(options.site_root.as_ref())
                .join(options.site_pkg_dir.as_ref())
                .join(&file);
            anyhow::ensure!(
                on_disk.is_file(),
                "{} names {} but LEPTOS_SITE_ROOT has no such file: rebuild the site",
                hash_file.display(),
                on_disk.display()
            );
            let path = format!("{pkg}/{file}");
            if kind == "css" {
                stylesheet = Some(path.clone());
            }
            immutable.insert(path);
        }
        Ok(Self {
            stylesheet: stylesheet
                .with_context(|| format!("{} names no stylesheet", hash_file.display()))?,
            immutable: Arc::new(immutable),
        })
    }

    /// Where the site's stylesheet is.
    pub fn stylesheet(&self) -> &str {
        &self.stylesheet
    }

    fn is_immutable(&self, path: &str) -> bool {
        self.immutable.contains(path)
    }
}

/// `Cache-Control` of a static file: a year for hashed names, revalidation
/// for the rest.
pub async fn cache_control(
    State(assets): State<SiteAssets>,
    request: Request,
    next: Next,
) -> Response {
    let immutable = assets.is_immutable(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            if immutable { IMMUTABLE } else { REVALIDATE },
        );
    }
    response
}

/// Caches must keep the brotli, gzip and plain copies of a file apart:
/// `ServeDir` picks a precompressed copy without saying it varies.
pub async fn vary_on_encoding(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if headers.contains_key(header::CONTENT_ENCODING) && !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}
