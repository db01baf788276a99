//! What happened over the years of a generated history, and when: the
//! catalog, the trains over the demo's tracks with their lifecycles, and the
//! day-to-day activity (sign-ins, monitoring) that fills the audit trail.
//! Deterministic: the same seed gives the same history.

use app::domain::TrainState;
use app::models::train::{GateResultBatch, GateResultInput, NewTrain, ParticipantInput};
use app::services::service_catalog::ServiceDefinition;
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

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

/// How a train's story ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Completed,
    FailedThenRolledBack,
    RolledBackInProd,
    /// Recent: still running, in this state.
    InFlight(TrainState),
}

fn ending(rng: &mut StdRng, cut: DateTime<Utc>, now: DateTime<Utc>) -> Ending {
    let age = now - cut;
    // About a hundred trains are in flight at the end.
    if age < Duration::days(150) && rng.random_bool(0.7) {
        let states = [
            TrainState::Validating,
            TrainState::Validating,
            TrainState::Staging,
            TrainState::Executing,
            TrainState::Verifying,
            TrainState::Paused,
            TrainState::Failed,
        ];
        return Ending::InFlight(*states.choose(rng).unwrap_or(&TrainState::Validating));
    }
    match rng.random_range(0..100) {
        0..5 => Ending::FailedThenRolledBack,
        5..8 => Ending::RolledBackInProd,
        _ => Ending::Completed,
    }
}

fn story(
    rng: &mut StdRng,
    services: &[String],
    name: &str,
    slot: Option<(&str, String)>,
    cut: DateTime<Utc>,
    now: DateTime<Utc>,
) -> TrainStory {
    let how_many = rng.random_range(4..=12);
    let mut participants: Vec<&String> = services.choose_multiple(rng, how_many).collect();
    participants.sort();
    let minor = rng.random_range(1..40);
    let captain = CAPTAINS.choose(rng).copied().unwrap_or("carl");
    let train = NewTrain {
        name: name.to_owned(),
        target_version: Some(format!("1.{minor}.0")),
        participants: participants
            .iter()
            .map(|s| ParticipantInput::Detailed {
                service: (*s).clone(),
                target_version: Some(format!("1.{minor}.0")),
                previous_version: Some(format!("1.{}.0", minor - 1)),
            })
            .collect(),
        dependencies: Vec::new(),
        gates: None,
        captain: Some(captain.to_owned()),
        track: slot.as_ref().map(|(t, _)| (*t).to_owned()),
        tag: slot.map(|(_, tag)| tag),
        planned_start: Some(cut),
        on_call: Some(captain.to_owned()),
    };
    let names: Vec<String> = participants.iter().map(|s| (*s).clone()).collect();
    let ending = ending(rng, cut, now);
    let mut steps = vec![Scheduled {
        at: cut - Duration::days(3),
        step: Step::Create(Box::new(train)),
    }];
    let mut t = cut;
    let mut go = |at: DateTime<Utc>, step: Step| steps.push(Scheduled { at, step });
    go(t, Step::Transition(TrainState::Validating, None));
    // A first round of checks, where something fails now and then, then a
    // green round after the fixes.
    let flaky = rng
        .random_bool(0.3)
        .then(|| rng.random_range(0..names.len()));
    for round in 0..2 {
        for (i, participant) in names.iter().enumerate() {
            for (metric, lo, hi) in METRICS {
                t += Duration::seconds(rng.random_range(20..90));
                let mut value = if lo == hi {
                    lo
                } else {
                    rng.random_range(lo..hi)
                };
                if round == 0 && flaky == Some(i) && metric == "quality_score" {
                    value = 70.0;
                }
                go(t, Step::Report(check(participant, metric, value)));
            }
        }
        t += Duration::hours(2);
    }
    if ending == Ending::InFlight(TrainState::Validating) {
        return TrainStory {
            name: name.to_owned(),
            steps,
        };
    }
    if ending == Ending::FailedThenRolledBack || ending == Ending::InFlight(TrainState::Failed) {
        go(
            t,
            Step::Transition(
                TrainState::Failed,
                Some("integration tests failed on the release branch".into()),
            ),
        );
        if ending == Ending::FailedThenRolledBack {
            go(
                t + Duration::hours(20),
                Step::Transition(
                    TrainState::RolledBack,
                    Some("abandoned: fixes go into the next train".into()),
                ),
            );
        }
        return TrainStory {
            name: name.to_owned(),
            steps,
        };
    }
    let sbom_of = |p: &str| {
        format!(
            r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{{"component":{{"name":"{p}","version":"1.{minor}.0"}}}},"components":[{{"type":"library","name":"serde","version":"1.0.228","purl":"pkg:cargo/serde@1.0.228"}}]}}"#
        )
    };
    for p in names.iter().take(2) {
        go(
            t,
            Step::Upload {
                kind: "cyclonedx_sbom",
                participant: p.clone(),
                name: format!("{p}.cdx.json"),
                bytes: sbom_of(p).into_bytes(),
            },
        );
    }
    go(t, Step::Transition(TrainState::Staging, None));
    if ending == Ending::InFlight(TrainState::Staging) {
        return TrainStory {
            name: name.to_owned(),
            steps,
        };
    }
    if ending == Ending::InFlight(TrainState::Paused) {
        go(
            t + Duration::hours(1),
            Step::Transition(TrainState::Paused, None),
        );
        return TrainStory {
            name: name.to_owned(),
            steps,
        };
    }
    t += Duration::days(1);
    go(t, Step::PromoteAll);
    t += Duration::days(2);
    let verify = !matches!(
        ending,
        Ending::InFlight(TrainState::Executing) | Ending::RolledBackInProd
    );
    go(t, Step::Execute { verify });
    if ending == Ending::RolledBackInProd {
        go(
            t + Duration::hours(3),
            Step::Rollback("p95 latency above 1.5 s for 5 minutes in prod".into()),
        );
        return TrainStory {
            name: name.to_owned(),
            steps,
        };
    }
    if !verify || ending == Ending::InFlight(TrainState::Verifying) {
        return TrainStory {
            name: name.to_owned(),
            steps,
        };
    }
    go(
        t + Duration::days(1),
        Step::Transition(TrainState::Completed, None),
    );
    TrainStory {
        name: name.to_owned(),
        steps,
    }
}

fn check(participant: &str, metric: &str, value: f64) -> GateResultBatch {
    GateResultBatch {
        results: vec![GateResultInput {
            participant: participant.to_owned(),
            gate: metric.to_owned(),
            value: Some(value),
            passed: None,
            source: Some("ci".to_owned()),
            url: None,
        }],
    }
}

/// People of the organisation who sign in over the years.
pub fn people() -> Vec<String> {
    let mut people: Vec<String> = CAPTAINS.iter().map(|s| (*s).to_owned()).collect();
    people.extend(["ana", "ben", "bea", "olivia", "val", "adam"].map(str::to_owned));
    people.extend((1..=31).map(|i| format!("engineer{i:02}")));
    people
}

/// The day's sign-ins (each followed by its sign-out) and monitoring
/// reports, `budget` audit records' worth, at times spread over the day.
pub fn daily_activity(
    seed: u64,
    day: DateTime<Utc>,
    budget: usize,
    people: &[String],
    services: &[String],
) -> Vec<(DateTime<Utc>, Activity)> {
    let mut rng = StdRng::seed_from_u64(seed ^ (day.timestamp() as u64).rotate_left(17));
    let mut out = Vec::with_capacity(budget);
    let mut left = budget;
    while left > 0 {
        let at = day + Duration::seconds(rng.random_range(7 * 3600..19 * 3600));
        if left >= 2 && rng.random_bool(0.8) {
            let person = people.choose(&mut rng).cloned().unwrap_or_default();
            out.push((at, Activity::Session(person)));
            left -= 2;
        } else {
            let service = services.choose(&mut rng).cloned().unwrap_or_default();
            out.push((
                at,
                Activity::Health(service, rng.random_range(120.0..600.0)),
            ));
            left -= 1;
        }
    }
    out.shuffle(&mut rng);
    out.sort_by_key(|(at, _)| *at);
    out
}

#[derive(Clone, Debug)]
pub enum Activity {
    /// A person signs in and, a few hours later, out.
    Session(String),
    /// Monitoring reports a service's p95 latency in prod.
    Health(String, f64),
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
