use super::EvidenceError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A SHA-256 digest as 64 lowercase hex digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Digest(String);

impl Sha256Digest {
    /// Accepts upper- or lowercase hex and keeps it lowercase.
    pub fn parse(raw: &str) -> Result<Self, EvidenceError> {
        let bad = |reason| EvidenceError::Digest {
            value: raw.to_owned(),
            reason,
        };
        if raw.len() != 64 {
            return Err(bad("it must be 64 hex digits"));
        }
        if !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("it may hold only the hex digits 0-9 and a-f"));
        }
        Ok(Self(raw.to_ascii_lowercase()))
    }

    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let text = bytes
            .iter()
            .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]])
            .map(char::from)
            .collect();
        Self(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Sha256Digest {
    type Error = EvidenceError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Sha256Digest> for String {
    fn from(value: Sha256Digest) -> Self {
        value.0
    }
}

/// The SHA-256 of `bytes`.
#[cfg(feature = "ssr")]
pub fn digest_of(bytes: &[u8]) -> Sha256Digest {
    use sha2::{Digest, Sha256};
    Sha256Digest::from_bytes(&Sha256::digest(bytes).into())
}

/// The digest of `bytes` when it is the one the uploader declared.
#[cfg(feature = "ssr")]
pub fn check_declared_digest(
    declared: &Sha256Digest,
    bytes: &[u8],
) -> Result<Sha256Digest, EvidenceError> {
    let actual = digest_of(bytes);
    if &actual == declared {
        Ok(actual)
    } else {
        Err(EvidenceError::DigestMismatch {
            declared: declared.clone(),
            actual,
        })
    }
}

/// Names the bundle's own files take inside the archive.
const RESERVED: [&str; 2] = ["manifest.json", "SHA256SUMS"];

/// The longest name an artifact may have.
pub const MAX_NAME_LEN: usize = 200;

/// An artifact's file name inside the bundle and its archive: one path
/// segment of letters, digits and `._-+@`, so it cannot climb out of the
/// archive's directory or hide control characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ArtifactName(String);

impl ArtifactName {
    pub fn parse(raw: &str) -> Result<Self, EvidenceError> {
        let bad = |reason| EvidenceError::Name {
            name: raw.to_owned(),
            reason,
        };
        if raw.is_empty() {
            return Err(bad("it is empty"));
        }
        if raw.chars().count() > MAX_NAME_LEN {
            return Err(bad("it is longer than 200 characters"));
        }
        if raw.contains(['/', '\\']) {
            return Err(bad("it must be a file name, without '/' or '\\'"));
        }
        if raw.chars().any(char::is_control) {
            return Err(bad("it contains a control character"));
        }
        if raw.contains("..") {
            return Err(bad("it contains '..'"));
        }
        if raw.starts_with(['.', '-']) {
            return Err(bad("it must not start with '.' or '-'"));
        }
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@');
        if !raw.chars().all(allowed) {
            return Err(bad("it may hold only letters, digits and . _ - + @"));
        }
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(raw)) {
            return Err(bad(
                "the bundle's own manifest.json and SHA256SUMS use that name",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArtifactName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ArtifactName {
    type Error = EvidenceError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ArtifactName> for String {
    fn from(value: ArtifactName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn a_digest_is_kept_lowercase_whatever_case_it_came_in() {
        let upper = EMPTY_SHA256.to_ascii_uppercase();
        assert_eq!(Sha256Digest::parse(&upper).unwrap().as_str(), EMPTY_SHA256);
        assert_eq!(
            Sha256Digest::parse(EMPTY_SHA256).unwrap().to_string(),
            EMPTY_SHA256
        );
    }

    #[test]
    fn a_digest_of_the_wrong_length_or_alphabet_is_refused_with_the_reason() {
        let short = Sha256Digest::parse("abc").unwrap_err().to_string();
        assert!(short.contains("64 hex digits"), "{short}");
        let letters = "g".repeat(64);
        let err = Sha256Digest::parse(&letters).unwrap_err().to_string();
        assert!(err.contains("hex digits 0-9 and a-f"), "{err}");
    }

    #[test]
    fn a_digest_serialises_as_its_hex_string() {
        let digest = Sha256Digest::parse(EMPTY_SHA256).unwrap();
        let json = serde_json::to_string(&digest).unwrap();
        assert_eq!(json, format!("\"{EMPTY_SHA256}\""));
        assert_eq!(serde_json::from_str::<Sha256Digest>(&json).unwrap(), digest);
        assert!(serde_json::from_str::<Sha256Digest>("\"nothex\"").is_err());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_digest_of_no_bytes_is_the_well_known_empty_hash() {
        assert_eq!(digest_of(b"").as_str(), EMPTY_SHA256);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_declared_digest_that_differs_from_the_bytes_names_both() {
        let declared = Sha256Digest::parse(EMPTY_SHA256).unwrap();
        assert!(check_declared_digest(&declared, b"").is_ok());
        let err = check_declared_digest(&declared, b"x")
            .unwrap_err()
            .to_string();
        assert!(err.contains(EMPTY_SHA256), "{err}");
        assert!(err.contains(digest_of(b"x").as_str()), "{err}");
    }

    #[test]
    fn ordinary_artifact_file_names_are_accepted() {
        for ok in [
            "curve.cdx.json",
            "backtesting.spdx.json",
            "junit.xml",
            "provenance.intoto.jsonl",
            "release-metadata.json",
            "cosign.sig",
            "app@1.2.0+build_7.tar.gz",
            &"a".repeat(200),
        ] {
            assert_eq!(ArtifactName::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn names_that_could_leave_the_archive_directory_or_hide_text_are_refused() {
        for (bad, reason) in [
            ("", "empty"),
            ("../etc/passwd", "'/'"),
            ("dir\\file", "'/'"),
            ("a..b", "'..'"),
            ("..", "'..'"),
            (".hidden", "start with"),
            ("-rf", "start with"),
            ("tab\there", "control character"),
            ("spaced name", "only letters"),
            ("é.json", "only letters"),
            ("manifest.json", "own manifest.json"),
            ("sha256sums", "own manifest.json"),
            (&"a".repeat(201), "200 characters"),
        ] {
            let err = ArtifactName::parse(bad).unwrap_err().to_string();
            assert!(err.contains(reason), "{bad:?}: {err}");
        }
    }
}
