//! The Content-Security-Policy of HTML documents: scripts only from this
//! origin, or inline scripts whose SHA-256 the policy lists (Leptos' hydration
//! and data scripts, read off the document itself), and `wasm-unsafe-eval` so
//! the browser may compile the app's own wasm.
//!
//! Hashes rather than a nonce: the page cache answers the same document many
//! times, compressed once, and a nonce must never repeat. A hash allows only
//! the script text it was computed from.

use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for `html`, allowing exactly its inline scripts.
pub fn document_policy(html: &[u8]) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| {
            let digest = Sha256::digest(script);
            let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
            format!(" 'sha256-{encoded}'")
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self'{hashes} 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    )
}

/// The text of every inline script (a `<script>` without `src`). Only the
/// app's own markup can open one: text a page shows is escaped, `<`
/// included, in content and in attributes alike.
fn inline_scripts(html: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let open = find(rest, b"<script")? + b"<script".len();
        let tag_len = find(&rest[open..], b">")?;
        let attributes = &rest[open..open + tag_len];
        if !attributes.first().is_none_or(u8::is_ascii_whitespace) {
            // `<scripts>` or the like: not a script element.
            rest = &rest[open..];
            continue;
        }
        let body_start = open + tag_len + 1;
        let body_len = find(&rest[body_start..], b"</script>")?;
        let body = &rest[body_start..body_start + body_len];
        rest = &rest[body_start + body_len..];
        if find(attributes, b"src=").is_none() {
            return Some(body);
        }
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_inline_script_and_nothing_else_is_allowed_by_its_hash() {
        let html = br#"<head><script type="module" nonce="x">boot()</script>
            <script src="/pkg/app.js"></script><scripts>no</scripts></head>
            <body><p>&lt;script&gt;evil()&lt;/script&gt;</p><script>data=[]</script></body>"#;
        let scripts: Vec<&[u8]> = inline_scripts(html).collect();
        assert_eq!(scripts, vec![&b"boot()"[..], &b"data=[]"[..]]);
        let policy = document_policy(html);
        // `echo -n 'boot()' | openssl dgst -sha256 -binary | base64`
        assert!(
            policy.contains("'sha256-MeZS89WlF0u+o0hCvHTBt4q1WHU+U+sJKgbdRUc36mY='"),
            "{policy}"
        );
        assert_eq!(policy.matches("'sha256-").count(), 2);
        assert!(!policy.contains("unsafe-inline"));
        let none = document_policy(b"<html><body>no scripts</body></html>");
        assert!(none.contains("script-src 'self' 'wasm-unsafe-eval'"));
    }
}
