use crate::domain::control_text::{control_in_json, refusal};
use crate::models::catalog::{
    CatalogFile, EnvironmentsFile, GateTemplatesFile, PoliciesFile, ServicesFile, TracksFile,
};
use std::fmt;

/// A file to import, read by the caller.
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// One thing wrong with the input, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

pub(super) enum Parsed {
    Catalog(CatalogFile),
    Policies(PoliciesFile),
    Services(ServicesFile),
    Tracks(TracksFile),
    Environments(EnvironmentsFile),
    GateTemplates(GateTemplatesFile),
}

/// Reads a file as whichever of the formats its top-level key names.
pub(super) fn parse(file: &SourceFile) -> Result<Parsed, Problem> {
    let problem = |e: serde_norway::Error| Problem {
        file: file.path.clone(),
        line: e.location().map(|l| l.line()),
        message: e.to_string(),
    };
    let value: serde_norway::Value = serde_norway::from_str(&file.text).map_err(problem)?;
    // Text with control characters is refused naming its key, as the API
    // refuses it, before any part of the file is used.
    let text = serde_json::to_value(&value).unwrap_or_default();
    if let Some((field, c)) = control_in_json(&text) {
        return Err(Problem {
            file: file.path.clone(),
            line: None,
            message: format!("{field}: {}", refusal(c)),
        });
    }
    if value.get("trains").is_some() {
        serde_norway::from_str(&file.text)
            .map(Parsed::Catalog)
            .map_err(problem)
    } else if value.get("release_trains").is_some() {
        serde_norway::from_str(&file.text)
            .map(Parsed::Policies)
            .map_err(problem)
    } else if value.get("services").is_some() {
        serde_norway::from_str(&file.text)
            .map(Parsed::Services)
            .map_err(problem)
    } else if value.get("gate_templates").is_some() {
        serde_norway::from_str(&file.text)
            .map(Parsed::GateTemplates)
            .map_err(problem)
    } else if value.get("environments").is_some() {
        serde_norway::from_str(&file.text)
            .map(Parsed::Environments)
            .map_err(problem)
    } else if value.get("tracks").is_some() {
        serde_norway::from_str(&file.text)
            .map(Parsed::Tracks)
            .map_err(problem)
    } else {
        Err(Problem {
            file: file.path.clone(),
            line: Some(1),
            message: "expected a `trains:` catalog, a `release_trains:` policy file, \
                      or a `services:`, `environments:`, `gate_templates:` or `tracks:` list"
                .into(),
        })
    }
}

/// The line of the list entry that names `train` (`- name: X`); serde does not
/// carry positions past parsing, and names are unique within a file.
pub(super) fn line_of(text: &str, train: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            l.strip_prefix("name:")
                .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == train)
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "catalog/release-trains.yaml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_structural_error_names_its_file_and_line() {
        let err = parse(&file("trains:\n  - name: a\n    colour: red\n"))
            .err()
            .unwrap();
        assert_eq!(err.line, Some(3));
        assert!(
            err.to_string()
                .starts_with("catalog/release-trains.yaml:3: "),
            "{err}"
        );
        assert!(err.message.contains("unknown field `colour`"), "{err}");
        let err = parse(&file("something: else\n")).err().unwrap();
        assert!(err.message.contains("release_trains"));
    }

    #[test]
    fn text_with_a_control_character_is_refused_naming_its_key() {
        let problem = parse(&file("services:\n  - name: \"a\\0b\"\n"))
            .err()
            .unwrap();
        assert!(
            problem
                .message
                .starts_with("services[0].name: contains the control character U+0000"),
            "{problem}"
        );
    }

    #[test]
    fn entries_are_found_by_name() {
        let text = "trains:\n  - name: a\n    participants: []\n  - name: \"b\"\n";
        assert_eq!(line_of(text, "a"), Some(2));
        assert_eq!(line_of(text, "b"), Some(4));
        assert_eq!(line_of(text, "c"), None);
    }
}
