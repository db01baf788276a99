//! Signing secrets: `whsec_` and 24 random bytes in base64, as Standard
//! Webhooks libraries expect them.

use base64::Engine;
use rand::RngCore;

pub const PREFIX: &str = "whsec_";

pub fn generate() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_base64_of_24_bytes_and_differ() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        let key = base64::engine::general_purpose::STANDARD
            .decode(a.strip_prefix(PREFIX).unwrap())
            .unwrap();
        assert_eq!(key.len(), 24);
    }
}
