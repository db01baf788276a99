//! Notes as people edit them: a document of at most 100,000 characters,
//! stored with Unix line ends and one final newline, so that the same text
//! pasted from any editor is the same file (and the same checksum).

use crate::domain::change::NotesChange;
use crate::domain::text::{TextError, DOCUMENT};

/// Which of a train's documents people draft: its release notes or its
/// change announcement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrainDocument {
    ReleaseNotes,
    Announcement,
}

impl TrainDocument {
    pub const ALL: [TrainDocument; 2] = [Self::ReleaseNotes, Self::Announcement];

    /// The name forms and the database use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReleaseNotes => "release_notes",
            Self::Announcement => "announcement",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == raw.trim())
            .ok_or_else(|| {
                format!("{raw:?} is not a train document: release_notes or announcement")
            })
    }

    /// The change saving revision `revision` of this document is.
    pub fn drafted(self, revision: i32, markdown: String) -> NotesChange {
        match self {
            Self::ReleaseNotes => NotesChange::Drafted { revision, markdown },
            Self::Announcement => NotesChange::AnnouncementDrafted { revision, markdown },
        }
    }
}

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
    fn documents_parse_back_from_their_names() {
        for document in TrainDocument::ALL {
            assert_eq!(TrainDocument::parse(document.as_str()), Ok(document));
        }
        assert!(TrainDocument::parse("notes")
            .unwrap_err()
            .contains("announcement"));
    }

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
