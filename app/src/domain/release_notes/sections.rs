//! Which section of the notes a change goes to, like GitHub's
//! `release.yml` categories: the first category whose labels the change
//! carries, else the first whose conventional-commit types its title has,
//! else the category that takes the rest (`*`). Changes labelled to be
//! left out are left out.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub title: String,
    /// Labels that put a change here; `*` takes what no category claims.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Conventional-commit types (`feat`, `fix`, `ci`) that put one here.
    #[serde(default)]
    pub types: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Categories {
    pub categories: Vec<Category>,
    /// Labels of changes the notes leave out.
    #[serde(default)]
    pub exclude_labels: Vec<String>,
}

impl Default for Categories {
    /// Seed 004's three sections.
    fn default() -> Self {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        Self {
            categories: vec![
                Category {
                    title: "Highlights".into(),
                    labels: strings(&["highlight", "feature", "enhancement", "bug", "fix"]),
                    types: strings(&["feat", "fix", "perf", "revert"]),
                },
                Category {
                    title: "Infrastructure Changes".into(),
                    labels: strings(&["infrastructure", "dependencies", "ci", "build", "chore"]),
                    types: strings(&[
                        "build", "ci", "chore", "deps", "refactor", "style", "test", "docs",
                    ]),
                },
                Category {
                    title: "Known Issues".into(),
                    labels: strings(&["known-issue"]),
                    types: Vec::new(),
                },
            ],
            exclude_labels: strings(&["skip-changelog", "ignore-for-release"]),
        }
    }
}

impl Categories {
    /// The index of the category a change goes to; `None`: left out.
    pub fn place(&self, labels: &[String], conventional_type: Option<&str>) -> Option<usize> {
        let has = |wanted: &[String]| labels.iter().any(|l| wanted.iter().any(|w| w == l));
        if has(&self.exclude_labels) {
            return None;
        }
        let by_label = self.categories.iter().position(|c| has(&c.labels));
        let by_type = || {
            conventional_type.and_then(|t| {
                self.categories
                    .iter()
                    .position(|c| c.types.iter().any(|x| x == t))
            })
        };
        let rest = || {
            self.categories
                .iter()
                .position(|c| c.labels.iter().any(|l| l == "*"))
        };
        by_label.or_else(by_type).or_else(rest).or(Some(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn labels_win_then_types_then_the_first_section() {
        let c = Categories::default();
        assert_eq!(c.place(&labels(&["known-issue"]), Some("feat")), Some(2));
        assert_eq!(c.place(&labels(&[]), Some("ci")), Some(1));
        assert_eq!(c.place(&labels(&["dependencies"]), None), Some(1));
        assert_eq!(c.place(&labels(&[]), None), Some(0));
        assert_eq!(c.place(&labels(&["skip-changelog"]), Some("feat")), None);
    }
}
