//! Opens the object store evidence blobs live in, once, at start-up.

use crate::config::{EvidenceSettings, StoreLocation};
use anyhow::Context;
use app::services::evidence::EvidenceStore;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;
use object_store::ObjectStore;
use std::sync::Arc;

pub fn open(settings: &EvidenceSettings) -> anyhow::Result<EvidenceStore> {
    let objects: Arc<dyn ObjectStore> = match &settings.store {
        StoreLocation::Directory(dir) => {
            std::fs::create_dir_all(dir).with_context(|| {
                format!(
                    "creating the evidence directory {} (TRAINYARD_EVIDENCE_STORE)",
                    dir.display()
                )
            })?;
            Arc::new(LocalFileSystem::new_with_prefix(dir).with_context(|| {
                format!(
                    "opening the evidence directory {} (TRAINYARD_EVIDENCE_STORE)",
                    dir.display()
                )
            })?)
        }
        StoreLocation::S3 { bucket, prefix } => {
            let s3 = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .with_context(|| {
                    format!("configuring the S3 bucket {bucket} (TRAINYARD_EVIDENCE_STORE, AWS_*)")
                })?;
            if prefix.is_empty() {
                Arc::new(s3)
            } else {
                Arc::new(PrefixStore::new(s3, prefix.as_str()))
            }
        }
    };
    tracing::info!(location = ?settings.store, store = %objects, max_bytes = settings.max_bytes, "evidence store");
    Ok(EvidenceStore::new(objects, settings.max_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_is_created_when_the_store_opens() {
        let root = std::env::temp_dir().join(format!("trainyard-store-{}", std::process::id()));
        let dir = root.join("nested/evidence");
        let settings = EvidenceSettings {
            store: StoreLocation::Directory(dir.clone()),
            max_bytes: 10,
        };
        let store = open(&settings).unwrap();
        assert!(dir.is_dir());
        assert_eq!(store.max_bytes(), 10);
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn an_s3_bucket_is_configured_without_contacting_it() {
        let settings = EvidenceSettings {
            store: StoreLocation::S3 {
                bucket: "releases".into(),
                prefix: "trainyard/evidence".into(),
            },
            max_bytes: 10,
        };
        let store = open(&settings).unwrap();
        assert!(
            format!("{store:?}").contains("trainyard/evidence"),
            "{store:?}"
        );
    }
}
