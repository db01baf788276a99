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

/// `path?k=v&…&after=KEY` with the given filters (empty ones left out) and
/// where the page starts, for the "newer / older" links of a filtered list.
pub fn page_href(
    path: &str,
    filters: &[(&str, &Option<String>)],
    (param, key): (&str, &str),
) -> String {
    let mut parts: Vec<String> = filters
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", encode_value(v)))
        })
        .collect();
    parts.push(format!("{param}={}", encode_value(key)));
    format!("{path}?{}", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::{encode_value, page_href};

    #[test]
    fn a_page_link_keeps_the_filters_that_are_set() {
        let state = Some("rolled_back".to_owned());
        let none = None;
        let blank = Some(String::new());
        assert_eq!(
            page_href(
                "/trains",
                &[("state", &state), ("track", &none), ("to", &blank)],
                ("after", "2026-11-30T14:00:00.000000Z,v0.5.0-dev.3")
            ),
            "/trains?state=rolled_back&after=2026-11-30T14:00:00.000000Z,v0.5.0-dev.3"
        );
    }

    #[test]
    fn the_return_path_survives_as_one_query_value() {
        assert_eq!(
            encode_value("/audit?train=a&after=2"),
            "/audit%3Ftrain%3Da%26after%3D2"
        );
        assert_eq!(encode_value("50% a+b #1"), "50%25%20a%2Bb%20%231");
    }
}
