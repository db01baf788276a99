//! Content-addressed blobs: `sha256/<hex>` holds the bytes hashing to `<hex>`.

use super::EvidenceStore;
use crate::domain::evidence::{digest_of, Sha256Digest};
use crate::error::{AppError, ResultExt};
use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStoreExt, PutPayload};

fn path_of(digest: &Sha256Digest) -> Path {
    Path::from(format!("sha256/{digest}"))
}

/// Stores `bytes` under their digest. Writing the same content twice is
/// harmless, so a blob already there is left as it is.
pub(crate) async fn put(
    store: &EvidenceStore,
    digest: &Sha256Digest,
    bytes: Bytes,
) -> Result<(), AppError> {
    let path = path_of(digest);
    match store.objects().head(&path).await {
        Ok(meta) if meta.size == bytes.len() as u64 => return Ok(()),
        Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
        Err(e) => return Err(AppError::internal("reading the evidence store", e)),
    }
    store
        .objects()
        .put(&path, PutPayload::from_bytes(bytes))
        .await
        .or_internal("writing to the evidence store")?;
    Ok(())
}

/// The bytes of a stored artifact, checked against its digest: a blob changed
/// behind the application's back is never served as evidence.
pub(super) async fn get(store: &EvidenceStore, digest: &Sha256Digest) -> Result<Bytes, AppError> {
    let bytes = store
        .objects()
        .get(&path_of(digest))
        .await
        .or_internal("reading from the evidence store")?
        .bytes()
        .await
        .or_internal("reading from the evidence store")?;
    let actual = digest_of(&bytes);
    if &actual != digest {
        return Err(AppError::internal(
            "an evidence blob does not match its digest",
            format!("sha256/{digest} now hashes to {actual}"),
        ));
    }
    Ok(bytes)
}
