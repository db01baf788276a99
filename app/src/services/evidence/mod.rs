//! Evidence bundles: uploads checked as their declared kind and stored
//! content-addressed in the object store, their metadata in Postgres, the
//! seal at completion, the viewers' data and the downloadable archive.
//!
//! Blobs are written first (idempotent: the path is the content's hash),
//! then the metadata and the audit record in one transaction. A failure in
//! between leaves only an unreferenced blob, which nobody sees.

mod archive;
mod blobs;
mod change;
mod read;
mod rows;
mod seal;
mod upload;

pub use archive::{bundle_archive, BundleArchive};
pub(crate) use blobs::put as put_blob;
pub use change::remove_artifact;
pub use read::{artifact_detail, bundle, bundles, download, evidence_completeness};
pub use seal::seal_bundle;
pub(crate) use upload::write_artifact;
pub use upload::{check_upload, read_limited, refuse_upload, upload_artifact, UploadRequest};

use crate::domain::byte_size;
use crate::error::bad_field as bad;
use crate::error::bad_field as unprocessable;
use crate::error::AppError;
use object_store::ObjectStore;
use std::sync::Arc;

/// Where evidence bytes live, and how large one upload may be. The server
/// builds it from its configuration and provides it to the service layer
/// (and, as Leptos context, to server functions).
#[derive(Clone)]
pub struct EvidenceStore {
    objects: Arc<dyn ObjectStore>,
    max_bytes: u64,
}

impl EvidenceStore {
    pub fn new(objects: Arc<dyn ObjectStore>, max_bytes: u64) -> Self {
        Self { objects, max_bytes }
    }

    pub fn objects(&self) -> &dyn ObjectStore {
        self.objects.as_ref()
    }

    /// The largest upload accepted (`TRAINYARD_EVIDENCE_MAX_BYTES`).
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The refusal of an upload over the limit.
    pub fn too_large(&self) -> AppError {
        AppError::PayloadTooLarge(format!(
            "the upload exceeds the {} limit (TRAINYARD_EVIDENCE_MAX_BYTES)",
            byte_size::label(self.max_bytes)
        ))
    }
}

impl std::fmt::Debug for EvidenceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EvidenceStore")
            .field("objects", &self.objects.to_string())
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

/// The store the server provides to every render and server function call.
pub fn store() -> Result<EvidenceStore, AppError> {
    leptos::prelude::use_context::<EvidenceStore>().ok_or_else(|| {
        tracing::error!("no evidence store in the Leptos context");
        AppError::Internal
    })
}
