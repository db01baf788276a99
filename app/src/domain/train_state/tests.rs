use super::*;
use proptest::prelude::*;
use TrainState::*;

const OK: Facts = Facts {
    participants: 3,
    blocking_gates_pass: true,
};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000, 0).unwrap()
}

fn go(l: Lifecycle, to: TrainState) -> Result<Lifecycle, TransitionError> {
    l.transition(to, OK, "carl", Some("because"), now())
        .map(|(l, _)| l)
}

#[test]
fn the_happy_path_runs_from_planning_to_completed_with_an_event_per_step() {
    let mut l = Lifecycle::NEW;
    for to in [Validating, Staging, Executing, Verifying, Completed] {
        let (next, event) = l.transition(to, OK, "carl", None, now()).unwrap();
        assert_eq!(
            (event.from, event.to, event.actor.as_str()),
            (l.state, to, "carl")
        );
        l = next;
    }
    assert_eq!(l.state, Completed);
}

#[test]
fn an_illegal_transition_names_both_states() {
    let err = go(Lifecycle::NEW, Completed).unwrap_err();
    assert_eq!(
        err,
        TransitionError::Illegal {
            from: Planning,
            to: Completed
        }
    );
    assert_eq!(
        err.to_string(),
        "a train cannot go from planning to completed"
    );
}

#[test]
fn guards_refuse_with_the_reason() {
    let staging = Lifecycle {
        state: Staging,
        paused_from: None,
    };
    let blocked = Facts {
        participants: 3,
        blocking_gates_pass: false,
    };
    assert_eq!(
        staging
            .transition(Executing, blocked, "carl", None, now())
            .unwrap_err(),
        TransitionError::GatesBlocking {
            from: Staging,
            to: Executing
        }
    );
    let empty = Facts {
        participants: 0,
        blocking_gates_pass: true,
    };
    assert!(matches!(
        Lifecycle::NEW.transition(Validating, empty, "carl", None, now()),
        Err(TransitionError::NoParticipants { .. })
    ));
    let executing = Lifecycle {
        state: Executing,
        paused_from: None,
    };
    for reason in [None, Some("   ")] {
        assert_eq!(
            executing
                .transition(RolledBack, OK, "carl", reason, now())
                .unwrap_err(),
            TransitionError::ReasonRequired {
                from: Executing,
                to: RolledBack
            }
        );
    }
}

#[test]
fn a_paused_train_resumes_to_the_state_it_paused_from_and_nowhere_else() {
    let executing = Lifecycle {
        state: Executing,
        paused_from: None,
    };
    let paused = go(executing, Paused).unwrap();
    assert_eq!(
        paused,
        Lifecycle {
            state: Paused,
            paused_from: Some(Executing)
        }
    );
    assert_eq!(
        go(paused, Staging).unwrap_err(),
        TransitionError::WrongResume {
            paused_from: Executing,
            to: Staging
        }
    );
    assert_eq!(go(paused, Executing).unwrap(), executing);
}

#[test]
fn every_state_round_trips_through_its_stored_form() {
    for s in TrainState::ALL {
        assert_eq!(TrainState::parse(s.as_str()), Ok(s));
    }
    assert!(TrainState::parse("running").is_err());
}

proptest! {
    /// No sequence of requests, legal or not, reaches an undefined state:
    /// `paused_from` is set exactly when paused, never to `Paused`, and
    /// nothing leaves a terminal state.
    #[test]
    fn no_sequence_of_transitions_reaches_an_undefined_state(
        steps in proptest::collection::vec((0usize..9, any::<bool>(), any::<bool>()), 0..60)
    ) {
        let mut l = Lifecycle::NEW;
        for (target, gates, reason) in steps {
            let to = TrainState::ALL[target];
            let facts = Facts { participants: 2, blocking_gates_pass: gates };
            let before = l;
            match l.transition(to, facts, "p", reason.then_some("r"), now()) {
                Ok((next, event)) => {
                    prop_assert!(!before.state.is_terminal());
                    prop_assert_eq!(event.from, before.state);
                    prop_assert_eq!(event.to, next.state);
                    l = next;
                }
                Err(_) => prop_assert_eq!(l, before),
            }
            prop_assert_eq!(l.paused_from.is_some(), l.state == Paused);
            prop_assert_ne!(l.paused_from, Some(Paused));
        }
    }
}

#[test]
fn planned_and_in_flight_trains_are_unfinished_and_named_as_stored() {
    assert_eq!(
        TrainState::names_where(TrainState::is_unfinished),
        [
            "planning",
            "validating",
            "staging",
            "executing",
            "verifying",
            "paused"
        ]
    );
    assert!(TrainState::names_where(TrainState::is_in_flight)
        .iter()
        .all(|s| *s != "planning" && *s != "failed"));
}
