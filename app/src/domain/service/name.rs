use serde::{Deserialize, Serialize};
use std::fmt;

/// A service's name as the catalog, the API's paths and the trains'
/// participants use it: lower-case, starting with a letter or digit, then
/// letters, digits, `.`, `_` and `-`, at most 63 characters (the database's
/// check says the same).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServiceName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceNameError {
    #[error("a service name cannot be empty")]
    Empty,
    #[error("a service name is at most {max} characters")]
    TooLong { max: usize },
    #[error("a service name starts with a-z or 0-9, not {0:?}")]
    BadStart(char),
    #[error("a service name holds only a-z, 0-9, '.', '_' and '-', not {0:?}")]
    BadChar(char),
}

impl ServiceName {
    pub const MAX_LEN: usize = 63;

    pub fn parse(raw: &str) -> Result<Self, ServiceNameError> {
        let mut chars = raw.chars();
        let first = chars.next().ok_or(ServiceNameError::Empty)?;
        if raw.chars().count() > Self::MAX_LEN {
            return Err(ServiceNameError::TooLong { max: Self::MAX_LEN });
        }
        let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        if !plain(first) {
            return Err(ServiceNameError::BadStart(first));
        }
        if let Some(bad) = chars.find(|c| !(plain(*c) || matches!(c, '.' | '_' | '-'))) {
            return Err(ServiceNameError::BadChar(bad));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServiceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ServiceName {
    type Error = ServiceNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ServiceName> for String {
    fn from(value: ServiceName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_catalog_holds_parse() {
        for ok in ["curve", "api-gateway", "svc_2", "0auth", "a.b"] {
            assert_eq!(ServiceName::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn anything_else_is_refused_with_what_is_wrong() {
        assert_eq!(ServiceName::parse(""), Err(ServiceNameError::Empty));
        assert_eq!(
            ServiceName::parse("-x"),
            Err(ServiceNameError::BadStart('-'))
        );
        assert_eq!(
            ServiceName::parse("Curve"),
            Err(ServiceNameError::BadStart('C'))
        );
        assert_eq!(
            ServiceName::parse("a b"),
            Err(ServiceNameError::BadChar(' '))
        );
        assert_eq!(
            ServiceName::parse("a\0"),
            Err(ServiceNameError::BadChar('\0'))
        );
        assert_eq!(
            ServiceName::parse(&"a".repeat(64)),
            Err(ServiceNameError::TooLong { max: 63 })
        );
    }
}
