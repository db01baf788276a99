//! One change as CI reports it: a commit, and the pull request it came in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommitInput {
    /// The commit's hash (7 to 64 hexadecimal digits); a change is
    /// reported once per train, by its hash.
    #[cfg_attr(feature = "ssr", schema(min_length = 7, max_length = 64))]
    pub sha: String,
    /// Its subject line (`feat(curve): faster bootstrap`).
    #[cfg_attr(feature = "ssr", schema(max_length = 500))]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 4000))]
    pub body: Option<String>,
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub author: String,
    /// When it was committed (the start of its lead time).
    pub committed_at: DateTime<Utc>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(minimum = 1))]
    pub pr_number: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 2048))]
    pub pr_url: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_items = 20))]
    pub labels: Vec<String>,
    /// Breaking, whatever the title says (a `!` after the type, or a
    /// `BREAKING CHANGE:` footer, also make it so).
    #[serde(default)]
    pub breaking: bool,
}

/// The type of a conventional-commit subject (`feat(scope)!: …`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConventionalType {
    pub kind: String,
    pub breaking: bool,
}

impl ConventionalType {
    /// `None` when the subject is not a conventional commit.
    pub fn of(title: &str) -> Option<Self> {
        let (head, rest) = title.split_once(':')?;
        if !rest.starts_with(' ') {
            return None;
        }
        let breaking = head.ends_with('!');
        let head = head.trim_end_matches('!');
        let kind = match head.split_once('(') {
            Some((kind, scope)) if scope.ends_with(')') => kind,
            Some(_) => return None,
            None => head,
        };
        let valid = !kind.is_empty() && kind.chars().all(|c| c.is_ascii_lowercase());
        valid.then(|| Self {
            kind: kind.to_owned(),
            breaking,
        })
    }
}

/// Whether a change breaks what depends on it: said so, marked `!`, or
/// with a `BREAKING CHANGE` footer.
pub fn is_breaking(title: &str, body: Option<&str>, said: bool) -> bool {
    said || ConventionalType::of(title).is_some_and(|t| t.breaking)
        || body.is_some_and(|b| {
            b.lines()
                .any(|l| l.starts_with("BREAKING CHANGE:") || l.starts_with("BREAKING-CHANGE:"))
        })
}

/// A commit hash: 7 to 64 hexadecimal digits, kept in lowercase.
pub fn parse_sha(raw: &str) -> Result<String, String> {
    let sha = raw.trim().to_ascii_lowercase();
    if (7..=64).contains(&sha.len()) && sha.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(sha)
    } else {
        Err(format!(
            "{raw:?} is not a commit hash (7 to 64 hexadecimal digits)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_subjects_are_read() {
        let t = ConventionalType::of("feat(curve)!: drop v1 curves").unwrap();
        assert_eq!((t.kind.as_str(), t.breaking), ("feat", true));
        assert_eq!(
            ConventionalType::of("fix: nan in bootstrap").unwrap().kind,
            "fix"
        );
        assert!(ConventionalType::of("Merge branch 'main'").is_none());
        assert!(ConventionalType::of("feat:no space").is_none());
        assert!(ConventionalType::of("Feat: capital").is_none());
    }

    #[test]
    fn breaking_is_said_marked_or_footed() {
        assert!(is_breaking("feat!: x", None, false));
        assert!(is_breaking(
            "feat: x",
            Some("text\nBREAKING CHANGE: y"),
            false
        ));
        assert!(is_breaking("chore: x", None, true));
        assert!(!is_breaking("feat: x", Some("no"), false));
    }

    #[test]
    fn hashes_are_hex() {
        assert_eq!(parse_sha(" ABCDEF1 ").unwrap(), "abcdef1");
        assert!(parse_sha("abc").is_err());
        assert!(parse_sha("zzzzzzz").is_err());
    }
}
