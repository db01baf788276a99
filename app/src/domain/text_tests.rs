use super::*;
use proptest::prelude::*;

const KINDS: [TextKind; 5] = [PERSON, VERSION, LINE, PROSE, URL];

#[test]
fn each_kind_takes_what_people_send() {
    assert_eq!(PERSON.parse("  Carl Captain "), Ok("Carl Captain".into()));
    assert_eq!(
        VERSION.parse("curve-service:2.0.0"),
        Ok("curve-service:2.0.0".into())
    );
    assert_eq!(
        PROSE.parse("line one\n\tline two"),
        Ok("line one\n\tline two".into())
    );
    assert_eq!(
        http_url("https://ci.example/runs/42?x=1"),
        Ok("https://ci.example/runs/42?x=1".into())
    );
}

#[test]
fn each_kind_says_what_is_wrong() {
    assert_eq!(VERSION.parse("   "), Err(TextError::Empty));
    assert_eq!(VERSION.parse("2.0 beta"), Err(TextError::Space));
    assert_eq!(PERSON.parse("a\u{0}b"), Err(TextError::Control('\0')));
    assert_eq!(PERSON.parse("a\nb"), Err(TextError::LineBreak));
    assert_eq!(
        LINE.parse("a\u{2028}b"),
        Err(TextError::Control('\u{2028}'))
    );
    assert_eq!(
        PERSON.parse(&"x".repeat(201)),
        Err(TextError::TooLong { len: 201, max: 200 })
    );
    assert!(matches!(
        http_url("javascript://x"),
        Err(TextError::NotHttpUrl(_))
    ));
    assert!(matches!(
        http_url("https:///path"),
        Err(TextError::NotHttpUrl(_))
    ));
    assert_eq!(
        FieldText("captain", &TextError::Empty).to_string(),
        "captain is empty"
    );
}

#[test]
fn a_blank_optional_value_is_no_value() {
    assert_eq!(PERSON.parse_optional(None), Ok(None));
    assert_eq!(PERSON.parse_optional(Some("  ")), Ok(None));
    assert_eq!(PERSON.parse_optional(Some(" ana ")), Ok(Some("ana".into())));
}

proptest! {
    #[test]
    fn whatever_is_accepted_is_clean_bounded_and_stable(raw in any::<String>(), kind in 0..KINDS.len()) {
        let kind = KINDS[kind];
        if let Ok(text) = kind.parse(&raw) {
            prop_assert!(!text.is_empty());
            prop_assert!(text.chars().count() <= kind.max);
            prop_assert!(!text.chars().any(|c| c.is_control() && !(kind.multi_line && matches!(c, '\n' | '\r' | '\t'))));
            prop_assert!(!text.contains('\0'));
            prop_assert_eq!(kind.parse(&text), Ok(text.clone()));
        }
    }

    #[test]
    fn a_control_character_anywhere_is_refused(
        before in "[a-z]{0,20}", after in "[a-z]{0,20}",
        c in prop::char::range('\u{0}', '\u{8}'), kind in 0..KINDS.len(),
    ) {
        let raw = format!("x{before}{c}{after}");
        prop_assert_eq!(KINDS[kind].parse(&raw), Err(TextError::Control(c)));
    }

    #[test]
    fn urls_are_only_ever_http(raw in any::<String>()) {
        if let Ok(url) = http_url(&raw) {
            let lower = url.to_ascii_lowercase();
            prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
        }
    }
}
