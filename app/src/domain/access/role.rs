use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A Trainyard role. A user can hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Reads everything that is not secret.
    Viewer,
    /// Edits the release calendar.
    Owner,
    /// Runs trains, requests promotions, triggers rollbacks.
    Captain,
    /// Approves promotions into stage.
    ApproverStage,
    /// Approves promotions into prod.
    ApproverProd,
    /// Manages tracks, gates and tokens; checks the audit trail.
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Viewer,
        Role::Owner,
        Role::Captain,
        Role::ApproverStage,
        Role::ApproverProd,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Owner => "owner",
            Role::Captain => "captain",
            Role::ApproverStage => "approver:stage",
            Role::ApproverProd => "approver:prod",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The roles a user holds, without duplicates, in a stable order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet(BTreeSet<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        Self(roles.into_iter().collect())
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    /// The role names, as the audit trail records them.
    pub fn names(&self) -> Vec<String> {
        self.iter().map(|r| r.as_str().to_owned()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("approver"), None);
        assert_eq!(Role::parse("Admin"), None, "role names are case-sensitive");
    }
}
