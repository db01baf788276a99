//! Evidence bundles for the pages: the list, one bundle, one artifact's
//! viewer, and removing an artifact of an unsealed bundle. Uploads come
//! through the multipart form route of the server (see `server/src/routes`).

use crate::error::AppError;
use crate::models::evidence::{ArtifactDetail, BundleListing, BundleView};
use leptos::prelude::*;

/// A page of bundles: after (older than) or before (newer than) a key the
/// previous page named.
#[server(prefix = "/sfn", endpoint = "evidence/list")]
pub async fn evidence_bundles(
    after: Option<String>,
    before: Option<String>,
) -> Result<BundleListing, AppError> {
    use crate::domain::keyset::PageAt;
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let result = match PageAt::parse(after.as_deref(), before.as_deref()) {
        Ok(at) => {
            crate::server_fns::context::read_cache()?
                .read(&actor, &format!("bundles {at:?}"), || {
                    crate::services::evidence::bundles(&pool, &actor, &at)
                })
                .await
        }
        Err(e) => Err(crate::error::bad_field(e.0, e)),
    };
    super::with_status(result)
}

#[server(prefix = "/sfn", endpoint = "evidence/bundle")]
pub async fn evidence_bundle(train: String) -> Result<BundleView, AppError> {
    let pool = crate::server_fns::context::pool()?;
    let store = crate::services::evidence::store()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::server_fns::context::read_cache()?
            .read(&actor, &format!("bundle {train}"), || {
                crate::services::evidence::bundle(&pool, &store, &actor, &train)
            })
            .await,
    )
}

#[server(prefix = "/sfn", endpoint = "evidence/artifact")]
pub async fn evidence_artifact(train: String, name: String) -> Result<ArtifactDetail, AppError> {
    let pool = crate::server_fns::context::pool()?;
    let store = crate::services::evidence::store()?;
    super::with_status(
        crate::services::evidence::artifact_detail(
            &pool,
            &store,
            &crate::server_fns::context::actor(),
            &train,
            &name,
        )
        .await,
    )
}

/// Removes an artifact from a bundle that is not sealed yet.
#[server(prefix = "/sfn", endpoint = "evidence/remove")]
pub async fn remove_evidence(train: String, name: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::evidence::remove_artifact(
            &pool,
            &crate::server_fns::context::actor(),
            &train,
            &name,
            chrono::Utc::now(),
        )
        .await,
    )
}
