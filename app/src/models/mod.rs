//! Read and write models shared by server functions, the API, the service
//! layer and the views.

pub mod catalog;
pub mod train;

use crate::domain::CalendarStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrackSummary {
    pub name: String,
    pub cadence_description: String,
    pub position: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrainRow {
    pub tag: String,
    pub track: String,
    pub planned_start: DateTime<Utc>,
    pub status: CalendarStatus,
    pub on_call: Option<String>,
}

/// What the calendar page shows: the tracks (for filters and colours) and the
/// trains from today on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarView {
    pub now: DateTime<Utc>,
    pub tracks: Vec<TrackSummary>,
    pub trains: Vec<TrainRow>,
}
