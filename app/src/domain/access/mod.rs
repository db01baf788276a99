//! Who may do what: Trainyard's roles, CI token scopes and reaches, the
//! mapping from an identity provider's groups to roles, and the one
//! permission function that the service layer calls before every change.

mod permission;
mod reach;
mod role;
mod role_map;
mod scope;
mod token_name;

pub use permission::{permit, Action, Decision, Principal, Resource};
pub use reach::Reach;
pub use role::{Role, RoleSet};
pub use role_map::{RoleMap, RoleMapError, UnmappedUsers};
pub use scope::{Scope, ScopeSet};
pub use token_name::TokenName;

#[cfg(test)]
mod matrix_tests;
