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
