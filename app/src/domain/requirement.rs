//! Requirements of a train on specs and libraries (`spec: curves-api >=2.0.0`).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementKind {
    Spec,
    Library,
}

/// A named spec or library with the versions a train accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub kind: RequirementKind,
    pub name: String,
    pub versions: semver::VersionReq,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequirementError {
    #[error("requirement {0:?} has no name")]
    MissingName(String),
    #[error("requirement {text:?}: {reason}")]
    Version { text: String, reason: String },
}

impl Requirement {
    /// Parses `curves-api >=2.0.0` (the kind comes from the YAML key).
    pub fn parse(kind: RequirementKind, text: &str) -> Result<Self, RequirementError> {
        let text = text.trim();
        let (name, versions) = text.split_once(char::is_whitespace).unwrap_or((text, "*"));
        if name.is_empty() {
            return Err(RequirementError::MissingName(text.to_owned()));
        }
        let versions =
            semver::VersionReq::parse(versions.trim()).map_err(|e| RequirementError::Version {
                text: text.to_owned(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            kind,
            name: name.to_owned(),
            versions,
        })
    }

    /// Whether `available` (the version of this spec or library that exists)
    /// satisfies the requirement; `None` means it is not available at all.
    pub fn is_met_by(&self, available: Option<&semver::Version>) -> bool {
        available.is_some_and(|v| self.versions.matches(v))
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.versions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_requirement_and_checks_versions() {
        let r = Requirement::parse(RequirementKind::Spec, "curves-api >=2.0.0").unwrap();
        assert_eq!(r.name, "curves-api");
        assert!(r.is_met_by(Some(&semver::Version::new(2, 1, 0))));
        assert!(!r.is_met_by(Some(&semver::Version::new(1, 9, 9))));
        assert!(!r.is_met_by(None));
        assert_eq!(r.to_string(), "curves-api >=2.0.0");
    }

    #[test]
    fn a_bad_version_requirement_is_refused_with_the_text() {
        let err = Requirement::parse(RequirementKind::Library, "libfoo >=two").unwrap_err();
        assert!(err.to_string().contains("libfoo >=two"), "{err}");
    }
}
