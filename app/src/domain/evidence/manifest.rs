//! The manifest of a sealed bundle: every artifact with its kind, size and
//! SHA-256, in one canonical encoding whose own hash is recorded.

use super::{ArtifactName, EvidenceError, EvidenceKind, Sha256Digest};
use crate::domain::train_name::TrainName;
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Written into the manifest so a reader knows how to read it.
pub const MANIFEST_FORMAT: &str = "trainyard-evidence-manifest/v1";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ManifestEntry {
    pub name: ArtifactName,
    pub kind: EvidenceKind,
    /// The participant (service) the artifact belongs to; `None` for the train.
    pub participant: Option<String>,
    pub size: u64,
    pub sha256: Sha256Digest,
}

/// A sealed bundle's manifest: entries sorted by name, names unique even
/// ignoring case (the archive is unpacked on case-insensitive disks too),
/// the seal time in whole seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    train: TrainName,
    sealed_at: DateTime<Utc>,
    entries: Vec<ManifestEntry>,
}

impl Manifest {
    pub fn new(
        train: TrainName,
        sealed_at: DateTime<Utc>,
        mut entries: Vec<ManifestEntry>,
    ) -> Result<Self, EvidenceError> {
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let mut seen = BTreeSet::new();
        for entry in &entries {
            if !seen.insert(entry.name.as_str().to_ascii_lowercase()) {
                return Err(EvidenceError::DuplicateName(entry.name.to_string()));
            }
        }
        Ok(Self {
            train,
            sealed_at: sealed_at.trunc_subsecs(0),
            entries,
        })
    }

    pub fn train(&self) -> &TrainName {
        &self.train
    }

    pub fn sealed_at(&self) -> DateTime<Utc> {
        self.sealed_at
    }

    pub fn entries(&self) -> &[ManifestEntry] {
        &self.entries
    }

    pub fn total_size(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }

    /// The bytes of `manifest.json`: UTF-8 JSON with keys in a fixed order,
    /// two-space indentation, entries sorted by name, the time as RFC 3339
    /// UTC seconds, and a final newline. The same manifest always gives the
    /// same bytes, so their hash identifies it.
    pub fn canonical_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(&self.wire()).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The SHA-256 of [`Self::canonical_json`]: the hash recorded at sealing
    /// and listed for `manifest.json` in the archive's `SHA256SUMS`.
    #[cfg(feature = "ssr")]
    pub fn digest(&self) -> Sha256Digest {
        super::digest_of(&self.canonical_json())
    }

    fn wire(&self) -> Wire {
        Wire {
            format: MANIFEST_FORMAT.to_owned(),
            train: self.train.to_string(),
            sealed_at: self.sealed_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            entries: self.entries.iter().map(WireEntry::from).collect(),
        }
    }
}

/// `<hex>  <name>` lines, sorted by name, as `sha256sum -c` reads them.
pub fn sha256sums(entries: &[ManifestEntry]) -> String {
    sums_text(entries.iter().map(|e| (e.name.as_str(), &e.sha256)))
}

pub(crate) fn sums_text<'a>(lines: impl Iterator<Item = (&'a str, &'a Sha256Digest)>) -> String {
    let mut lines: Vec<_> = lines.collect();
    lines.sort_by(|a, b| a.0.cmp(b.0));
    lines
        .into_iter()
        .map(|(name, digest)| format!("{digest}  {name}\n"))
        .collect()
}

/// The stored form; field order here is the canonical key order.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    format: String,
    train: String,
    sealed_at: String,
    entries: Vec<WireEntry>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireEntry {
    name: ArtifactName,
    kind: EvidenceKind,
    participant: Option<String>,
    size: u64,
    sha256: Sha256Digest,
}

impl From<&ManifestEntry> for WireEntry {
    fn from(e: &ManifestEntry) -> Self {
        Self {
            name: e.name.clone(),
            kind: e.kind,
            participant: e.participant.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
        }
    }
}

impl Serialize for Manifest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.wire().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Manifest {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let wire = Wire::deserialize(deserializer)?;
        if wire.format != MANIFEST_FORMAT {
            return Err(D::Error::custom(format!(
                "manifest format {:?} is not {MANIFEST_FORMAT:?}",
                wire.format
            )));
        }
        let train = TrainName::parse(&wire.train).map_err(D::Error::custom)?;
        let sealed_at = DateTime::parse_from_rfc3339(&wire.sealed_at)
            .map_err(|e| D::Error::custom(format!("sealed_at {:?}: {e}", wire.sealed_at)))?
            .with_timezone(&Utc);
        let entries = wire
            .entries
            .into_iter()
            .map(|e| ManifestEntry {
                name: e.name,
                kind: e.kind,
                participant: e.participant,
                size: e.size,
                sha256: e.sha256,
            })
            .collect();
        Manifest::new(train, sealed_at, entries).map_err(D::Error::custom)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn entry(name: &str, kind: EvidenceKind, hex: char, size: u64) -> ManifestEntry {
        ManifestEntry {
            name: ArtifactName::parse(name).unwrap(),
            kind,
            participant: Some("curve".into()),
            size,
            sha256: Sha256Digest::parse(&hex.to_string().repeat(64)).unwrap(),
        }
    }

    fn sealed() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 9, 16, 17, 0, 0).unwrap() + chrono::Duration::milliseconds(250)
    }

    fn manifest(entries: Vec<ManifestEntry>) -> Manifest {
        Manifest::new(TrainName::parse("2025.09-wk3").unwrap(), sealed(), entries).unwrap()
    }

    #[test]
    fn the_canonical_encoding_ignores_the_order_entries_were_given_in() {
        let a = entry("junit.xml", EvidenceKind::Junit, 'a', 10);
        let b = entry("curve.cdx.json", EvidenceKind::CyclonedxSbom, 'b', 20);
        let one = manifest(vec![a.clone(), b.clone()]);
        let other = manifest(vec![b, a]);
        assert_eq!(one.canonical_json(), other.canonical_json());
        assert_eq!(one.entries()[0].name.as_str(), "curve.cdx.json");
        assert_eq!(one.total_size(), 30);
    }

    #[test]
    fn the_canonical_encoding_has_a_fixed_key_order_and_whole_seconds() {
        let m = manifest(vec![entry("junit.xml", EvidenceKind::Junit, 'a', 10)]);
        let text = String::from_utf8(m.canonical_json()).unwrap();
        let expected = format!(
            "{{\n  \"format\": \"{MANIFEST_FORMAT}\",\n  \"train\": \"2025.09-wk3\",\n  \
             \"sealed_at\": \"2025-09-16T17:00:00Z\",\n  \"entries\": [\n    {{\n      \
             \"name\": \"junit.xml\",\n      \"kind\": \"junit\",\n      \
             \"participant\": \"curve\",\n      \"size\": 10,\n      \
             \"sha256\": \"{}\"\n    }}\n  ]\n}}\n",
            "a".repeat(64)
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn a_manifest_round_trips_through_its_json_unchanged() {
        let m = manifest(vec![
            entry("junit.xml", EvidenceKind::Junit, 'a', 10),
            entry(
                "release-metadata.json",
                EvidenceKind::ReleaseMetadata,
                'c',
                5,
            ),
        ]);
        let back: Manifest = serde_json::from_slice(&m.canonical_json()).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.canonical_json(), m.canonical_json());
    }

    #[test]
    fn two_artifacts_whose_names_differ_only_in_case_cannot_be_sealed_together() {
        let err = Manifest::new(
            TrainName::parse("t").unwrap(),
            sealed(),
            vec![
                entry("junit.xml", EvidenceKind::Junit, 'a', 1),
                entry("JUnit.xml", EvidenceKind::Junit, 'b', 1),
            ],
        )
        .unwrap_err();
        assert!(matches!(err, EvidenceError::DuplicateName(_)), "{err}");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_manifest_digest_is_the_hash_of_its_canonical_bytes_and_changes_with_any_entry() {
        let m = manifest(vec![entry("junit.xml", EvidenceKind::Junit, 'a', 10)]);
        assert_eq!(
            m.digest(),
            crate::domain::evidence::digest_of(&m.canonical_json())
        );
        let bigger = manifest(vec![entry("junit.xml", EvidenceKind::Junit, 'a', 11)]);
        assert_ne!(m.digest(), bigger.digest());
    }

    #[test]
    fn sha256sums_lines_are_what_sha256sum_check_reads() {
        let text = sha256sums(&[
            entry("junit.xml", EvidenceKind::Junit, 'a', 10),
            entry("curve.cdx.json", EvidenceKind::CyclonedxSbom, 'b', 20),
        ]);
        assert_eq!(
            text,
            format!(
                "{}  curve.cdx.json\n{}  junit.xml\n",
                "b".repeat(64),
                "a".repeat(64)
            )
        );
        let parsed = crate::domain::evidence::checksums::parse(&text).unwrap();
        assert_eq!(parsed.entries.len(), 2);
    }
}
