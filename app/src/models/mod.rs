//! Read and write models shared by server functions, the API, the service
//! layer and the views.

pub mod access;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod dashboard;
pub mod deployment;
pub mod environment;
pub mod environment_diff;
pub mod evidence;
pub mod gate_template;
pub mod incident;
pub mod metrics;
pub mod monitoring;
pub mod pagerduty;
pub mod promotion;
pub mod release_notes;
pub mod service;
pub mod setup;
pub mod train;
pub mod train_form;
pub mod train_page;
pub mod webhook;

use crate::domain::CalendarStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrackSummary {
    pub name: String,
    pub description: String,
    pub cadence_description: String,
    pub position: i32,
    /// RFC 5545 `DTSTART` + `RRULE`; none for an on-demand track.
    pub cadence_rule: Option<String>,
    pub freeze_offset_minutes: i64,
    pub soak_hours: i64,
    /// How long CD has to confirm a rollback before it counts as stuck.
    pub rollback_timeout_minutes: i64,
    pub promotes_to: Option<String>,
    /// Set once archived: it plans no more trains and takes no new ones.
    pub archived_at: Option<DateTime<Utc>>,
    /// The environments its releases go through; none: every environment.
    pub pipeline: Option<Vec<String>>,
    /// A direct lane deploys straight to the pipeline's last environment
    /// with only `direct_approvals`, and may break the glass in a freeze.
    pub direct: bool,
    pub direct_approvals: i16,
    /// The track whose current release this one's trains patch.
    pub patches: Option<String>,
    /// The gates a new train of it gets when it names none.
    pub gate_template: Option<String>,
    /// How its trains are tagged and branched, every field written out.
    pub naming: crate::domain::release_naming::NamingInput,
    /// How far ahead its trains are planned and who is on call in turn,
    /// the horizon and first version written out.
    pub planning: crate::domain::calendar::planning::PlanningInput,
    /// Whether its trains are cut with nobody on call (otherwise skipped).
    pub runs_without_on_call: bool,
    /// The colour it picked, or the one its position gives it.
    pub colour: String,
    /// Whether `colour` was picked rather than given by position.
    pub colour_chosen: bool,
}

/// One train on the calendar: recorded, or a slot the cadence plans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarEntry {
    pub track: String,
    pub at: DateTime<Utc>,
    /// The train's name when it has been created.
    pub train: Option<String>,
    pub tag: Option<String>,
    pub status: CalendarStatus,
    pub on_call: Option<String>,
    /// Why it was skipped or postponed.
    pub reason: Option<String>,
    /// A postponement's category.
    #[serde(default)]
    pub category: Option<String>,
    pub moved_from: Option<DateTime<Utc>>,
    /// The skip rule ahead of time: no on-call yet.
    pub warning: Option<String>,
    /// When the code freezes for this train.
    pub freeze_at: DateTime<Utc>,
    /// Seed 000's train id and release branch, once cut.
    #[serde(default)]
    pub release_id: Option<String>,
    #[serde(default)]
    pub release_branch: Option<String>,
    /// The completed hotfix it starts from, or the train a completed hotfix
    /// rolled forward into.
    #[serde(default)]
    pub baseline: Option<String>,
    #[serde(default)]
    pub rolled_into: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrainRow {
    pub tag: String,
    pub track: String,
    pub planned_start: DateTime<Utc>,
    pub status: CalendarStatus,
    pub on_call: Option<String>,
    /// The skip rule ahead of the cut, from the domain (calendar page only).
    #[serde(default)]
    pub warning: Option<String>,
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

/// How many rows a list's filter matches, counted only up to a limit: the
/// count heading a page must not cost more than the page itself, even over
/// a million audit records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatchCount {
    Exactly(i64),
    MoreThan(i64),
}

impl MatchCount {
    /// Counting stops here.
    pub const LIMIT: i64 = 10_000;

    /// From a count of at most `LIMIT + 1` rows.
    pub fn from_capped(n: i64) -> Self {
        if n > Self::LIMIT {
            Self::MoreThan(Self::LIMIT)
        } else {
            Self::Exactly(n)
        }
    }

    /// "1 train", "31 trains", "more than 10,000 records".
    pub fn label(self, one: &str, many: &str) -> String {
        match self {
            Self::Exactly(1) => format!("1 {one}"),
            Self::Exactly(n) => format!("{} {many}", thousands(n)),
            Self::MoreThan(n) => format!("more than {} {many}", thousands(n)),
        }
    }
}

fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod match_count_tests {
    use super::MatchCount;

    #[test]
    fn counts_read_as_numbers_with_their_noun() {
        assert_eq!(
            MatchCount::from_capped(1).label("train", "trains"),
            "1 train"
        );
        assert_eq!(
            MatchCount::from_capped(1514).label("train", "trains"),
            "1,514 trains"
        );
        assert_eq!(
            MatchCount::from_capped(10_001).label("record", "records"),
            "more than 10,000 records"
        );
    }
}
