use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// What a CI token may do. Tokens never approve, edit the calendar or manage
/// anything: those need a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Report gate results.
    GatesWrite,
    /// Upload evidence bundles.
    EvidenceWrite,
    /// Create, update and transition trains, report service status, roll back.
    TrainsWrite,
    /// Set the organisation up: services and tracks (a CI job keeping them as code).
    ConfigWrite,
    /// Report deployments (a CD pipeline saying what it deployed where).
    DeploymentsWrite,
    /// Report incidents (an incident tool).
    IncidentsWrite,
}

impl Scope {
    pub const ALL: [Scope; 6] = [
        Scope::GatesWrite,
        Scope::EvidenceWrite,
        Scope::TrainsWrite,
        Scope::ConfigWrite,
        Scope::DeploymentsWrite,
        Scope::IncidentsWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::GatesWrite => "gates:write",
            Scope::EvidenceWrite => "evidence:write",
            Scope::TrainsWrite => "trains:write",
            Scope::ConfigWrite => "config:write",
            Scope::DeploymentsWrite => "deployments:write",
            Scope::IncidentsWrite => "incidents:write",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A token's scopes, parsed from `gates:write,evidence:write`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeSet(BTreeSet<Scope>);

impl ScopeSet {
    pub fn new(scopes: impl IntoIterator<Item = Scope>) -> Self {
        Self(scopes.into_iter().collect())
    }

    /// Parses a comma-separated list; an unknown scope is named in the error.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let names: Vec<&str> = raw
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        Self::from_names(&names)
    }

    /// Reads back the names `names` gave (as stored).
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<Self, String> {
        let mut set = BTreeSet::new();
        for name in names {
            let name = name.as_ref();
            let scope = Scope::ALL
                .into_iter()
                .find(|s| s.as_str() == name)
                .ok_or_else(|| {
                    format!(
                        "unknown scope {name:?}; known scopes are {}",
                        Scope::ALL.map(Scope::as_str).join(", ")
                    )
                })?;
            set.insert(scope);
        }
        if set.is_empty() {
            return Err("name at least one scope".to_owned());
        }
        Ok(Self(set))
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    pub fn names(&self) -> Vec<String> {
        self.0.iter().map(|s| s.as_str().to_owned()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_from_a_comma_separated_list() {
        let set = ScopeSet::parse("gates:write, evidence:write,gates:write").unwrap();
        assert_eq!(set.names(), ["gates:write", "evidence:write"]);
    }

    #[test]
    fn an_unknown_or_empty_scope_list_is_refused_with_the_reason() {
        let err = ScopeSet::parse("gates:write,deploy:prod").unwrap_err();
        assert!(err.contains("\"deploy:prod\""), "{err}");
        assert!(ScopeSet::parse(" , ").is_err());
    }
}
