use crate::domain::promotion::Environment;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A Trainyard role. A user can hold several.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Role {
    /// Reads everything that is not secret.
    Viewer,
    /// Edits the release calendar.
    Owner,
    /// Runs trains, requests promotions, triggers rollbacks.
    Captain,
    /// Writes and publishes release notes and announcements (seed 004's
    /// Communications: stakeholder updates and customer-facing notes).
    Communications,
    /// `approver:<environment>`: approves promotions into that environment
    /// (when its policy names this role, as it does by default).
    Approver(Environment),
    /// Manages tracks, gates and tokens; checks the audit trail.
    Admin,
}

impl Role {
    /// The roles that do not name an environment.
    pub const FIXED: [Role; 5] = [
        Role::Viewer,
        Role::Owner,
        Role::Captain,
        Role::Communications,
        Role::Admin,
    ];

    /// The approver role of an environment named `environment`.
    ///
    /// # Panics
    /// When `environment` is not an environment name; for names fixed in code.
    pub fn approver(environment: &str) -> Role {
        Role::Approver(Environment::parse(environment).expect("a valid environment name"))
    }

    pub fn name(&self) -> String {
        match self {
            Role::Viewer => "viewer".into(),
            Role::Owner => "owner".into(),
            Role::Captain => "captain".into(),
            Role::Communications => "communications".into(),
            Role::Approver(env) => format!("approver:{env}"),
            Role::Admin => "admin".into(),
        }
    }

    /// `viewer`, `owner`, `captain`, `communications`, `admin` or
    /// `approver:<environment>`.
    pub fn parse(raw: &str) -> Option<Role> {
        let raw = raw.trim();
        if let Some(env) = raw.strip_prefix("approver:") {
            return Environment::parse(env).ok().map(Role::Approver);
        }
        Role::FIXED.into_iter().find(|r| r.name() == raw)
    }

    /// As [`Role::parse`], also reading the names stored before approver
    /// roles named their environment (`ApproverStage`, `Captain`, …).
    fn parse_stored(raw: &str) -> Option<Role> {
        match raw {
            "Viewer" => Some(Role::Viewer),
            "Owner" => Some(Role::Owner),
            "Captain" => Some(Role::Captain),
            "Admin" => Some(Role::Admin),
            "ApproverStage" => Role::parse("approver:stage"),
            "ApproverProd" => Role::parse("approver:prod"),
            other => Role::parse(other),
        }
    }

    pub fn is_approver(&self) -> bool {
        matches!(self, Role::Approver(_))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Role::parse_stored(&value).ok_or_else(|| {
            format!(
                "{value:?} is not a Trainyard role (viewer, owner, captain, communications, admin or approver:<environment>)"
            )
        })
    }
}

impl From<Role> for String {
    fn from(value: Role) -> Self {
        value.name()
    }
}

/// The roles a user holds, without duplicates, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet(BTreeSet<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        Self(roles.into_iter().collect())
    }

    pub fn contains(&self, role: &Role) -> bool {
        self.0.contains(role)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Role> + '_ {
        self.0.iter()
    }

    /// The role names, as the audit trail records them.
    pub fn names(&self) -> Vec<String> {
        self.iter().map(Role::name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_name() {
        for role in Role::FIXED
            .into_iter()
            .chain([Role::approver("preview"), Role::approver("live-eu")])
        {
            assert_eq!(Role::parse(&role.name()), Some(role));
        }
        assert_eq!(Role::parse("approver"), None);
        assert_eq!(Role::parse("approver:"), None);
        assert_eq!(
            Role::parse("approver:Prod"),
            None,
            "environment names are lower-case"
        );
        assert_eq!(Role::parse("Admin"), None, "role names are case-sensitive");
    }

    #[test]
    fn roles_are_stored_by_name_and_the_old_names_still_read() {
        let roles = RoleSet::new([Role::Captain, Role::approver("mainnet")]);
        let json = serde_json::to_value(&roles).unwrap();
        assert_eq!(json, serde_json::json!(["captain", "approver:mainnet"]));
        assert_eq!(serde_json::from_value::<RoleSet>(json).unwrap(), roles);
        let old: RoleSet =
            serde_json::from_value(serde_json::json!(["Captain", "ApproverProd"])).unwrap();
        assert_eq!(old, RoleSet::new([Role::Captain, Role::approver("prod")]));
        assert!(serde_json::from_value::<Role>(serde_json::json!("root")).is_err());
    }
}
