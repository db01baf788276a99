//! A client's idempotency key: a retry that carries the key of an earlier
//! call gets that call's answer and changes nothing.

/// A key as a client sent it; a blank one is no key at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The key in `raw`, or none when it is blank.
    pub fn parse(raw: &str) -> Option<Self> {
        (!raw.trim().is_empty()).then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_key_is_no_key_and_any_other_is_kept_as_sent() {
        assert_eq!(IdempotencyKey::parse(""), None);
        assert_eq!(IdempotencyKey::parse("  "), None);
        let key = IdempotencyKey::parse("form-7f3a").unwrap();
        assert_eq!(key.as_str(), "form-7f3a");
    }
}
