//! The whole bundle as one tar.gz with `manifest.json` and `SHA256SUMS`, so
//! anyone can check it offline with `sha256sum -c SHA256SUMS`.

use super::read::contents;
use super::{rows, EvidenceStore};
use crate::domain::evidence::{build_archive, Manifest, ManifestEntry, Sha256Digest};
use crate::domain::train_name::TrainName;
use crate::error::{AppError, ResultExt};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub struct BundleArchive {
    /// `<train>-evidence.tar.gz`.
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The hash of the `manifest.json` inside.
    pub manifest_sha256: Sha256Digest,
    /// The bundle is not sealed yet: the manifest was made for this download.
    pub provisional: bool,
}

/// The archive of a sealed bundle is built from its sealed manifest and is
/// the same bytes on every download; an unsealed bundle gets a provisional
/// manifest dated `now`.
#[tracing::instrument(skip(pool, store))]
pub async fn bundle_archive(
    pool: &PgPool,
    store: &EvidenceStore,
    actor: &Actor,
    train: &str,
    now: DateTime<Utc>,
) -> Result<BundleArchive, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let target = rows::target(&mut conn, train, false).await?;
    let (manifest, provisional) = match rows::seal(&mut conn, target.train_id).await? {
        Some(seal) => (seal.manifest, false),
        None => {
            let entries = rows::artifacts(&mut conn, target.train_id)
                .await?
                .into_iter()
                .map(|a| ManifestEntry {
                    name: a.name,
                    kind: a.kind,
                    participant: a.participant,
                    size: a.size,
                    sha256: a.sha256,
                })
                .collect();
            let name = TrainName::parse(&target.name).or_internal("train name")?;
            let manifest = Manifest::new(name, now, entries).or_internal("provisional manifest")?;
            (manifest, true)
        }
    };
    drop(conn);
    let wanted: Vec<(String, Sha256Digest)> = manifest
        .entries()
        .iter()
        .map(|e| (e.name.to_string(), e.sha256.clone()))
        .collect();
    let files = contents(store, wanted).await?;
    let listed = manifest.entries().iter().filter_map(|e| {
        files
            .get(e.name.as_str())
            .map(|bytes| (e.name.clone(), bytes.as_ref()))
    });
    let bytes = build_archive(&manifest, listed).or_internal("building an archive")?;
    Ok(BundleArchive {
        file_name: format!("{}-evidence.tar.gz", target.name),
        bytes,
        manifest_sha256: manifest.digest(),
        provisional,
    })
}
