//! What happened over the years of a generated history, and when: the
//! catalog, the trains over the demo's tracks with their lifecycles, and the
//! day-to-day activity (sign-ins, monitoring) that fills the audit trail.
//! Deterministic: the same seed gives the same history.

use app::domain::TrainState;
use app::models::train::{GateResultBatch, NewTrain};
use app::services::service_catalog::ServiceDefinition;
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

mod activity;
mod story;

pub use activity::{daily_activity, people, Activity};
use story::story;

/// One service call of a train's life.
#[derive(Clone, Debug)]
pub enum Step {
    Create(Box<NewTrain>),
    Transition(TrainState, Option<String>),
    /// One CI check reporting (CI reports each check as it finishes).
    Report(GateResultBatch),
    Upload {
        kind: &'static str,
        participant: String,
        name: String,
        bytes: Vec<u8>,
    },
    /// Request promotions until the train runs in the last environment of
    /// its pipeline, approving and waiting out timers and soaks as needed.
    PromoteAll,
    /// The train moves to executing and CD reports each participant
    /// deploying, then deployed (then, with `verify`, it moves to
    /// verifying). Service status is one per service across trains, so no
    /// two trains deploy at once.
    Execute {
        verify: bool,
    },
    Rollback(String),
}

/// A step at a time.
#[derive(Clone, Debug)]
pub struct Scheduled {
    pub at: DateTime<Utc>,
    pub step: Step,
}

/// One train and its life.
#[derive(Clone, Debug)]
pub struct TrainStory {
    pub name: String,
    pub steps: Vec<Scheduled>,
}

pub struct HistoryPlan {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub services: Vec<ServiceDefinition>,
    pub trains: Vec<TrainStory>,
}

const AREAS: [&str; 20] = [
    "ledger", "pricing", "risk", "curve", "quote", "order", "settle", "margin", "report", "audit",
    "identity", "gateway", "search", "notify", "billing", "market", "refdata", "position",
    "limits", "fx",
];
const ROLES: [&str; 5] = ["api", "engine", "worker", "feed", "store"];
/// The demo's tracks, and how often each runs.
const TRACKS: [(&str, i64); 2] = [("dev", 7), ("staging", 14)];
pub const CAPTAINS: [&str; 3] = ["carl", "cora", "cyrus"];
const METRICS: [(&str, f64, f64); 4] = [
    ("quality_score", 82.0, 98.0),
    ("critical_vulns", 0.0, 0.0),
    ("coverage", 76.0, 92.0),
    ("failure_rate", 0.0, 4.0),
];

pub fn plan(years: u32, services: usize, seed: u64, now: DateTime<Utc>) -> HistoryPlan {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = monday_before(now - Duration::days(365 * i64::from(years)));
    let catalog = catalog(services, &mut rng);
    let names: Vec<String> = catalog.iter().map(|s| s.name.clone()).collect();
    let mut trains = Vec::new();
    let mut week = 0;
    let mut at = start;
    while at < now - Duration::days(1) {
        let line = week / 4 + 1;
        for (track, every_days) in TRACKS {
            if (week * 7) % every_days != 0 {
                continue;
            }
            let n = if track == "dev" {
                week % 4 + 1
            } else {
                (week % 4) / 2 + 1
            };
            let cut = at + Duration::days(if track == "dev" { 1 } else { 2 }) + Duration::hours(14);
            let tag = format!("v1.{line}.0-{track}.{n}");
            trains.push(story(
                &mut rng,
                &names,
                &tag,
                Some((track, tag.clone())),
                cut,
                now,
            ));
        }
        // Multi-service trains of the release teams (seed 002), five a week.
        for k in 0..5 {
            let cut = at + Duration::days(k) + Duration::hours(10 + k);
            // The ISO week's own year: 30 Dec 2024 is week 1 of 2025.
            let week = cut.iso_week();
            let name = format!("release-{}-w{:02}-{}", week.year(), week.week(), k + 1);
            trains.push(story(&mut rng, &names, &name, None, cut, now));
        }
        week += 1;
        at += Duration::weeks(1);
    }
    HistoryPlan {
        start,
        end: now,
        services: catalog,
        trains,
    }
}

fn monday_before(t: DateTime<Utc>) -> DateTime<Utc> {
    let day = t.date_naive() - Duration::days(i64::from(t.weekday().num_days_from_monday()));
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// `services` names with dependencies only on services named before them,
/// so the graph has no cycle.
fn catalog(services: usize, rng: &mut StdRng) -> Vec<ServiceDefinition> {
    let mut names: Vec<String> = AREAS
        .iter()
        .flat_map(|a| ROLES.iter().map(move |r| format!("{a}-{r}")))
        .collect();
    names.truncate(services.min(names.len()));
    while names.len() < services {
        names.push(format!("svc-{:03}", names.len()));
    }
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut depends_on: Vec<String> = (0..rng.random_range(0..=2usize))
                .filter(|_| i > 0)
                .map(|_| names[rng.random_range(0..i)].clone())
                .collect();
            depends_on.sort();
            depends_on.dedup();
            ServiceDefinition {
                name: name.clone(),
                description: format!("The {} service", name.replace('-', " ")),
                depends_on,
            }
        })
        .collect()
}

/// Audit records a story writes, roughly (for the fill-up budget).
pub fn audit_records_of(story: &TrainStory) -> usize {
    story
        .steps
        .iter()
        .map(|s| match s.step {
            Step::PromoteAll => 14,
            Step::Execute { .. } => 18,
            _ => 1,
        })
        .sum()
}

pub fn is_working_day(day: DateTime<Utc>) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}
