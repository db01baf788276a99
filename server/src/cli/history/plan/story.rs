//! One train's life in the generated history: its participants, checks,
//! evidence and promotions, up to how it ends.

use super::{Scheduled, Step, TrainStory, CAPTAINS, METRICS};
use app::domain::TrainState;
use app::models::train::{GateResultBatch, GateResultInput, NewTrain, ParticipantInput};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::Rng;

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

pub(super) fn story(
    rng: &mut StdRng,
    services: &[String],
    name: &str,
    slot: Option<(&str, String)>,
    cut: DateTime<Utc>,
    now: DateTime<Utc>,
) -> TrainStory {
    let train = new_train(rng, services, name, slot, cut);
    let ending = ending(rng, cut, now);
    let mut story = Telling::new(train, cut);
    story.go_on(Step::Transition(TrainState::Validating, None));
    story.report_checks(rng);
    match ending {
        Ending::InFlight(TrainState::Validating) => return story.told(),
        Ending::FailedThenRolledBack => return story.failed(true),
        Ending::InFlight(TrainState::Failed) => return story.failed(false),
        _ => {}
    }
    story.upload_sboms();
    story.go_on(Step::Transition(TrainState::Staging, None));
    match ending {
        Ending::InFlight(TrainState::Staging) => story.told(),
        Ending::InFlight(TrainState::Paused) => {
            story.go_after(
                Duration::hours(1),
                Step::Transition(TrainState::Paused, None),
            );
            story.told()
        }
        _ => story.released(ending),
    }
}

/// The train as it is created: 4 to 12 services of the catalog at the next
/// minor version, and a captain who is also on call.
fn new_train(
    rng: &mut StdRng,
    services: &[String],
    name: &str,
    slot: Option<(&str, String)>,
    cut: DateTime<Utc>,
) -> NewTrain {
    let how_many = rng.random_range(4..=12);
    let mut participants: Vec<&String> = services.choose_multiple(rng, how_many).collect();
    participants.sort();
    let minor = rng.random_range(1..40);
    let captain = CAPTAINS.choose(rng).copied().unwrap_or("carl");
    NewTrain {
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
    }
}

/// A story being told: the steps so far and the time the next happens.
struct Telling {
    name: String,
    version: String,
    participants: Vec<String>,
    steps: Vec<Scheduled>,
    t: DateTime<Utc>,
}

impl Telling {
    /// Created three days before its cut.
    fn new(train: NewTrain, cut: DateTime<Utc>) -> Self {
        Self {
            name: train.name.clone(),
            version: train.target_version.clone().unwrap_or_default(),
            participants: train
                .participants
                .iter()
                .map(|p| p.service().to_owned())
                .collect(),
            steps: vec![Scheduled {
                at: cut - Duration::days(3),
                step: Step::Create(Box::new(train)),
            }],
            t: cut,
        }
    }

    fn go_on(&mut self, step: Step) {
        self.steps.push(Scheduled { at: self.t, step });
    }

    /// A step some time after the last, which does not move the clock.
    fn go_after(&mut self, delay: Duration, step: Step) {
        self.steps.push(Scheduled {
            at: self.t + delay,
            step,
        });
    }

    /// A first round of checks, where something fails now and then, then a
    /// green round after the fixes.
    fn report_checks(&mut self, rng: &mut StdRng) {
        let flaky = rng
            .random_bool(0.3)
            .then(|| rng.random_range(0..self.participants.len()));
        for round in 0..2 {
            for i in 0..self.participants.len() {
                for (metric, lo, hi) in METRICS {
                    self.t += Duration::seconds(rng.random_range(20..90));
                    let mut value = if lo == hi {
                        lo
                    } else {
                        rng.random_range(lo..hi)
                    };
                    if round == 0 && flaky == Some(i) && metric == "quality_score" {
                        value = 70.0;
                    }
                    let report = check(&self.participants[i], metric, value);
                    self.go_on(Step::Report(report));
                }
            }
            self.t += Duration::hours(2);
        }
    }

    /// Integration tests fail; `abandoned` trains are rolled back the next
    /// day.
    fn failed(mut self, abandoned: bool) -> TrainStory {
        let why = "integration tests failed on the release branch";
        self.go_on(Step::Transition(TrainState::Failed, Some(why.into())));
        if abandoned {
            let why = "abandoned: fixes go into the next train";
            let step = Step::Transition(TrainState::RolledBack, Some(why.into()));
            self.go_after(Duration::hours(20), step);
        }
        self.told()
    }

    /// The SBOMs of the first two participants.
    fn upload_sboms(&mut self) {
        for p in self.participants.clone().iter().take(2) {
            self.go_on(Step::Upload {
                kind: "cyclonedx_sbom",
                participant: p.clone(),
                name: format!("{p}.cdx.json"),
                bytes: sbom(p, &self.version).into_bytes(),
            });
        }
    }

    /// Promoted through the pipeline and deployed; then, by `ending`,
    /// rolled back in prod, left executing or verifying, or completed.
    fn released(mut self, ending: Ending) -> TrainStory {
        self.t += Duration::days(1);
        self.go_on(Step::PromoteAll);
        self.t += Duration::days(2);
        let verify = !matches!(
            ending,
            Ending::InFlight(TrainState::Executing) | Ending::RolledBackInProd
        );
        self.go_on(Step::Execute { verify });
        if ending == Ending::RolledBackInProd {
            let why = "p95 latency above 1.5 s for 5 minutes in prod";
            self.go_after(Duration::hours(3), Step::Rollback(why.into()));
        } else if verify && ending != Ending::InFlight(TrainState::Verifying) {
            self.go_after(
                Duration::days(1),
                Step::Transition(TrainState::Completed, None),
            );
        }
        self.told()
    }

    fn told(self) -> TrainStory {
        TrainStory {
            name: self.name,
            steps: self.steps,
        }
    }
}

/// A small CycloneDX SBOM of one participant.
fn sbom(participant: &str, version: &str) -> String {
    let component = serde_json::json!({ "name": participant, "version": version });
    let library = serde_json::json!({
        "type": "library",
        "name": "serde",
        "version": "1.0.228",
        "purl": "pkg:cargo/serde@1.0.228",
    });
    serde_json::json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "metadata": { "component": component },
        "components": [library],
    })
    .to_string()
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
