use serde::{Deserialize, Serialize};
use std::fmt;

/// A track's name (`dev`, `staging`, `hotfix`): it appears inside tags such as
/// `v0.5.0-dev.3`, so it is restricted to what a semver pre-release identifier
/// allows, lower-case, starting with a letter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackNameError {
    #[error("track name is empty")]
    Empty,
    #[error("track name is longer than {max} characters")]
    TooLong { max: usize },
    #[error("track name must start with a lower-case letter, found {0:?}")]
    BadStart(char),
    #[error("track name may contain only a-z, 0-9 and '-', found {0:?}")]
    BadChar(char),
}

impl TrackName {
    pub const MAX_LEN: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, TrackNameError> {
        let mut chars = raw.chars();
        let first = chars.next().ok_or(TrackNameError::Empty)?;
        if raw.len() > Self::MAX_LEN {
            return Err(TrackNameError::TooLong { max: Self::MAX_LEN });
        }
        if !first.is_ascii_lowercase() {
            return Err(TrackNameError::BadStart(first));
        }
        if let Some(bad) =
            chars.find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(TrackNameError::BadChar(bad));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TrackName {
    type Error = TrackNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TrackName> for String {
    fn from(value: TrackName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_seed_tracks() {
        for name in ["dev", "staging", "hotfix", "qa-2"] {
            assert_eq!(TrackName::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn rejects_names_that_cannot_appear_in_a_tag() {
        assert_eq!(TrackName::parse(""), Err(TrackNameError::Empty));
        assert_eq!(TrackName::parse("Dev"), Err(TrackNameError::BadStart('D')));
        assert_eq!(TrackName::parse("2dev"), Err(TrackNameError::BadStart('2')));
        assert_eq!(TrackName::parse("dev.1"), Err(TrackNameError::BadChar('.')));
        assert!(matches!(
            TrackName::parse(&"a".repeat(33)),
            Err(TrackNameError::TooLong { .. })
        ));
    }
}
