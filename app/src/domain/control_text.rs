//! Text that reaches Trainyard from outside must not carry control
//! characters: Postgres refuses NUL in text (which surfaced as 500s), and
//! the others break logs, terminals and the pages that show them. Tabs and
//! line breaks stay allowed here; single-line fields refuse those with
//! their own parsers.

use serde_json::Value;

/// The first control character of `text`, other than tab and line breaks.
pub fn control_char(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Where a JSON document holds a control character: the field's path as
/// the API's errors name fields (`participants[0]`, `results[2].gate`; a key
/// is named by its parent), and the character.
pub fn control_in_json(value: &Value) -> Option<(String, char)> {
    walk(value, String::new())
}

fn walk(value: &Value, path: String) -> Option<(String, char)> {
    match value {
        Value::String(text) => control_char(text).map(|c| (path, c)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| walk(item, format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match control_char(key) {
                Some(c) => Some((path.clone(), c)),
                None => walk(item, here),
            }
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

/// The message that refuses it.
pub fn refusal(c: char) -> String {
    format!(
        "contains the control character U+{:04X}; send text without control characters",
        u32::from(c)
    )
}

/// `raw` with its `%XX` escapes decoded (invalid UTF-8 replaced), as a
/// path segment or query reaches a handler.
pub fn percent_decoded(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn names_the_field_that_holds_a_control_character() {
        let body = json!({ "name": "ok", "participants": ["curve", "a\u{0}b"] });
        assert_eq!(
            control_in_json(&body),
            Some(("participants[1]".to_owned(), '\u{0}'))
        );
        let batch = json!({ "results": [{ "gate": "q" }, { "gate": "x\u{1b}" }] });
        assert_eq!(
            control_in_json(&batch),
            Some(("results[1].gate".to_owned(), '\u{1b}'))
        );
        let text = json!({ "note": "line one\nline two\ttabbed", "n": 3 });
        assert_eq!(control_in_json(&text), None);
        assert_eq!(
            refusal('\u{0}'),
            "contains the control character U+0000; send text without control characters"
        );
    }

    #[test]
    fn decodes_escapes_as_a_handler_would_see_them() {
        assert_eq!(percent_decoded("a%00b"), "a\u{0}b");
        assert_eq!(percent_decoded("v0.5.0-dev.1"), "v0.5.0-dev.1");
        assert_eq!(percent_decoded("100%25%zz"), "100%%zz");
        assert_eq!(control_char(&percent_decoded("state=%1F")), Some('\u{1f}'));
    }

    proptest! {
        /// Whatever text it is given, the check finds a control character
        /// exactly when the text has one that is not a tab or line break.
        #[test]
        fn any_unicode_is_judged_by_its_characters(text in any::<String>()) {
            let expected = text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
            prop_assert_eq!(control_char(&text).is_some(), expected);
            let doc = json!({ "field": text.clone(), "list": [text] });
            prop_assert_eq!(control_in_json(&doc).is_some(), expected);
        }
    }
}
