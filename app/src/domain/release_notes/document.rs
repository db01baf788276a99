//! Notes as people edit them: a document of at most 100,000 characters,
//! stored with Unix line ends and one final newline, so that the same text
//! pasted from any editor is the same file (and the same checksum).

use crate::domain::text::{TextError, DOCUMENT};

/// The text `raw` as a release-notes document.
pub fn notes_document(raw: &str) -> Result<String, TextError> {
    let text = DOCUMENT.parse(raw)?;
    let unix = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok(unix + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_become_unix_and_one_newline_ends_the_file() {
        assert_eq!(
            notes_document("# Notes\r\n\r\n- one\r- two\n\n\n").unwrap(),
            "# Notes\n\n- one\n- two\n"
        );
    }

    #[test]
    fn empty_overlong_and_control_characters_are_refused() {
        assert_eq!(notes_document(" \n "), Err(TextError::Empty));
        let long = "x".repeat(100_001);
        assert!(matches!(
            notes_document(&long),
            Err(TextError::TooLong { max: 100_000, .. })
        ));
        assert_eq!(notes_document("a\u{7}b"), Err(TextError::Control('\u{7}')));
        assert!(notes_document("tabs\tand\nlines are fine").is_ok());
    }
}
