//! `SHA256SUMS` files as `sha256sum` writes and `sha256sum -c` reads them.

use super::{EvidenceError, Sha256Digest};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChecksumEntry {
    /// The file name as written (it may hold a path: `dist/app.tar.gz`).
    pub name: String,
    pub sha256: Sha256Digest,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChecksumsView {
    pub entries: Vec<ChecksumEntry>,
}

impl ChecksumsView {
    pub fn digest_of(&self, name: &str) -> Option<&Sha256Digest> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .map(|e| &e.sha256)
    }
}

/// Reads `<hex>  <name>` (text mode) and `<hex> *<name>` (binary mode)
/// lines, and the BSD form `SHA256 (<name>) = <hex>`; blank lines are
/// skipped.
pub fn parse(text: &str) -> Result<ChecksumsView, EvidenceError> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let bad = |reason: String| EvidenceError::ChecksumLine {
            line: line_no,
            reason,
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let (hex, name) = split_line(line).ok_or_else(|| {
            let shown: String = line.chars().take(80).collect();
            bad(format!(
                "{shown:?} is neither \"<sha256>  <name>\" nor \"SHA256 (<name>) = <sha256>\""
            ))
        })?;
        if line.starts_with('\\') {
            return Err(bad("escaped file names are not supported".into()));
        }
        if name.is_empty() {
            return Err(bad("the file name is missing".into()));
        }
        let sha256 = Sha256Digest::parse(hex).map_err(|e| bad(e.to_string()))?;
        entries.push(ChecksumEntry {
            name: name.to_owned(),
            sha256,
        });
    }
    if entries.is_empty() {
        return Err(EvidenceError::wrong_kind(
            super::EvidenceKind::Checksums,
            "the file lists no checksums",
        ));
    }
    Ok(ChecksumsView { entries })
}

fn split_line(line: &str) -> Option<(&str, &str)> {
    if let Some(rest) = line.strip_prefix("SHA256 (") {
        let (name, hex) = rest.rsplit_once(") = ")?;
        return Some((hex.trim(), name));
    }
    let line = line.strip_prefix('\\').unwrap_or(line);
    let (hex, rest) = line.split_once(' ')?;
    let name = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('*'))?;
    Some((hex, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMS: &str = include_str!("../../../../server/tests/fixtures/evidence/SHA256SUMS");

    #[test]
    fn the_example_sha256sums_lists_every_file_with_its_digest() {
        let view = parse(SUMS).unwrap();
        assert_eq!(view.entries.len(), 3);
        assert_eq!(view.entries[0].name, "curve-linux-amd64.tar.gz");
        assert_eq!(
            view.digest_of("curve-linux-arm64.tar.gz").unwrap().as_str(),
            "9f1c4f3a1f0cf4a8a7b60c2e0d8f1e4a2b3c5d6e7f8091a2b3c4d5e6f7a8b9c0"
        );
        assert_eq!(
            view.entries[2].name, "dist/curve.sbom.json",
            "binary-mode line"
        );
    }

    #[test]
    fn bsd_style_lines_and_crlf_endings_are_read_too() {
        let hex = "A".repeat(64);
        let view = parse(&format!("SHA256 (app.tar.gz) = {hex}\r\n\r\n")).unwrap();
        assert_eq!(view.entries[0].name, "app.tar.gz");
        assert_eq!(view.entries[0].sha256.as_str(), "a".repeat(64));
    }

    #[test]
    fn a_malformed_line_is_refused_with_its_number() {
        let good = format!("{}  a.txt", "0".repeat(64));
        let err = parse(&format!("{good}\nnot a checksum line\n"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("SHA256SUMS line 2: "), "{err}");
        let err = parse(&format!("{good}\n{}  b.txt", "0".repeat(63)))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("64 hex digits"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_list_is_not_a_checksums_file() {
        let err = parse("\n\n").unwrap_err().to_string();
        assert_eq!(err, "declared checksums but the file lists no checksums");
    }
}
