//! Where evidence bytes are stored and how large one upload may be.

use super::{parse_or, ConfigError};
use app::domain::byte_size;
use std::path::PathBuf;

/// The object store holding evidence blobs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreLocation {
    /// A local directory (created when missing).
    Directory(PathBuf),
    /// An S3-compatible bucket, credentials and endpoint from the standard
    /// `AWS_*` variables; blobs under `prefix` when one is given.
    S3 { bucket: String, prefix: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceSettings {
    pub store: StoreLocation,
    pub max_bytes: u64,
}

pub const DEFAULT_STORE: &str = "file://target/trainyard/evidence";
pub const DEFAULT_MAX_BYTES: &str = "25MiB";

impl EvidenceSettings {
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            store: parse_or(
                lookup,
                "TRAINYARD_EVIDENCE_STORE",
                DEFAULT_STORE,
                parse_store,
            )?,
            max_bytes: parse_or(
                lookup,
                "TRAINYARD_EVIDENCE_MAX_BYTES",
                DEFAULT_MAX_BYTES,
                byte_size::parse,
            )?,
        })
    }
}

/// `file://relative/dir` (from the working directory), `file:///abs/dir`,
/// a bare path, or `s3://bucket[/prefix]`.
fn parse_store(raw: &str) -> Result<StoreLocation, String> {
    if let Some(rest) = raw.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err("s3:// needs a bucket name: s3://bucket/prefix".to_owned());
        }
        return Ok(StoreLocation::S3 {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
        });
    }
    let path = raw.strip_prefix("file://").unwrap_or(raw);
    if path.contains("://") {
        return Err("must be file://DIR, a directory path, or s3://bucket/prefix".to_owned());
    }
    if path.is_empty() {
        return Err("names no directory".to_owned());
    }
    Ok(StoreLocation::Directory(PathBuf::from(path)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<EvidenceSettings, ConfigError> {
        let map: HashMap<&str, &str> = vars.iter().copied().collect();
        EvidenceSettings::from_lookup(&|k: &str| map.get(k).map(|v| v.to_string()))
    }

    #[test]
    fn by_default_evidence_goes_to_a_directory_under_target_and_uploads_stop_at_25_mib() {
        let s = settings(&[]).unwrap();
        assert_eq!(
            s.store,
            StoreLocation::Directory("target/trainyard/evidence".into())
        );
        assert_eq!(s.max_bytes, 25 * 1024 * 1024);
    }

    #[test]
    fn the_store_is_a_relative_or_absolute_directory_or_an_s3_bucket() {
        let store = |v| settings(&[("TRAINYARD_EVIDENCE_STORE", v)]).unwrap().store;
        assert_eq!(
            store("file:///srv/evidence"),
            StoreLocation::Directory("/srv/evidence".into())
        );
        assert_eq!(
            store("/srv/evidence"),
            StoreLocation::Directory("/srv/evidence".into())
        );
        assert_eq!(
            store("s3://releases/trainyard/evidence/"),
            StoreLocation::S3 {
                bucket: "releases".into(),
                prefix: "trainyard/evidence".into()
            }
        );
        assert_eq!(
            store("s3://releases"),
            StoreLocation::S3 {
                bucket: "releases".into(),
                prefix: String::new()
            }
        );
    }

    #[test]
    fn a_wrong_store_or_limit_names_its_variable() {
        for (var, value) in [
            ("TRAINYARD_EVIDENCE_STORE", "gs://bucket"),
            ("TRAINYARD_EVIDENCE_STORE", "s3://"),
            ("TRAINYARD_EVIDENCE_MAX_BYTES", "0"),
            ("TRAINYARD_EVIDENCE_MAX_BYTES", "lots"),
        ] {
            let err = settings(&[(var, value)]).unwrap_err();
            assert!(err.to_string().starts_with(var), "{err}");
        }
    }
}
