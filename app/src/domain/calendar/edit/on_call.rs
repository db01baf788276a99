use serde::{Deserialize, Serialize};
use std::fmt;

/// Who watches a train: a person's handle (`ana`, `@ana`), stored without
/// the `@`. Seed 003's `@TBD` means nobody, so it is refused rather than
/// stored as if someone had taken the train.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OnCall(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OnCallError {
    #[error("the on-call handle is empty")]
    Empty,
    #[error("the on-call handle is longer than 39 characters")]
    TooLong,
    #[error("the on-call handle may contain only letters, digits, '.', '_' and '-', found {0:?}")]
    BadChar(char),
    #[error(
        "{0:?} is nobody: leave the train unassigned instead (it will be skipped at cut time)"
    )]
    Placeholder(String),
}

impl OnCall {
    pub fn parse(raw: &str) -> Result<Self, OnCallError> {
        let handle = raw.trim();
        let handle = handle.strip_prefix('@').unwrap_or(handle);
        if handle.is_empty() {
            return Err(OnCallError::Empty);
        }
        if handle.chars().count() > 39 {
            return Err(OnCallError::TooLong);
        }
        if let Some(bad) = handle
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(OnCallError::BadChar(bad));
        }
        if ["tbd", "tba", "nobody", "none"].contains(&handle.to_ascii_lowercase().as_str()) {
            return Err(OnCallError::Placeholder(raw.trim().to_owned()));
        }
        Ok(Self(handle.to_owned()))
    }

    /// An empty field means "nobody": the on-call is removed.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, OnCallError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed == "@" {
            Ok(None)
        } else {
            Self::parse(trimmed).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OnCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OnCall {
    type Error = OnCallError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<OnCall> for String {
    fn from(on_call: OnCall) -> Self {
        on_call.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_is_kept_without_its_at_sign() {
        assert_eq!(OnCall::parse(" @ana ").unwrap().as_str(), "ana");
        assert_eq!(OnCall::parse("ben.o-k_1").unwrap().as_str(), "ben.o-k_1");
    }

    #[test]
    fn seed_placeholders_and_odd_characters_are_refused_with_the_reason() {
        assert!(matches!(
            OnCall::parse("@TBD"),
            Err(OnCallError::Placeholder(_))
        ));
        assert_eq!(
            OnCall::parse("ana smith").unwrap_err(),
            OnCallError::BadChar(' ')
        );
        assert_eq!(OnCall::parse("@").unwrap_err(), OnCallError::Empty);
        assert_eq!(
            OnCall::parse(&"a".repeat(40)).unwrap_err(),
            OnCallError::TooLong
        );
    }

    #[test]
    fn an_empty_field_means_nobody() {
        assert_eq!(OnCall::parse_optional("  ").unwrap(), None);
        assert_eq!(
            OnCall::parse_optional("carl").unwrap(),
            Some(OnCall::parse("carl").unwrap())
        );
    }
}
