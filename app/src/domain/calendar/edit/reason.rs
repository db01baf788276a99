use crate::domain::text::{TextError, TextKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why something was done: required for skips, moves, freezes, rollbacks.
/// Trimmed, never empty, at most 500 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reason(String);

pub const MAX_REASON: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReasonError {
    #[error("give a reason: the calendar and the audit trail show it")]
    Empty,
    #[error("the reason is longer than {MAX_REASON} characters")]
    TooLong,
    #[error("the reason {0}")]
    Text(TextError),
}

/// What a reason may hold: a few lines of text.
const REASON_TEXT: TextKind = TextKind {
    max: MAX_REASON,
    multi_line: true,
    spaces: true,
};

impl Reason {
    pub fn parse(raw: &str) -> Result<Self, ReasonError> {
        REASON_TEXT.parse(raw).map(Self).map_err(|e| match e {
            TextError::Empty => ReasonError::Empty,
            TextError::TooLong { .. } => ReasonError::TooLong,
            other => ReasonError::Text(other),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub const MAX_CATEGORY: usize = 60;

/// What kind of postponement this is ("chain-ops conflict"): one line of
/// at most [`MAX_CATEGORY`] characters, so that postponements can be
/// counted by category.
pub fn parse_category(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("a postponement needs a category (such as \"chain-ops conflict\"): postponements are counted by category".into());
    }
    if text.chars().count() > MAX_CATEGORY {
        return Err(format!("a category is at most {MAX_CATEGORY} characters"));
    }
    if text.chars().any(char::is_control) {
        return Err("a category is one line of text".into());
    }
    Ok(text.to_owned())
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Reason {
    type Error = ReasonError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Reason> for String {
    fn from(reason: Reason) -> Self {
        reason.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_trimmed_and_must_say_something() {
        assert_eq!(
            Reason::parse("  chain ops re-roll ").unwrap().as_str(),
            "chain ops re-roll"
        );
        assert_eq!(Reason::parse(" \n ").unwrap_err(), ReasonError::Empty);
        assert_eq!(
            Reason::parse(&"x".repeat(501)).unwrap_err(),
            ReasonError::TooLong
        );
    }
}
