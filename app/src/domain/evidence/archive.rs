//! The downloadable bundle: one tar.gz that anyone can check offline with
//! `tar xzf … && cd <train>-evidence && sha256sum -c SHA256SUMS`.

use super::manifest::sums_text;
use super::{digest_of, ArtifactName, EvidenceError, Manifest, Sha256Digest};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::collections::BTreeMap;
use tar::{EntryType, Header};

/// Builds `<train>-evidence/` holding every artifact of `manifest`,
/// `manifest.json` (its canonical bytes) and `SHA256SUMS` (covering the
/// artifacts and `manifest.json`).
///
/// `files` must hold exactly the manifest's artifacts, each with the size and
/// digest the manifest records. The output depends only on its inputs: entries
/// are sorted, every file has mode 0644, owner 0 and the seal time as mtime,
/// and the gzip header carries no time.
pub fn build_archive<'a>(
    manifest: &Manifest,
    files: impl IntoIterator<Item = (ArtifactName, &'a [u8])>,
) -> Result<Vec<u8>, EvidenceError> {
    let files = matching_files(manifest, files)?;
    let manifest_json = manifest.canonical_json();
    let manifest_digest = digest_of(&manifest_json);
    let listed = manifest
        .entries()
        .iter()
        .map(|e| (e.name.as_str(), &e.sha256));
    let sums = sums_text(listed.chain([("manifest.json", &manifest_digest)]));

    let root = format!("{}-evidence", manifest.train());
    let mtime = u64::try_from(manifest.sealed_at().timestamp()).unwrap_or(0);
    let io = |e: std::io::Error| EvidenceError::Archive(e.to_string());

    let gz = GzEncoder::new(Vec::new(), Compression::default());
    let mut tar = tar::Builder::new(gz);
    let mut dir = header(EntryType::Directory, 0o755, mtime, 0);
    tar.append_data(&mut dir, format!("{root}/"), std::io::empty())
        .map_err(io)?;
    let own_files = [
        ("manifest.json", manifest_json.as_slice()),
        ("SHA256SUMS", sums.as_bytes()),
    ];
    let artifacts = files.iter().map(|(name, bytes)| (name.as_str(), *bytes));
    for (name, bytes) in artifacts.chain(own_files) {
        let mut file = header(EntryType::Regular, 0o644, mtime, bytes.len() as u64);
        tar.append_data(&mut file, format!("{root}/{name}"), bytes)
            .map_err(io)?;
    }
    tar.into_inner().map_err(io)?.finish().map_err(io)
}

fn header(kind: EntryType, mode: u32, mtime: u64, size: u64) -> Header {
    let mut header = Header::new_gnu();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_mtime(mtime);
    header.set_uid(0);
    header.set_gid(0);
    header.set_size(size);
    header
}

/// The files keyed (and so sorted) by name, once each is checked against
/// the manifest.
fn matching_files<'a>(
    manifest: &Manifest,
    files: impl IntoIterator<Item = (ArtifactName, &'a [u8])>,
) -> Result<BTreeMap<ArtifactName, &'a [u8]>, EvidenceError> {
    let mut by_name = BTreeMap::new();
    for (name, bytes) in files {
        if by_name.insert(name.clone(), bytes).is_some() {
            return Err(EvidenceError::DuplicateName(name.to_string()));
        }
    }
    let problem = |name: &ArtifactName, reason: String| EvidenceError::ArchiveContent {
        name: name.to_string(),
        reason,
    };
    for entry in manifest.entries() {
        let bytes = by_name.get(&entry.name).ok_or_else(|| {
            problem(
                &entry.name,
                "listed in the manifest but no bytes were given".into(),
            )
        })?;
        if bytes.len() as u64 != entry.size {
            return Err(problem(
                &entry.name,
                format!(
                    "the manifest records {} bytes, the file has {}",
                    entry.size,
                    bytes.len()
                ),
            ));
        }
        let actual: Sha256Digest = digest_of(bytes);
        if actual != entry.sha256 {
            return Err(problem(
                &entry.name,
                format!(
                    "the manifest records SHA-256 {}, the file hashes to {actual}",
                    entry.sha256
                ),
            ));
        }
    }
    if let Some(extra) = by_name
        .keys()
        .find(|name| !manifest.entries().iter().any(|e| &e.name == *name))
    {
        return Err(problem(extra, "not listed in the manifest".into()));
    }
    Ok(by_name)
}

#[cfg(test)]
mod tests {
    use super::super::{checksums, EvidenceKind, ManifestEntry};
    use super::*;
    use crate::domain::train_name::TrainName;
    use chrono::{TimeZone, Utc};
    use std::io::Read;

    const CURVE: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/curve.cdx.json");
    const JUNIT: &[u8] = include_bytes!("../../../../server/tests/fixtures/evidence/junit.xml");
    const METADATA: &[u8] =
        include_bytes!("../../../../server/tests/fixtures/evidence/release-metadata.json");

    fn files() -> Vec<(ArtifactName, &'static [u8])> {
        [
            ("release-metadata.json", METADATA),
            ("curve.cdx.json", CURVE),
            ("junit.xml", JUNIT),
        ]
        .into_iter()
        .map(|(n, b)| (ArtifactName::parse(n).unwrap(), b))
        .collect()
    }

    fn manifest_of(files: &[(ArtifactName, &[u8])]) -> Manifest {
        let entries = files
            .iter()
            .map(|(name, bytes)| ManifestEntry {
                name: name.clone(),
                kind: EvidenceKind::Summary,
                participant: None,
                size: bytes.len() as u64,
                sha256: digest_of(bytes),
            })
            .collect();
        let sealed = Utc.with_ymd_and_hms(2025, 9, 16, 17, 0, 0).unwrap();
        Manifest::new(TrainName::parse("2025.09-wk3").unwrap(), sealed, entries).unwrap()
    }

    /// Path → (mode, mtime, bytes) of every entry of a tar.gz.
    fn unpack(archive: &[u8]) -> BTreeMap<String, (u32, u64, Vec<u8>)> {
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive));
        tar.entries()
            .unwrap()
            .map(|entry| {
                let mut entry = entry.unwrap();
                let path = entry.path().unwrap().to_string_lossy().into_owned();
                let (mode, mtime) = (
                    entry.header().mode().unwrap(),
                    entry.header().mtime().unwrap(),
                );
                let mut bytes = Vec::new();
                entry.read_to_end(&mut bytes).unwrap();
                (path, (mode, mtime, bytes))
            })
            .collect()
    }

    #[test]
    fn every_sha256sums_line_matches_the_file_it_names_in_the_archive() {
        let files = files();
        let manifest = manifest_of(&files);
        let unpacked = unpack(&build_archive(&manifest, files).unwrap());
        let dir = "2025.09-wk3-evidence/";
        let (_, _, sums) = &unpacked[&format!("{dir}SHA256SUMS")];
        let sums = checksums::parse(std::str::from_utf8(sums).unwrap()).unwrap();
        let names: Vec<&str> = sums.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "curve.cdx.json",
                "junit.xml",
                "manifest.json",
                "release-metadata.json"
            ]
        );
        for line in &sums.entries {
            let (_, _, bytes) = &unpacked[&format!("{dir}{}", line.name)];
            assert_eq!(digest_of(bytes), line.sha256, "{}", line.name);
        }
        assert_eq!(sums.digest_of("manifest.json"), Some(&manifest.digest()));
        let (_, _, manifest_json) = &unpacked[&format!("{dir}manifest.json")];
        let back: Manifest = serde_json::from_slice(manifest_json).unwrap();
        assert_eq!(back, manifest);
    }

    #[test]
    fn the_archive_is_the_same_bytes_every_time_with_fixed_modes_and_times() {
        let mut files = files();
        let manifest = manifest_of(&files);
        let first = build_archive(&manifest, files.clone()).unwrap();
        files.reverse();
        assert_eq!(first, build_archive(&manifest, files).unwrap());
        let unpacked = unpack(&first);
        let paths: Vec<&str> = unpacked.keys().map(String::as_str).collect();
        assert_eq!(paths[0], "2025.09-wk3-evidence/");
        for (path, (mode, mtime, _)) in &unpacked {
            assert_eq!(*mtime, manifest.sealed_at().timestamp() as u64, "{path}");
            let expected = if path.ends_with('/') { 0o755 } else { 0o644 };
            assert_eq!(*mode, expected, "{path}");
        }
    }

    #[test]
    fn files_that_differ_from_the_manifest_are_refused_by_name() {
        let files = files();
        let manifest = manifest_of(&files);
        let mut tampered = files.clone();
        tampered[0].1 = b"{}";
        let err = build_archive(&manifest, tampered).unwrap_err().to_string();
        assert!(
            err.starts_with("artifact \"release-metadata.json\": the manifest records"),
            "{err}"
        );
        let missing = build_archive(&manifest, files[1..].to_vec())
            .unwrap_err()
            .to_string();
        assert!(missing.contains("no bytes were given"), "{missing}");
        let mut extra = files.clone();
        extra.push((ArtifactName::parse("extra.txt").unwrap(), b"x"));
        let err = build_archive(&manifest, extra).unwrap_err().to_string();
        assert!(
            err.contains("\"extra.txt\": not listed in the manifest"),
            "{err}"
        );
    }

    #[test]
    fn artifact_names_longer_than_a_plain_tar_header_survive() {
        let long = format!("{}.json", "a".repeat(190));
        let files = vec![(ArtifactName::parse(&long).unwrap(), &b"{}"[..])];
        let manifest = manifest_of(&files);
        let unpacked = unpack(&build_archive(&manifest, files).unwrap());
        assert!(unpacked.contains_key(&format!("2025.09-wk3-evidence/{long}")));
    }
}
