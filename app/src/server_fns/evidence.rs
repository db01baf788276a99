//! Evidence bundles for the pages: the list, one bundle, one artifact's
//! viewer, and removing an artifact of an unsealed bundle. Uploads come
//! through the multipart form route of the server (see `server/src/routes`).

use crate::error::AppError;
use crate::models::evidence::{ArtifactDetail, BundleListing, BundleView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::{serve, serve_cached},
    crate::services::evidence,
};

/// A page of bundles: after (older than) or before (newer than) a key the
/// previous page named.
#[server(prefix = "/sfn", endpoint = "evidence/list")]
pub async fn evidence_bundles(
    after: Option<String>,
    before: Option<String>,
) -> Result<BundleListing, AppError> {
    use crate::domain::keyset::PageAt;
    match PageAt::parse(after.as_deref(), before.as_deref()) {
        Ok(at) => {
            serve_cached(&format!("bundles {at:?}"), |c| async move {
                evidence::bundles(&c.pool, &c.actor, &at).await
            })
            .await
        }
        Err(e) => serve(|_| async move { Err(crate::error::bad_field(e.0, e)) }).await,
    }
}

#[server(prefix = "/sfn", endpoint = "evidence/bundle")]
pub async fn evidence_bundle(train: String) -> Result<BundleView, AppError> {
    let store = evidence::store();
    serve_cached(&format!("bundle {train}"), |c| async move {
        evidence::bundle(&c.pool, &store?, &c.actor, &train).await
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "evidence/artifact")]
pub async fn evidence_artifact(train: String, name: String) -> Result<ArtifactDetail, AppError> {
    let store = evidence::store();
    serve(|c| async move {
        evidence::artifact_detail(&c.pool, &store?, &c.actor, &train, &name).await
    })
    .await
}

/// Removes an artifact from a bundle that is not sealed yet.
#[server(prefix = "/sfn", endpoint = "evidence/remove")]
pub async fn remove_evidence(train: String, name: String) -> Result<(), AppError> {
    serve(
        |c| async move { evidence::remove_artifact(&c.pool, &c.actor, &train, &name, c.now).await },
    )
    .await
}
