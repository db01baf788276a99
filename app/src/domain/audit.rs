//! The audit trail's hash chain: each record's hash covers the previous
//! record's hash and the record's canonical content, so changing, removing or
//! reordering any record breaks every link after it.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// The hash the first record links to.
pub const GENESIS: Hash = [0; 32];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    User,
    Token,
    System,
    /// Nobody signed in; never allowed to change anything.
    Anonymous,
}

impl ActorKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Token => "token",
            Self::System => "system",
            Self::Anonymous => "anonymous",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "user" => Some(Self::User),
            "token" => Some(Self::Token),
            "system" => Some(Self::System),
            "anonymous" => Some(Self::Anonymous),
            _ => None,
        }
    }
}

/// Who did what, when, why and from where.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_kind: ActorKind,
    pub actor: String,
    pub actor_name: Option<String>,
    pub actor_roles: Vec<String>,
    pub action: String,
    pub resource: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl AuditEntry {
    /// The bytes that are hashed: JSON with sorted keys and the time in
    /// microseconds (what Postgres keeps), so the same record always gives the
    /// same bytes.
    pub fn canonical(&self) -> Vec<u8> {
        let mut value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        value["at"] =
            serde_json::Value::String(self.at.to_rfc3339_opts(SecondsFormat::Micros, true));
        // serde_json's default map is ordered by key.
        serde_json::to_vec(&value).unwrap_or_default()
    }

    pub fn hash(&self, prev: &Hash) -> Hash {
        let mut hasher = Sha256::new();
        hasher.update(prev);
        hasher.update(self.canonical());
        hasher.finalize().into()
    }
}

/// A stored record as read back for verification.
pub struct StoredRecord {
    pub id: i64,
    pub entry: AuditEntry,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("audit record {id} does not link to the record before it")]
    BrokenLink { id: i64 },
    #[error("audit record {id} does not match its hash: its content was changed")]
    Altered { id: i64 },
}

impl ChainError {
    /// The record the chain breaks at.
    pub fn id(&self) -> i64 {
        match self {
            Self::BrokenLink { id } | Self::Altered { id } => *id,
        }
    }
}

/// Checks records in chain order; names the first one that does not match.
pub fn verify(records: impl IntoIterator<Item = StoredRecord>) -> Result<usize, ChainError> {
    let mut chain = ChainCheck::default();
    for r in records {
        chain.push(&r)?;
    }
    Ok(chain.count())
}

/// Checks a chain record by record, so that a trail of millions is read a
/// page at a time rather than held in memory whole.
#[derive(Debug)]
pub struct ChainCheck {
    prev: Hash,
    count: usize,
}

impl Default for ChainCheck {
    fn default() -> Self {
        Self {
            prev: GENESIS,
            count: 0,
        }
    }
}

impl ChainCheck {
    /// The next record in chain order.
    pub fn push(&mut self, r: &StoredRecord) -> Result<(), ChainError> {
        if r.prev_hash.as_slice() != self.prev.as_slice() {
            return Err(ChainError::BrokenLink { id: r.id });
        }
        if r.entry.hash(&self.prev).as_slice() != r.hash.as_slice() {
            return Err(ChainError::Altered { id: r.id });
        }
        self.prev = r
            .hash
            .as_slice()
            .try_into()
            .map_err(|_| ChainError::Altered { id: r.id })?;
        self.count += 1;
        Ok(())
    }

    /// How many records matched.
    pub fn count(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(action: &str) -> AuditEntry {
        AuditEntry {
            at: Utc.with_ymd_and_hms(2026, 11, 22, 1, 2, 3).unwrap()
                + chrono::Duration::microseconds(456_789),
            actor_kind: ActorKind::User,
            actor: "carl".into(),
            actor_name: Some("Carl Captain".into()),
            actor_roles: vec!["captain".into()],
            action: action.into(),
            resource: "train:Q4-curve-upgrade".into(),
            before: Some(serde_json::json!({ "state": "staging" })),
            after: Some(serde_json::json!({ "state": "executing" })),
            reason: None,
            ip: Some("127.0.0.1".into()),
            user_agent: None,
        }
    }

    fn chain(actions: &[&str]) -> Vec<StoredRecord> {
        let mut prev = GENESIS;
        actions
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let e = entry(a);
                let hash = e.hash(&prev);
                let r = StoredRecord {
                    id: i as i64 + 1,
                    entry: e,
                    prev_hash: prev.to_vec(),
                    hash: hash.to_vec(),
                };
                prev = hash;
                r
            })
            .collect()
    }

    #[test]
    fn the_canonical_form_is_stable_and_sorted() {
        let text = String::from_utf8(entry("train.transition").canonical()).unwrap();
        assert!(
            text.starts_with(r#"{"action":"train.transition","actor":"carl","actor_kind":"user""#),
            "{text}"
        );
        assert!(
            text.contains(r#""at":"2026-11-22T01:02:03.456789Z""#),
            "{text}"
        );
        assert_eq!(entry("x.y").hash(&GENESIS), entry("x.y").hash(&GENESIS));
        assert_ne!(entry("x.y").hash(&GENESIS), entry("x.z").hash(&GENESIS));
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(chain(&["a.b", "c.d", "e.f"])), Ok(3));
        assert_eq!(verify(Vec::new()), Ok(0));
    }

    #[test]
    fn a_changed_record_is_named() {
        let mut records = chain(&["a.b", "c.d", "e.f"]);
        records[1].entry.reason = Some("rewritten history".into());
        assert_eq!(verify(records), Err(ChainError::Altered { id: 2 }));
    }

    #[test]
    fn a_removed_record_breaks_the_next_link() {
        let mut records = chain(&["a.b", "c.d", "e.f"]);
        records.remove(1);
        assert_eq!(verify(records), Err(ChainError::BrokenLink { id: 3 }));
    }
}
