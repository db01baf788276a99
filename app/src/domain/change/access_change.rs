//! People and tokens: what happened to a person's session (the variants
//! of [`Change::Session`](super::Change::Session)) and to an API token
//! ([`Change::Token`](super::Change::Token)).

use chrono::{DateTime, Utc};

#[derive(Clone, Debug, PartialEq)]
pub enum SessionChange {
    SignedIn {
        roles: Vec<String>,
        groups: Vec<String>,
    },
    Refused {
        groups: Vec<String>,
        reason: String,
    },
    /// Their roles changed under their session (the role map in force now
    /// grants their groups other roles): the session id was replaced, or
    /// the session ended when no role is left.
    RolesChanged {
        from: Vec<String>,
        /// Empty when the person may no longer be signed in at all.
        to: Vec<String>,
    },
    SignedOut {
        /// Signed out everywhere: how many sessions ended with this one.
        everywhere: Option<u64>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenChange {
    Created {
        scopes: Vec<String>,
        /// Its reach: the tracks whose trains, and the trains, it may act
        /// on; both empty for a token that may act on every train.
        tracks: Vec<String>,
        trains: Vec<String>,
        prefix: String,
        expires_at: Option<DateTime<Utc>>,
    },
    Revoked {
        prefix: String,
    },
}
