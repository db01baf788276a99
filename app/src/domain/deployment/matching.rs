//! Which train a deployment belongs to: the one that carries the service
//! at that version through that environment (`scheduled`, or `hotfix` when
//! its track runs on demand), or none (`unscheduled`: seed 003's surprise
//! deploy, which somebody should hear about).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// A train of a track with a cadence carries it.
    Scheduled,
    /// A train of an on-demand track (a hotfix) carries it.
    Hotfix,
    /// No train carries it.
    Unscheduled,
    /// An unfinished rollback of a train asked CD for it: a service back
    /// at its previous version.
    Rollback,
}

impl MatchKind {
    pub const ALL: [Self; 4] = [
        Self::Scheduled,
        Self::Hotfix,
        Self::Unscheduled,
        Self::Rollback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Hotfix => "hotfix",
            Self::Unscheduled => "unscheduled",
            Self::Rollback => "rollback",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// A train that carries the deployed service at the deployed version, on a
/// track whose pipeline includes the deployed environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub train_id: i64,
    pub name: String,
    /// Its tag, once it has one.
    pub tag: Option<String>,
    /// Its track has no cadence: trains are made when needed (hotfixes).
    pub on_demand: bool,
    pub created_at: DateTime<Utc>,
}

/// What a deployment matched, and why not when it names a train that does
/// not carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched {
    pub kind: MatchKind,
    /// The train's id and name.
    pub train: Option<(i64, String)>,
    pub note: Option<String>,
}

/// Matches a deployment to `candidates`. A train the report `named` (by
/// name or tag) wins when it is one of them. Otherwise, and when the named
/// train does not carry this version through this environment (said in the
/// note: what ran is not what the pipeline thought), the newest candidate:
/// a version re-deployed later still came from the train that brought it.
pub fn match_deployment(named: Option<&str>, candidates: &[Candidate]) -> Matched {
    let is_named =
        |c: &&Candidate| named.is_some_and(|n| c.name == n || c.tag.as_deref() == Some(n));
    let chosen = candidates
        .iter()
        .find(is_named)
        .or_else(|| candidates.iter().max_by_key(|c| (c.created_at, c.train_id)));
    let note = named
        .filter(|_| chosen.is_none_or(|c| !is_named(&c)))
        .map(|n| {
            format!(
                "the report names {n}, which does not carry this version through this environment"
            )
        });
    Matched {
        kind: match chosen {
            None => MatchKind::Unscheduled,
            Some(c) if c.on_demand => MatchKind::Hotfix,
            Some(_) => MatchKind::Scheduled,
        },
        train: chosen.map(|c| (c.train_id, c.name.clone())),
        note,
    }
}

/// A redeploy an unfinished rollback of a train asked for belongs to that
/// rollback, whichever train once brought the version.
pub fn rollback_redeploy(train_id: i64, train: &str) -> Matched {
    Matched {
        kind: MatchKind::Rollback,
        train: Some((train_id, train.to_owned())),
        note: Some(format!("the redeploy the rollback of {train} asked for")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn candidate(id: i64, name: &str, on_demand: bool, day: u32) -> Candidate {
        Candidate {
            train_id: id,
            name: name.to_owned(),
            tag: Some(format!("v1.{id}.0")),
            on_demand,
            created_at: Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn no_train_carrying_it_is_an_unscheduled_deploy() {
        let m = match_deployment(None, &[]);
        assert_eq!(m.kind, MatchKind::Unscheduled);
        assert_eq!((m.train, m.note), (None, None));
    }

    #[test]
    fn the_newest_carrying_train_wins_and_its_track_says_scheduled_or_hotfix() {
        let trains = [
            candidate(1, "wk-1", false, 2),
            candidate(2, "hf-1", true, 5),
        ];
        let m = match_deployment(None, &trains);
        assert_eq!(m.kind, MatchKind::Hotfix);
        assert_eq!(m.train, Some((2, "hf-1".to_owned())));
        let m = match_deployment(None, &trains[..1]);
        assert_eq!(m.kind, MatchKind::Scheduled);
    }

    #[test]
    fn a_named_train_wins_by_name_or_tag_and_a_wrong_one_is_said() {
        let trains = [
            candidate(1, "wk-1", false, 2),
            candidate(2, "hf-1", true, 5),
        ];
        assert_eq!(
            match_deployment(Some("wk-1"), &trains).train,
            Some((1, "wk-1".to_owned()))
        );
        assert_eq!(
            match_deployment(Some("v1.1.0"), &trains).kind,
            MatchKind::Scheduled
        );
        let m = match_deployment(Some("wk-9"), &trains);
        assert_eq!(m.kind, MatchKind::Hotfix, "matched by version instead");
        assert!(m.note.unwrap().contains("wk-9"));
        let m = match_deployment(Some("wk-9"), &[]);
        assert_eq!(m.kind, MatchKind::Unscheduled);
        assert!(m.note.is_some());
    }
}
