//! What the train page, the trains list and the dashboard show.

use super::promotion::PromotionPanel;
use super::train::{RollbackPlan, TrainEventView, TrainStatus};
use super::MatchCount;
use crate::domain::blocked::BlockedItem;
use crate::domain::keyset::PageLinks;
use crate::domain::release_phases::PhaseView;
use crate::domain::{CalendarStatus, TrainState};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainPageData {
    pub now: DateTime<Utc>,
    pub status: TrainStatus,
    /// The newest events of its timeline, oldest first.
    pub events: Vec<TrainEventView>,
    /// How many earlier events the timeline leaves out (the audit trail has them).
    pub earlier_events: i64,
    pub phases: Vec<PhaseView>,
    pub planned_start: Option<DateTime<Utc>>,
    pub on_call: Option<String>,
    pub calendar_status: Option<CalendarStatus>,
    pub blocked: Vec<BlockedItem>,
    /// The transitions the state machine allows next, and whether each needs
    /// a reason.
    pub transitions: Vec<(TrainState, bool)>,
    pub may_manage: bool,
    pub may_rollback: bool,
    /// Whether the viewer may replace the gates now (a captain in planning,
    /// an admin after, with a reason), and the gates as YAML to edit.
    pub may_set_gates: bool,
    pub gates_reason_required: bool,
    pub gates_yaml: String,
    pub last_rollback: Option<RollbackPlan>,
    pub promotion: PromotionPanel,
}

/// Every result reported for one cell of the gate matrix, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellHistory {
    pub participant: String,
    pub gate: String,
    /// The gate's rule as people read it (`quality_score >= 80`).
    pub rule: String,
    pub key: Option<String>,
    pub results: Vec<CellReport>,
    /// A line chart of numeric results (SVG drawn on the server).
    pub chart_svg: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellReport {
    pub at: DateTime<Utc>,
    pub value: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub reported_by: String,
}

/// `/trains` filters; every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainFilter {
    pub track: Option<String>,
    pub state: Option<String>,
    pub service: Option<String>,
    /// `YYYY-MM-DD`, planned start on or after.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, planned start on or before.
    pub to: Option<String>,
    /// The page after (older than) this row's key.
    pub after: Option<String>,
    /// The page before (newer than) this row's key.
    pub before: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainListRow {
    pub name: String,
    pub tag: Option<String>,
    pub track: Option<String>,
    pub state: TrainState,
    pub planned_start: Option<DateTime<Utc>>,
    pub captain: Option<String>,
    pub on_call: Option<String>,
    pub participants: i64,
    pub progress: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainList {
    pub rows: Vec<TrainListRow>,
    /// How many trains match, counted up to `COUNT_LIMIT`.
    pub total: MatchCount,
    pub links: PageLinks,
    pub tracks: Vec<String>,
    pub services: Vec<String>,
}
