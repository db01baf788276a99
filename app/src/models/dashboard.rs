//! What the dashboard shows.

use super::calendar::FreezeView;
use super::{CalendarEntry, TrackSummary};
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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    pub train: String,
    pub service: String,
    pub environment: String,
    pub detail: String,
    /// `recommended` or `rolled_back`.
    pub outcome: String,
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
    pub position: usize,
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
