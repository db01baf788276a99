//! A service as its owners describe it, parsed from what a form, the API or
//! a file gave: every field checked, each problem naming its field.

use super::name::ServiceName;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// Who owns a service: a person, as the identity provider names them, or a
/// whole group of the provider (`group:payments`), whose members review the
/// service's changes (seed 004's component owners).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    Person(String),
    Group(String),
}

impl Owner {
    pub const GROUP_PREFIX: &'static str = "group:";
    const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let (group, name) = match raw.strip_prefix(Self::GROUP_PREFIX) {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        if name.is_empty() {
            return Err("an owner is a person's user name or group:<name>, not empty".into());
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(format!(
                "an owner's name is at most {} characters",
                Self::MAX_LEN
            ));
        }
        let allowed =
            |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+' | ':' | '/');
        if let Some(bad) = name.chars().find(|c| !allowed(*c)) {
            return Err(format!(
                "{raw:?} is not an owner: {bad:?} is not allowed in a name"
            ));
        }
        Ok(if group {
            Owner::Group(name.to_owned())
        } else {
            Owner::Person(name.to_owned())
        })
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Person(name) => f.write_str(name),
            Owner::Group(name) => write!(f, "{}{name}", Self::GROUP_PREFIX),
        }
    }
}

/// Where a service's code lives: an `https://`, `http://` or `ssh://`
/// address, or git's `user@host:path` form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryUrl(String);

impl RepositoryUrl {
    const MAX_LEN: usize = 2048;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.len() > Self::MAX_LEN {
            return Err(format!(
                "a repository address is at most {} characters",
                Self::MAX_LEN
            ));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("a repository address holds no spaces or control characters".into());
        }
        let scheme = ["https://", "http://", "ssh://"]
            .into_iter()
            .find_map(|s| raw.strip_prefix(s));
        let scp = raw
            .split_once('@')
            .and_then(|(user, rest)| rest.split_once(':').map(|(host, path)| (user, host, path)));
        let ok = match (scheme, scp) {
            (Some(rest), _) => rest.split('/').next().is_some_and(|host| !host.is_empty()),
            (None, Some((user, host, path))) => {
                !user.is_empty() && !host.is_empty() && !path.is_empty() && !host.contains('/')
            }
            (None, None) => false,
        };
        if !ok {
            return Err(format!(
                "{raw:?} is not a repository address: give https://host/path or git@host:path"
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A service, every field checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSpec {
    pub name: ServiceName,
    pub description: String,
    pub repository: Option<RepositoryUrl>,
    pub owners: Vec<Owner>,
    /// The services released before it, without repeats, never itself.
    pub depends_on: Vec<ServiceName>,
}

/// A service as it arrives, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    /// Optional when changing a service: its address names it.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// People's user names, or `group:<name>` for a group of the identity provider.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

/// What is wrong with an input, and in which field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

impl Invalid {
    pub fn new(field: impl Into<String>, message: impl ToString) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

fn invalid(field: impl Into<String>, message: impl ToString) -> Invalid {
    Invalid::new(field, message)
}

/// The longest one-line description of a track, an environment or a gate
/// template.
pub const MAX_LINE_DESCRIPTION: usize = 500;

/// A description that is one line of at most [`MAX_LINE_DESCRIPTION`]
/// characters, trimmed.
pub fn one_line_description(raw: &str) -> Result<String, Invalid> {
    let description = raw.trim().to_owned();
    if description.chars().count() > MAX_LINE_DESCRIPTION
        || description.chars().any(char::is_control)
    {
        return Err(invalid(
            "description",
            format!("a description is one line of at most {MAX_LINE_DESCRIPTION} characters"),
        ));
    }
    Ok(description)
}

pub const MAX_DESCRIPTION: usize = 2000;

impl ServiceInput {
    pub fn parse(&self) -> Result<ServiceSpec, Invalid> {
        let name = ServiceName::parse(self.name.trim()).map_err(|e| invalid("name", e))?;
        let description = self.description.trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION {
            return Err(invalid(
                "description",
                format!("a description is at most {MAX_DESCRIPTION} characters"),
            ));
        }
        if description
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            return Err(invalid(
                "description",
                "a description holds no control characters",
            ));
        }
        let repository = match self.repository.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(RepositoryUrl::parse(raw).map_err(|e| invalid("repository", e))?),
        };
        let mut owners = Vec::new();
        for (i, raw) in self
            .owners
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.trim().is_empty())
        {
            let owner = Owner::parse(raw).map_err(|e| invalid(format!("owners[{i}]"), e))?;
            if !owners.contains(&owner) {
                owners.push(owner);
            }
        }
        let mut depends_on = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, raw) in self
            .depends_on
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.trim().is_empty())
        {
            let field = format!("depends_on[{i}]");
            let dep = ServiceName::parse(raw.trim()).map_err(|e| invalid(&field, e))?;
            if dep == name {
                return Err(invalid(field, format!("{name} cannot depend on itself")));
            }
            if seen.insert(dep.clone()) {
                depends_on.push(dep);
            }
        }
        Ok(ServiceSpec {
            name,
            description,
            repository,
            owners,
            depends_on,
        })
    }
}

impl ServiceSpec {
    /// The input this spec parses from (what an edit form starts with).
    pub fn to_input(&self) -> ServiceInput {
        ServiceInput {
            name: self.name.to_string(),
            description: self.description.clone(),
            repository: self.repository.as_ref().map(|r| r.as_str().to_owned()),
            owners: self.owners.iter().map(Owner::to_string).collect(),
            depends_on: self.depends_on.iter().map(ServiceName::to_string).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> ServiceInput {
        ServiceInput {
            name: name.into(),
            ..ServiceInput::default()
        }
    }

    #[test]
    fn a_full_input_parses_and_round_trips() {
        let raw = ServiceInput {
            name: "ledger".into(),
            description: "  Books every payment.  ".into(),
            repository: Some("git@github.com:acme/ledger.git".into()),
            owners: vec![
                "alice".into(),
                "group:payments".into(),
                "alice".into(),
                " ".into(),
            ],
            depends_on: vec!["auth".into(), "db-proxy".into(), "auth".into()],
        };
        let spec = raw.parse().unwrap();
        assert_eq!(spec.description, "Books every payment.");
        assert_eq!(
            spec.owners,
            vec![
                Owner::Person("alice".into()),
                Owner::Group("payments".into())
            ]
        );
        assert_eq!(spec.depends_on.len(), 2, "repeats go");
        assert_eq!(spec.to_input().parse().unwrap(), spec);
    }

    #[test]
    fn each_problem_names_its_field() {
        let cases = [
            (input("Bad Name"), "name"),
            (
                ServiceInput {
                    description: "a\u{0}b".into(),
                    ..input("x")
                },
                "description",
            ),
            (
                ServiceInput {
                    repository: Some("ftp://x".into()),
                    ..input("x")
                },
                "repository",
            ),
            (
                ServiceInput {
                    owners: vec!["ok".into(), "group:".into()],
                    ..input("x")
                },
                "owners[1]",
            ),
            (
                ServiceInput {
                    depends_on: vec!["x".into()],
                    ..input("x")
                },
                "depends_on[0]",
            ),
            (
                ServiceInput {
                    depends_on: vec!["a".into(), "B".into()],
                    ..input("x")
                },
                "depends_on[1]",
            ),
        ];
        for (raw, field) in cases {
            assert_eq!(raw.parse().unwrap_err().field, field, "{raw:?}");
        }
    }

    #[test]
    fn repository_addresses_in_the_forms_git_knows() {
        for ok in [
            "https://github.com/acme/x",
            "http://git.local/x",
            "ssh://git@h/x",
            "git@h:acme/x.git",
        ] {
            assert!(RepositoryUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "github.com/acme/x",
            "https://",
            "git@h:",
            "https://h/a b",
            "@h:x",
        ] {
            assert!(RepositoryUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
