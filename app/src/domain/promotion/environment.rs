//! Environments and the order a release moves through them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An environment a release is deployed to (`dev`, `stage`, `prod`,
/// `staging`, …): lower-case, starting with a letter, at most 32 characters
/// of `a-z`, `0-9` and `-`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Environment(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvironmentError {
    #[error("environment name is empty")]
    Empty,
    #[error("environment name {0:?} is longer than {max} characters", max = Environment::MAX_LEN)]
    TooLong(String),
    #[error("environment name {name:?} must start with a lower-case letter")]
    BadStart { name: String },
    #[error("environment name {name:?} may contain only a-z, 0-9 and '-', found {found:?}")]
    BadChar { name: String, found: char },
}

impl Environment {
    pub const MAX_LEN: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, EnvironmentError> {
        let mut chars = raw.chars();
        let first = chars.next().ok_or(EnvironmentError::Empty)?;
        if raw.len() > Self::MAX_LEN {
            return Err(EnvironmentError::TooLong(raw.to_owned()));
        }
        if !first.is_ascii_lowercase() {
            return Err(EnvironmentError::BadStart {
                name: raw.to_owned(),
            });
        }
        if let Some(found) =
            chars.find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(EnvironmentError::BadChar {
                name: raw.to_owned(),
                found,
            });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Environment {
    type Error = EnvironmentError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Environment> for String {
    fn from(value: Environment) -> Self {
        value.0
    }
}

/// The environments of a track, in the order a release is promoted through
/// them: at least one, none twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Environment>", into = "Vec<Environment>")]
pub struct Pipeline(Vec<Environment>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    #[error("a pipeline needs at least one environment")]
    Empty,
    #[error("environment {0} appears twice in the pipeline")]
    Duplicate(Environment),
    #[error("environment {position} of the pipeline: {source}")]
    Environment {
        /// 1-based, as people count.
        position: usize,
        source: EnvironmentError,
    },
}

impl Pipeline {
    /// `dev,stage,prod`, or `dev, staging` — comma-separated, in order.
    pub fn parse(raw: &str) -> Result<Self, PipelineError> {
        if raw.trim().is_empty() {
            return Err(PipelineError::Empty);
        }
        let environments = raw
            .split(',')
            .enumerate()
            .map(|(i, part)| {
                Environment::parse(part.trim()).map_err(|source| PipelineError::Environment {
                    position: i + 1,
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(environments)
    }

    pub fn new(environments: Vec<Environment>) -> Result<Self, PipelineError> {
        if environments.is_empty() {
            return Err(PipelineError::Empty);
        }
        for (i, env) in environments.iter().enumerate() {
            if environments[..i].contains(env) {
                return Err(PipelineError::Duplicate(env.clone()));
            }
        }
        Ok(Self(environments))
    }

    pub fn environments(&self) -> &[Environment] {
        &self.0
    }

    pub fn contains(&self, env: &Environment) -> bool {
        self.0.contains(env)
    }

    /// Where a release in `env` is promoted to; `None` for the last
    /// environment or one not in the pipeline.
    pub fn next_after(&self, env: &Environment) -> Option<&Environment> {
        let at = self.0.iter().position(|e| e == env)?;
        self.0.get(at + 1)
    }

    /// Where a promotion into `env` comes from (the environment whose soak
    /// counts); `None` for the first environment or one not in the pipeline.
    pub fn previous_before(&self, env: &Environment) -> Option<&Environment> {
        let at = self.0.iter().position(|e| e == env)?;
        at.checked_sub(1).map(|i| &self.0[i])
    }
}

impl fmt::Display for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(Environment::as_str).collect();
        f.write_str(&names.join(" → "))
    }
}

impl TryFrom<Vec<Environment>> for Pipeline {
    type Error = PipelineError;
    fn try_from(value: Vec<Environment>) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Pipeline> for Vec<Environment> {
    fn from(value: Pipeline) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn env(s: &str) -> Environment {
        Environment::parse(s).unwrap()
    }

    #[test]
    fn accepts_the_usual_environment_names() {
        for name in ["dev", "stage", "prod", "staging", "qa-2"] {
            assert_eq!(env(name).as_str(), name);
        }
    }

    #[test]
    fn refuses_names_that_are_not_lower_case_words() {
        assert_eq!(Environment::parse(""), Err(EnvironmentError::Empty));
        assert_eq!(
            Environment::parse("Prod").unwrap_err().to_string(),
            "environment name \"Prod\" must start with a lower-case letter"
        );
        assert_eq!(
            Environment::parse("pro d").unwrap_err().to_string(),
            "environment name \"pro d\" may contain only a-z, 0-9 and '-', found ' '"
        );
        assert!(matches!(
            Environment::parse(&"a".repeat(33)),
            Err(EnvironmentError::TooLong(_))
        ));
        assert!(Environment::parse(&"a".repeat(32)).is_ok());
    }

    #[test]
    fn the_standard_pipeline_runs_dev_then_stage_then_prod() {
        let p = Pipeline::parse("dev, stage ,prod").unwrap();
        assert_eq!(p.environments(), [env("dev"), env("stage"), env("prod")]);
        assert_eq!(p.next_after(&env("dev")), Some(&env("stage")));
        assert_eq!(p.next_after(&env("stage")), Some(&env("prod")));
        assert_eq!(p.next_after(&env("prod")), None);
        assert_eq!(p.next_after(&env("qa")), None);
        assert_eq!(p.previous_before(&env("prod")), Some(&env("stage")));
        assert_eq!(p.previous_before(&env("dev")), None);
        assert_eq!(p.to_string(), "dev → stage → prod");
    }

    #[test]
    fn a_pipeline_refuses_duplicates_and_empty_entries() {
        assert_eq!(Pipeline::parse(" "), Err(PipelineError::Empty));
        assert_eq!(
            Pipeline::parse("dev,stage,dev").unwrap_err().to_string(),
            "environment dev appears twice in the pipeline"
        );
        assert_eq!(
            Pipeline::parse("dev,,prod").unwrap_err().to_string(),
            "environment 2 of the pipeline: environment name is empty"
        );
    }

    #[test]
    fn a_pipeline_round_trips_through_json_and_is_checked_on_the_way_in() {
        let p = Pipeline::parse("dev,stage,prod").unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"["dev","stage","prod"]"#);
        assert_eq!(serde_json::from_str::<Pipeline>(&json).unwrap(), p);
        assert!(serde_json::from_str::<Pipeline>(r#"["dev","dev"]"#).is_err());
        assert!(serde_json::from_str::<Pipeline>("[]").is_err());
    }

    proptest! {
        #[test]
        fn walking_next_after_from_the_first_environment_visits_each_once(
            names in proptest::collection::btree_set("[a-z][a-z0-9-]{0,8}", 1..6)
        ) {
            let joined = names.iter().cloned().collect::<Vec<_>>().join(",");
            let p = Pipeline::parse(&joined).unwrap();
            let mut seen = vec![p.environments()[0].clone()];
            while let Some(next) = p.next_after(seen.last().unwrap()) {
                prop_assert_eq!(p.previous_before(next), seen.last());
                seen.push(next.clone());
            }
            prop_assert_eq!(seen.as_slice(), p.environments());
        }
    }
}
