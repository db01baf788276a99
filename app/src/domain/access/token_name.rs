use serde::{Deserialize, Serialize};
use std::fmt;

/// A CI token's name, such as `ci-main`: lowercase letters, digits, `.`, `_`
/// and `-`, starting with a letter or digit, at most 63 characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        let mut chars = name.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if first_ok && rest_ok && name.len() <= 63 {
            Ok(Self(name.to_owned()))
        } else {
            Err(format!(
                "{raw:?} is not a token name: use lowercase letters, digits, '.', '_' or '-', \
                 starting with a letter or digit, at most 63 characters"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TokenName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_names_are_short_lowercase_words() {
        assert_eq!(TokenName::parse(" ci-main ").unwrap().as_str(), "ci-main");
        for bad in ["", "CI", "-ci", "ci main", &"a".repeat(64)] {
            assert!(TokenName::parse(bad).is_err(), "{bad:?}");
        }
    }
}
