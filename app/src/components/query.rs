//! Building links with query strings.

/// A value made safe to stand in a query string (`?next=…`, `?who=…`):
/// the characters that would end or split it are percent-encoded.
pub fn encode_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' | '&' | '?' | '#' | '+' | '=' | ' ' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_value;

    #[test]
    fn the_return_path_survives_as_one_query_value() {
        assert_eq!(
            encode_value("/audit?train=a&page=2"),
            "/audit%3Ftrain%3Da%26page%3D2"
        );
        assert_eq!(encode_value("50% a+b #1"), "50%25%20a%2Bb%20%231");
    }
}
