//! What the calendar pages show and edit.

use super::{CalendarEntry, TrackSummary};
use crate::domain::calendar::edit::CadenceSpec;
use crate::domain::{CalendarStatus, TrainState};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// `/calendar`: entries of the range shown, the freeze windows, the owner
/// rotation, and what the viewer may change (a hint: the server decides).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarPageData {
    pub now: DateTime<Utc>,
    pub tracks: Vec<TrackSummary>,
    pub entries: Vec<CalendarEntry>,
    /// The agenda's trains of the last two weeks, newest first: what
    /// happened to them stays on the calendar.
    #[serde(default)]
    pub recent: Vec<CalendarEntry>,
    pub freezes: Vec<FreezeView>,
    pub rotation: Option<RotationView>,
    pub may_edit: bool,
    pub may_manage_rotation: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FreezeView {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
    /// Empty: every track.
    pub tracks: Vec<String>,
    /// `block` (trains inside do not run) or `move` (they run when it ends).
    pub effect: String,
    pub created_by: String,
    pub updated_by: String,
}

impl FreezeView {
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    pub fn affects(&self, track: &str) -> bool {
        self.tracks.is_empty() || self.tracks.iter().any(|t| t == track)
    }

    /// "all tracks" or "dev, staging".
    pub fn tracks_label(&self) -> String {
        if self.tracks.is_empty() {
            "all tracks".to_owned()
        } else {
            self.tracks.join(", ")
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationView {
    pub teams: Vec<String>,
    pub starts_on: NaiveDate,
    pub this_month: String,
    /// The coming months and their owners, this month first.
    pub schedule: Vec<(NaiveDate, String)>,
    pub updated_by: String,
}

/// `/calendar/trains/{name}`: one recorded train and whether it can change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotView {
    pub name: String,
    pub tag: Option<String>,
    pub track: Option<String>,
    pub at: DateTime<Utc>,
    pub status: CalendarStatus,
    pub state: TrainState,
    pub on_call: Option<String>,
    pub reason: Option<String>,
    /// The cadence slot it was planned for, when it has been moved.
    pub cadence_slot: Option<DateTime<Utc>>,
    /// Why it cannot be edited, if it cannot.
    pub locked: Option<String>,
    /// A cut train still running: it can only be postponed.
    #[serde(default)]
    pub postpone_only: bool,
    pub may_edit: bool,
    pub now: DateTime<Utc>,
}

/// `/calendar/tracks/{name}`: a track's cadence and, for a proposed one, the
/// next dates it would plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceView {
    pub track: String,
    pub cadence_description: String,
    pub rule: Option<String>,
    /// The stored rule in the form's terms, when the form can show it.
    pub current: Option<CadenceSpec>,
    /// The proposal being previewed and its next dates, or why it is wrong
    /// (`field`, `message`).
    pub proposal: Option<CadenceSpec>,
    pub preview: Vec<DateTime<Utc>>,
    /// Planned trains the proposal would move: name, from, to.
    pub moves: Vec<(String, DateTime<Utc>, DateTime<Utc>)>,
    pub proposal_error: Option<(String, String)>,
    pub may_edit: bool,
}

/// The cadence form as submitted (preview or save): every `every` weeks on
/// `days` (`MO` … `SU`) at `time` (`HH:MM`) in `zone`, from `starts_on`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CadenceForm {
    pub every: String,
    pub days: Vec<String>,
    pub time: String,
    pub starts_on: String,
    /// An IANA time zone (empty: UTC).
    #[serde(default)]
    pub zone: String,
}
