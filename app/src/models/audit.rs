//! The audit trail as the Audit and Admin pages show it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the Audit page filters by; every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// A subject, token name or part of a display name.
    pub who: Option<String>,
    /// An action or its prefix (`train.` for every train action).
    pub action: Option<String>,
    /// A train's name.
    pub train: Option<String>,
    /// `YYYY-MM-DD`, inclusive, UTC.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, inclusive, UTC.
    pub to: Option<String>,
    /// The page after (older than) this record id.
    pub after: Option<String>,
    /// The page before (newer than) this record id.
    pub before: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRecordView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_kind: String,
    pub actor: String,
    pub actor_name: Option<String>,
    pub actor_roles: Vec<String>,
    pub action: String,
    pub resource: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditListing {
    pub records: Vec<AuditRecordView>,
    /// How many records match, counted up to `MatchCount::LIMIT`.
    pub total: super::MatchCount,
    pub links: crate::domain::keyset::PageLinks,
}

/// The result of checking the whole chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainCheck {
    pub records: usize,
    /// The first record that does not match, and why.
    pub broken: Option<(i64, String)>,
}
