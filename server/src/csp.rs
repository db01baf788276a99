//! The Content-Security-Policy of HTML documents: scripts only from this origin
//! or carrying the document's nonce (Leptos puts it on its hydration and data
//! scripts), and `wasm-unsafe-eval` so the browser may compile the app's own wasm.

pub fn document_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )
}

/// The nonce Leptos gave this document: the first `nonce="…"` in it, which
/// sits on the hydration script in `<head>`, before any content. Text a page
/// shows is escaped, so content cannot forge an earlier one.
pub fn document_nonce(html: &[u8]) -> Option<&str> {
    const MARK: &[u8] = b"nonce=\"";
    let start = html.windows(MARK.len()).position(|w| w == MARK)? + MARK.len();
    let len = html[start..].iter().position(|b| *b == b'"')?;
    let nonce = std::str::from_utf8(&html[start..start + len]).ok()?;
    (!nonce.is_empty()
        && nonce.len() <= 64
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')))
    .then_some(nonce)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_nonce_of_the_document_is_read_and_odd_ones_are_not() {
        let html = br#"<head><script type="module" nonce="PD01C6Vkd9KJ-19_v8RQ">x</script><p nonce="later">"#;
        assert_eq!(document_nonce(html), Some("PD01C6Vkd9KJ-19_v8RQ"));
        assert_eq!(document_nonce(br#"<script nonce="a b">"#), None);
        assert_eq!(
            document_nonce(b"<html><body>no scripts</body></html>"),
            None
        );
        assert!(document_policy("abc").contains("'nonce-abc'"));
    }
}
