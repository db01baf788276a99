use super::{Role, RoleSet};
use std::collections::BTreeMap;

/// What a signed-in user without any Trainyard role gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnmappedUsers {
    /// They may look but not change anything.
    Viewer,
    /// They are turned away at sign-in.
    Refuse,
}

/// How the identity provider's groups become Trainyard roles. Without an
/// explicit map a group named like a role (`captain`, `approver:prod`) grants
/// it; with one, only the listed groups count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleMap {
    explicit: Option<BTreeMap<String, Vec<Role>>>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RoleMapError {
    #[error("{0:?} is not group=role")]
    NotAPair(String),
    #[error(
        "{role:?} in {pair:?} is not a Trainyard role \
         (viewer, owner, captain, communications, admin or approver:<environment>)"
    )]
    UnknownRole { pair: String, role: String },
}

impl RoleMap {
    /// Groups named like roles grant those roles.
    pub fn by_name() -> Self {
        Self { explicit: None }
    }

    /// Parses `group=role,group=role`; a group may appear more than once.
    pub fn parse(raw: &str) -> Result<Self, RoleMapError> {
        let mut map: BTreeMap<String, Vec<Role>> = BTreeMap::new();
        for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (group, role) = pair
                .split_once('=')
                .filter(|(g, r)| !g.trim().is_empty() && !r.trim().is_empty())
                .ok_or_else(|| RoleMapError::NotAPair(pair.to_owned()))?;
            let role = Role::parse(role).ok_or_else(|| RoleMapError::UnknownRole {
                pair: pair.to_owned(),
                role: role.trim().to_owned(),
            })?;
            map.entry(group.trim().to_owned()).or_default().push(role);
        }
        Ok(Self {
            explicit: Some(map),
        })
    }

    /// The roles the groups grant, or `None` when the user must be refused.
    pub fn roles_for<S: AsRef<str>>(
        &self,
        groups: &[S],
        unmapped: UnmappedUsers,
    ) -> Option<RoleSet> {
        let roles = RoleSet::new(groups.iter().flat_map(|g| self.roles_of(g.as_ref())));
        match (roles.is_empty(), unmapped) {
            (false, _) => Some(roles),
            (true, UnmappedUsers::Viewer) => Some(RoleSet::new([Role::Viewer])),
            (true, UnmappedUsers::Refuse) => None,
        }
    }

    fn roles_of(&self, group: &str) -> Vec<Role> {
        match &self.explicit {
            None => Role::parse(group).into_iter().collect(),
            Some(map) => map.get(group).cloned().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_map_groups_named_like_roles_grant_them() {
        let roles = RoleMap::by_name()
            .roles_for(
                &["approver:prod", "staff", "captain"],
                UnmappedUsers::Refuse,
            )
            .unwrap();
        assert_eq!(roles.names(), ["captain", "approver:prod"]);
    }

    #[test]
    fn an_explicit_map_replaces_matching_by_name() {
        let map = RoleMap::parse("release-captains=captain, sre=approver:prod,sre=approver:stage")
            .unwrap();
        let roles = map
            .roles_for(&["sre", "admin"], UnmappedUsers::Refuse)
            .unwrap();
        assert_eq!(roles.names(), ["approver:prod", "approver:stage"]);
    }

    #[test]
    fn users_without_a_role_are_viewers_or_refused_by_configuration() {
        let none: [&str; 1] = ["staff"];
        assert_eq!(
            RoleMap::by_name().roles_for(&none, UnmappedUsers::Viewer),
            Some(RoleSet::new([Role::Viewer]))
        );
        assert_eq!(
            RoleMap::by_name().roles_for(&none, UnmappedUsers::Refuse),
            None
        );
    }

    #[test]
    fn a_bad_map_names_the_pair() {
        assert_eq!(
            RoleMap::parse("ops"),
            Err(RoleMapError::NotAPair("ops".into()))
        );
        let err = RoleMap::parse("ops=superuser").unwrap_err();
        assert!(err.to_string().contains("\"superuser\""), "{err}");
    }
}
