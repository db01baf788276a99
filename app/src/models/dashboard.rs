//! What the dashboard shows.

use super::calendar::FreezeView;
use super::{CalendarEntry, TrackSummary};
use crate::domain::change::BreachOutcome;
use crate::domain::TrainState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    pub now: DateTime<Utc>,
    /// The signed-in viewer (for "mine"); nobody for visitors and tokens.
    pub viewer: Option<String>,
    /// Every train in flight, and failed trains waiting for a decision.
    pub in_flight: Vec<InFlightTrain>,
    pub next_trains: Vec<NextTrain>,
    pub freezes: Vec<FreezeView>,
    pub rollbacks: Vec<RecentRollback>,
    /// Promotion requests the viewer could approve now.
    pub waiting: Vec<super::promotion::WaitingForYou>,
    /// Rollback criteria that held in the last day.
    pub signals: Vec<Signal>,
    /// Deployments no train carried, reported in the last week (newest
    /// first, a few): seed 003's surprise deploys.
    pub unscheduled: Vec<super::deployment::DeploymentView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    pub train: String,
    pub service: String,
    pub environment: String,
    pub detail: String,
    pub outcome: BreachOutcome,
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InFlightTrain {
    pub name: String,
    pub tag: Option<String>,
    pub track: Option<String>,
    pub state: TrainState,
    pub paused_from: Option<TrainState>,
    pub progress: f64,
    /// Seed 000's phase it is in.
    pub phase: String,
    /// As many as the train page's "Why is this blocked?" lists.
    pub blockers: usize,
    /// The first of them.
    pub top_blocker: Option<String>,
    pub captain: Option<String>,
    pub on_call: Option<String>,
    /// The environment its release runs in now.
    pub environment: Option<String>,
    pub participants: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextTrain {
    pub track: TrackSummary,
    pub entry: Option<CalendarEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentRollback {
    pub train: String,
    pub reason: String,
    pub requested_by: String,
    pub at: DateTime<Utc>,
    pub steps: usize,
}

/// How the viewer narrows and orders the trains in flight
/// (`/?track=dev&captain=carl&mine=1&blocked=1&sort=progress&desc=1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlightQuery {
    pub track: Option<String>,
    pub captain: Option<String>,
    pub state: Option<TrainState>,
    /// Only trains the viewer captains or is on call for.
    pub mine: bool,
    pub blocked: bool,
    pub sort: SortBy,
    pub descending: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    #[default]
    Name,
    Track,
    Phase,
    Progress,
    Blockers,
    Captain,
}

impl SortBy {
    pub const ALL: [SortBy; 6] = [
        Self::Name,
        Self::Track,
        Self::Phase,
        Self::Progress,
        Self::Blockers,
        Self::Captain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Track => "track",
            Self::Phase => "phase",
            Self::Progress => "progress",
            Self::Blockers => "blockers",
            Self::Captain => "captain",
        }
    }

    /// An unknown column sorts by name.
    pub fn parse(raw: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .unwrap_or_default()
    }
}

/// Trains in flight under one heading: the blocked ones first, then one
/// group per state.
#[derive(Clone, Debug, PartialEq)]
pub struct InFlightGroup {
    pub title: String,
    pub trains: Vec<InFlightTrain>,
}

/// The order states are listed in, after the blocked trains.
const GROUP_ORDER: [TrainState; 6] = [
    TrainState::Failed,
    TrainState::Paused,
    TrainState::Validating,
    TrainState::Staging,
    TrainState::Executing,
    TrainState::Verifying,
];

impl DashboardData {
    /// How many trains are blocked, and how many are in each state.
    pub fn counts(&self) -> (usize, Vec<(TrainState, usize)>) {
        let blocked = self.in_flight.iter().filter(|t| t.blockers > 0).count();
        let states = GROUP_ORDER
            .into_iter()
            .map(|s| (s, self.in_flight.iter().filter(|t| t.state == s).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        (blocked, states)
    }

    /// The trains the query keeps, grouped (blocked first, then by state)
    /// and ordered within each group.
    pub fn arrange(&self, query: &InFlightQuery) -> Vec<InFlightGroup> {
        let viewer = self.viewer.as_deref();
        let mut kept: Vec<InFlightTrain> = self
            .in_flight
            .iter()
            .filter(|t| query.track.is_none() || t.track == query.track)
            .filter(|t| query.captain.is_none() || t.captain == query.captain)
            .filter(|t| query.state.is_none_or(|s| t.state == s))
            .filter(|t| !query.blocked || t.blockers > 0)
            .filter(|t| {
                !query.mine
                    || viewer.is_some_and(|v| {
                        t.captain.as_deref() == Some(v) || t.on_call.as_deref() == Some(v)
                    })
            })
            .cloned()
            .collect();
        kept.sort_by(|a, b| {
            let order = match query.sort {
                SortBy::Name => a.title().cmp(b.title()),
                SortBy::Track => a.track.cmp(&b.track),
                SortBy::Phase => a.phase.cmp(&b.phase),
                SortBy::Progress => a.progress.total_cmp(&b.progress),
                SortBy::Blockers => a.blockers.cmp(&b.blockers),
                SortBy::Captain => a.captain.cmp(&b.captain),
            }
            .then_with(|| a.title().cmp(b.title()));
            if query.descending {
                order.reverse()
            } else {
                order
            }
        });
        let (blocked, free): (Vec<_>, Vec<_>) = kept.into_iter().partition(|t| t.blockers > 0);
        let mut groups = Vec::new();
        if !blocked.is_empty() {
            groups.push(InFlightGroup {
                title: "Blocked".to_owned(),
                trains: blocked,
            });
        }
        for state in GROUP_ORDER {
            let trains: Vec<_> = free.iter().filter(|t| t.state == state).cloned().collect();
            if !trains.is_empty() {
                groups.push(InFlightGroup {
                    title: state.as_str().replace('_', " "),
                    trains,
                });
            }
        }
        groups
    }
}

impl InFlightTrain {
    /// Its tag, or its name when it has none.
    pub fn title(&self) -> &str {
        self.tag.as_deref().unwrap_or(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn train(name: &str, state: TrainState, blockers: usize, captain: &str) -> InFlightTrain {
        InFlightTrain {
            name: name.to_owned(),
            tag: None,
            track: Some(
                if name.starts_with('d') {
                    "dev"
                } else {
                    "staging"
                }
                .to_owned(),
            ),
            state,
            paused_from: None,
            progress: 0.0,
            phase: "Stabilisation".to_owned(),
            blockers,
            top_blocker: None,
            captain: Some(captain.to_owned()),
            on_call: None,
            environment: None,
            participants: 3,
        }
    }

    fn data() -> DashboardData {
        DashboardData {
            now: chrono::DateTime::UNIX_EPOCH,
            viewer: Some("carl".to_owned()),
            in_flight: vec![
                train("d-verify", TrainState::Verifying, 0, "carl"),
                train("s-valid", TrainState::Validating, 2, "cora"),
                train("d-valid", TrainState::Validating, 0, "carl"),
                train("s-failed", TrainState::Failed, 0, "cora"),
                train("d-stuck", TrainState::Executing, 1, "carl"),
            ],
            next_trains: Vec::new(),
            freezes: Vec::new(),
            rollbacks: Vec::new(),
            unscheduled: Vec::new(),
            waiting: Vec::new(),
            signals: Vec::new(),
        }
    }

    fn names(groups: &[InFlightGroup]) -> Vec<(String, Vec<String>)> {
        groups
            .iter()
            .map(|g| {
                (
                    g.title.clone(),
                    g.trains.iter().map(|t| t.name.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn blocked_trains_come_first_then_one_group_per_state() {
        let groups = data().arrange(&InFlightQuery::default());
        assert_eq!(
            names(&groups),
            vec![
                ("Blocked".into(), vec!["d-stuck".into(), "s-valid".into()]),
                ("failed".into(), vec!["s-failed".into()]),
                ("validating".into(), vec!["d-valid".into()]),
                ("verifying".into(), vec!["d-verify".into()]),
            ]
        );
        assert_eq!(
            data().counts(),
            (
                2,
                vec![
                    (TrainState::Failed, 1),
                    (TrainState::Validating, 2),
                    (TrainState::Executing, 1),
                    (TrainState::Verifying, 1),
                ]
            )
        );
    }

    #[test]
    fn filters_narrow_and_sorting_orders_within_each_group() {
        let mine = InFlightQuery {
            mine: true,
            sort: SortBy::Name,
            descending: true,
            ..InFlightQuery::default()
        };
        let groups = data().arrange(&mine);
        assert_eq!(
            names(&groups),
            vec![
                ("Blocked".into(), vec!["d-stuck".into()]),
                ("validating".into(), vec!["d-valid".into()]),
                ("verifying".into(), vec!["d-verify".into()]),
            ]
        );
        let blocked_on_staging = InFlightQuery {
            track: Some("staging".into()),
            blocked: true,
            ..InFlightQuery::default()
        };
        assert_eq!(
            names(&data().arrange(&blocked_on_staging)),
            vec![("Blocked".into(), vec!["s-valid".into()])]
        );
        assert_eq!(SortBy::parse("blockers"), SortBy::Blockers);
        assert_eq!(SortBy::parse("nonsense"), SortBy::Name);
    }
}
