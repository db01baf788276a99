//! The kinds of free-form text people and CI send Trainyard, each with its
//! parser: whatever path a value comes by (the API, a page's form, an
//! import), it is stored only as one of these. Every kind refuses control
//! characters (Postgres refuses NUL; the others break logs and pages) and
//! values longer than its limit; single-line kinds refuse line breaks too.

use std::fmt;

/// Why a text was refused; the caller names the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("is empty")]
    Empty,
    #[error("is {len} characters long; at most {max} are allowed")]
    TooLong { len: usize, max: usize },
    #[error("contains the control character U+{:04X}", u32::from(*.0))]
    Control(char),
    #[error("must be one line")]
    LineBreak,
    #[error("must not contain spaces")]
    Space,
    #[error("must be an http:// or https:// address ({0})")]
    NotHttpUrl(String),
}

/// What a kind of text allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextKind {
    pub max: usize,
    pub multi_line: bool,
    pub spaces: bool,
}

/// A person as a field names them (a captain, someone on call): a login,
/// an e-mail address or a display name.
pub const PERSON: TextKind = TextKind {
    max: 200,
    multi_line: false,
    spaces: true,
};

/// A version as CI reports it: `2.0.0`, `v1.4.0-rc.1`, `curve-service:2.0.0`.
pub const VERSION: TextKind = TextKind {
    max: 128,
    multi_line: false,
    spaces: false,
};

/// A title or a short description.
pub const LINE: TextKind = TextKind {
    max: 500,
    multi_line: false,
    spaces: true,
};

/// A comment or an explanation: several lines.
pub const PROSE: TextKind = TextKind {
    max: 4000,
    multi_line: true,
    spaces: true,
};

/// A document people write: release notes, an announcement.
pub const DOCUMENT: TextKind = TextKind {
    max: 100_000,
    multi_line: true,
    spaces: true,
};

/// An address a page links to.
pub const URL: TextKind = TextKind {
    max: 2048,
    multi_line: false,
    spaces: false,
};

impl TextKind {
    /// The trimmed text, if this kind allows it.
    pub fn parse(self, raw: &str) -> Result<String, TextError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(TextError::Empty);
        }
        let len = text.chars().count();
        if len > self.max {
            return Err(TextError::TooLong { len, max: self.max });
        }
        for c in text.chars() {
            match c {
                '\n' | '\r' if !self.multi_line => return Err(TextError::LineBreak),
                '\n' | '\r' => {}
                '\t' if self.multi_line => {}
                c if c.is_control() || is_separator(c) => return Err(TextError::Control(c)),
                c if c.is_whitespace() && !self.spaces => return Err(TextError::Space),
                _ => {}
            }
        }
        Ok(text.to_owned())
    }

    /// `None` for an absent or blank value, the parsed text otherwise.
    pub fn parse_optional(self, raw: Option<&str>) -> Result<Option<String>, TextError> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => self.parse(text).map(Some),
        }
    }
}

/// Line and paragraph separators: invisible line breaks.
fn is_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}')
}

/// An absolute http(s) address.
pub fn http_url(raw: &str) -> Result<String, TextError> {
    let text = URL.parse(raw)?;
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| TextError::NotHttpUrl("no scheme".into()))?;
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err(TextError::NotHttpUrl(format!("{scheme}:// is not allowed")));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with('@') || host.starts_with(':') {
        return Err(TextError::NotHttpUrl("no host".into()));
    }
    Ok(text)
}

/// A refusal as a message naming its field: `captain is empty`.
pub struct FieldText<'a>(pub &'a str, pub &'a TextError);

impl fmt::Display for FieldText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
