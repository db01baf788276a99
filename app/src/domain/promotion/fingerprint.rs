//! What a promotion would move: the participants of the train and their
//! versions. An approval is given to one fingerprint; when the fingerprint
//! changes, the approval is dismissed (GitHub's "require approval of the most
//! recent push").

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The set of (participant, version) pairs, independent of the order they
/// were listed in. Equality compares the pairs themselves; [`Fingerprint::digest`]
/// is a short label for showing and indexing, not a security measure.
///
/// A participant without a target version is given the empty version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<String, String>",
    into = "BTreeMap<String, String>"
)]
pub struct Fingerprint(BTreeMap<String, String>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FingerprintError {
    #[error("a participant of the promotion has an empty name")]
    EmptyParticipant,
    #[error("participant {participant} is listed with two versions, {first} and {second}")]
    TwoVersions {
        participant: String,
        first: String,
        second: String,
    },
}

impl Fingerprint {
    pub fn new<P, V>(pairs: impl IntoIterator<Item = (P, V)>) -> Result<Self, FingerprintError>
    where
        P: Into<String>,
        V: Into<String>,
    {
        let mut map = BTreeMap::<String, String>::new();
        for (participant, version) in pairs {
            let participant: String = participant.into().trim().to_owned();
            let version: String = version.into().trim().to_owned();
            if participant.is_empty() {
                return Err(FingerprintError::EmptyParticipant);
            }
            match map.get(&participant) {
                Some(first) if *first != version => {
                    return Err(FingerprintError::TwoVersions {
                        participant,
                        first: show_version(first).to_owned(),
                        second: show_version(&version).to_owned(),
                    })
                }
                _ => {
                    map.insert(participant, version);
                }
            }
        }
        Ok(Self(map))
    }

    /// The pairs, ordered by participant.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(p, v)| (p.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// 16 hex digits (64-bit FNV-1a over the sorted pairs): stable across
    /// builds and platforms, so a stored digest can be compared later.
    pub fn digest(&self) -> String {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut hash = OFFSET;
        for (participant, version) in &self.0 {
            // NUL cannot be typed into a name, so it separates fields unambiguously.
            for byte in participant
                .bytes()
                .chain([0])
                .chain(version.bytes())
                .chain([0])
            {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(PRIME);
            }
        }
        format!("{hash:016x}")
    }
}

fn show_version(version: &str) -> &str {
    if version.is_empty() {
        "no version"
    } else {
        version
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .pairs()
            .map(|(p, v)| format!("{p} {}", show_version(v)))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

impl TryFrom<BTreeMap<String, String>> for Fingerprint {
    type Error = FingerprintError;
    fn try_from(value: BTreeMap<String, String>) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Fingerprint> for BTreeMap<String, String> {
    fn from(value: Fingerprint) -> Self {
        value.0
    }
}

/// What changed from `old` to `new`, one readable line per participant, in
/// participant order: `scenario 2.0.0 → 2.0.1`, `participant risk added`,
/// `participant curve removed`. Empty when nothing changed.
pub fn diff(old: &Fingerprint, new: &Fingerprint) -> Vec<String> {
    let mut names: Vec<&String> = old.0.keys().chain(new.0.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| match (old.0.get(name), new.0.get(name)) {
            (Some(a), Some(b)) if a != b => {
                Some(format!("{name} {} → {}", show_version(a), show_version(b)))
            }
            (None, Some(_)) => Some(format!("participant {name} added")),
            (Some(_), None) => Some(format!("participant {name} removed")),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fp(pairs: &[(&str, &str)]) -> Fingerprint {
        Fingerprint::new(pairs.iter().copied()).unwrap()
    }

    #[test]
    fn the_order_participants_are_listed_in_does_not_matter() {
        let a = fp(&[("scenario", "2.0.0"), ("curve", "1.4.0")]);
        let b = fp(&[("curve", "1.4.0"), ("scenario", "2.0.0")]);
        assert_eq!(a, b);
        assert_eq!(a.digest(), b.digest());
        assert_eq!(a.to_string(), "curve 1.4.0, scenario 2.0.0");
    }

    #[test]
    fn a_changed_version_changes_the_digest() {
        let a = fp(&[("scenario", "2.0.0")]);
        let b = fp(&[("scenario", "2.0.1")]);
        assert_ne!(a.digest(), b.digest());
        // The separator keeps "ab"+"c" apart from "a"+"bc".
        assert_ne!(fp(&[("ab", "c")]).digest(), fp(&[("a", "bc")]).digest());
    }

    #[test]
    fn a_participant_cannot_be_listed_with_two_versions() {
        let err = Fingerprint::new([("risk", "1.0.0"), ("risk", "1.1.0")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "participant risk is listed with two versions, 1.0.0 and 1.1.0"
        );
        assert_eq!(
            Fingerprint::new([("risk", "1.0.0"), ("risk", "1.0.0")]).unwrap(),
            fp(&[("risk", "1.0.0")])
        );
        assert_eq!(
            Fingerprint::new([(" ", "1.0.0")]),
            Err(FingerprintError::EmptyParticipant)
        );
    }

    #[test]
    fn the_diff_names_each_changed_added_and_removed_participant() {
        let old = fp(&[("scenario", "2.0.0"), ("curve", "1.4.0"), ("api", "3.0.0")]);
        let new = fp(&[("scenario", "2.0.1"), ("risk", "0.9.0"), ("api", "3.0.0")]);
        assert_eq!(
            diff(&old, &new),
            [
                "participant curve removed",
                "participant risk added",
                "scenario 2.0.0 → 2.0.1",
            ]
        );
        assert!(diff(&old, &old).is_empty());
        assert_eq!(
            diff(&fp(&[("api", "")]), &fp(&[("api", "1.0.0")])),
            ["api no version → 1.0.0"]
        );
    }

    #[test]
    fn a_fingerprint_is_stored_as_a_map_of_participant_to_version() {
        let a = fp(&[("scenario", "2.0.0"), ("curve", "1.4.0")]);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"curve":"1.4.0","scenario":"2.0.0"}"#);
        assert_eq!(serde_json::from_str::<Fingerprint>(&json).unwrap(), a);
        assert!(serde_json::from_str::<Fingerprint>(r#"{"":"1"}"#).is_err());
    }

    proptest! {
        #[test]
        fn the_diff_is_empty_exactly_when_the_fingerprints_are_equal(
            a in proptest::collection::btree_map("[a-e]", "[0-2]", 0..5),
            b in proptest::collection::btree_map("[a-e]", "[0-2]", 0..5),
        ) {
            let (a, b) = (Fingerprint::new(a).unwrap(), Fingerprint::new(b).unwrap());
            prop_assert_eq!(diff(&a, &b).is_empty(), a == b);
            prop_assert_eq!(diff(&a, &b).len(), diff(&b, &a).len());
        }
    }
}
