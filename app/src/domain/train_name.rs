use std::fmt;

/// A train's name: a URL path segment that also appears in branch names
/// (`Q4-curve-upgrade`, `v0.5.0-dev.1`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TrainName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("train name {0:?} must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit")]
pub struct TrainNameError(pub String);

impl TrainName {
    pub fn parse(raw: &str) -> Result<Self, TrainNameError> {
        let ok = raw.len() <= 100
            && raw
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(TrainNameError(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_path_safe() {
        for ok in ["Q4-curve-upgrade", "v0.5.0-dev.1", "a"] {
            assert_eq!(TrainName::parse(ok).unwrap().as_str(), ok);
        }
        for bad in ["", "-x", "bad name!", "a/b", &"a".repeat(101)] {
            assert!(TrainName::parse(bad).is_err(), "{bad}");
        }
    }
}
