//! Who is signed in and the CI tokens, as the pages and the API show them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The signed-in person, as the header and the UI's permission hints see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub subject: String,
    pub display_name: String,
    pub roles: Vec<String>,
}

/// A CI token without its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenSummary {
    pub name: String,
    /// The first characters of the secret, to tell tokens apart.
    pub prefix: String,
    pub scopes: Vec<String>,
    /// The tracks whose trains it may act on; with `trains` empty too, it
    /// may act on every train.
    pub tracks: Vec<String>,
    /// The trains it may act on by name.
    pub trains: Vec<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Neither revoked nor expired when it was read (decided on the server,
    /// whose clock counts).
    pub active: bool,
}

/// A token just created: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: TokenSummary,
    pub secret: String,
}
