use super::*;
use crate::domain::calendar::cadence::{SEED_DEV_RULE, SEED_STAGING_RULE};
use crate::domain::calendar::edit::CadenceSpec;
use chrono::{NaiveDate, NaiveTime, TimeZone, Weekday};
use proptest::prelude::*;

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

fn name(s: &str) -> TrackName {
    TrackName::parse(s).unwrap()
}

/// One track of a simulated organisation.
#[derive(Debug)]
struct SimTrack {
    name: TrackName,
    cadence: Cadence,
    horizon: Horizon,
    freeze: Duration,
    template: TagTemplate,
    bump: VersionBump,
}

/// A train the simulation planned.
#[derive(Clone, Debug)]
struct SimTrain {
    id: i64,
    track: usize,
    slot: DateTime<Utc>,
    tag: TrainTag,
}

/// Plans ahead at `now` as the scheduler does: per track, the slots whose
/// freeze point is ahead, compared with the trains that hold them; then the
/// new slots of every track in time order, so that a train sees the line
/// the earlier ones left.
fn plan(tracks: &[SimTrack], trains: &mut Vec<SimTrain>, now: DateTime<Utc>) {
    let mut adds = Vec::new();
    for (i, track) in tracks.iter().enumerate() {
        let wanted = wanted_slots(&track.cadence, track.horizon, track.freeze, now);
        let occupants: Vec<Occupant> = trains
            .iter()
            .filter(|t| t.track == i && t.slot - track.freeze > now)
            .map(|t| Occupant {
                train_id: t.id,
                slot: t.slot,
                replannable: true,
            })
            .collect();
        let replan = replan(&wanted, &occupants);
        trains.retain(|t| !replan.withdraw.contains(&t.id));
        adds.extend(replan.add.into_iter().map(|slot| (slot, i)));
    }
    adds.sort();
    for (slot, i) in adds {
        let track = &tracks[i];
        let history: Vec<LineTrain> = trains
            .iter()
            .map(|t| LineTrain {
                at: t.slot,
                tag: t.tag.clone(),
                bump: tracks[t.track].bump,
            })
            .collect();
        let tag = next_tag(&history, &track.name, &track.template, slot, &FIRST_VERSION);
        let id = trains.iter().map(|t| t.id).max().unwrap_or(0) + 1;
        trains.push(SimTrain {
            id,
            track: i,
            slot,
            tag,
        });
    }
}

fn seed_003() -> Vec<SimTrack> {
    let track = |n: &str, rule: &str, bump| SimTrack {
        name: name(n),
        cadence: Cadence::parse(Some(rule)).unwrap(),
        horizon: Horizon::default(),
        freeze: Duration::hours(3),
        template: TagTemplate::Track,
        bump,
    };
    vec![
        track("dev", SEED_DEV_RULE, VersionBump::Same),
        track("staging", SEED_STAGING_RULE, VersionBump::Patch),
    ]
}

fn tags(trains: &[SimTrain]) -> Vec<String> {
    let mut sorted = trains.to_vec();
    sorted.sort_by_key(|t| (t.slot, t.track));
    sorted.iter().map(|t| t.tag.to_string()).collect()
}

#[test]
fn seed_003s_calendar_is_six_weeks_of_dev_and_four_staging_trains() {
    let mut trains = Vec::new();
    plan(&seed_003(), &mut trains, at(2026, 5, 11, 9));
    assert_eq!(
        tags(&trains),
        [
            "v0.1.0-dev.1",
            "v0.1.0-staging.1",
            "v0.1.1-dev.1",
            "v0.1.1-dev.2",
            "v0.1.1-staging.1",
            "v0.1.2-dev.1",
            "v0.1.2-dev.2",
            "v0.1.2-staging.1",
            "v0.1.3-dev.1",
            "v0.1.3-staging.1",
        ]
    );
    let dev = trains.iter().filter(|t| t.track == 0).count();
    assert_eq!(dev, 6, "six weekly trains within six weeks");
    assert_eq!(
        trains.len() - dev,
        4,
        "four fortnightly trains reach further"
    );
}

#[test]
fn a_restart_plans_nothing_twice_and_a_week_later_the_next_slot_of_each_track() {
    let tracks = seed_003();
    let mut trains = Vec::new();
    plan(&tracks, &mut trains, at(2026, 5, 11, 9));
    let first = trains.len();
    plan(&tracks, &mut trains, at(2026, 5, 11, 10));
    assert_eq!(trains.len(), first);
    plan(&tracks, &mut trains, at(2026, 5, 18, 9));
    let new: Vec<String> = trains[first..].iter().map(|t| t.tag.to_string()).collect();
    // Six weeks of dev reach 23 June; four staging trains, 8 July.
    assert_eq!(new, ["v0.1.3-dev.2", "v0.1.4-staging.1"]);
}

#[test]
fn a_new_cadence_withdraws_untouched_trains_and_keeps_the_others() {
    let occupants = [
        Occupant {
            train_id: 1,
            slot: at(2026, 6, 2, 14),
            replannable: true,
        },
        Occupant {
            train_id: 2,
            slot: at(2026, 6, 9, 14),
            replannable: false,
        },
    ];
    let wanted = [at(2026, 6, 4, 14), at(2026, 6, 11, 14)];
    let r = replan(&wanted, &occupants);
    assert_eq!(r.withdraw, [1]);
    assert_eq!(r.add, wanted, "the edited train keeps its slot as well");
    assert!(replan(&[at(2026, 6, 9, 14)], &occupants[1..]).is_empty());
}

#[test]
fn release_candidate_trains_each_open_a_version_and_labels_count_on() {
    let weekly = |d| LineTrain {
        at: at(2026, 5, d, 14),
        tag: next_tag(
            &[],
            &name("weekly"),
            &TagTemplate::Candidates,
            at(2026, 5, d, 14),
            &FIRST_VERSION,
        ),
        bump: VersionBump::Minor,
    };
    let first = weekly(5);
    assert_eq!(first.tag.to_string(), "v0.1.0-rc1");
    let second = next_tag(
        std::slice::from_ref(&first),
        &name("weekly"),
        &TagTemplate::Candidates,
        at(2026, 5, 12, 14),
        &FIRST_VERSION,
    );
    assert_eq!(second.to_string(), "v0.2.0-rc1");
    let beta = TagTemplate::Label(name("beta"));
    let history = [LineTrain {
        at: at(2026, 5, 1, 14),
        tag: TrainTag::parse("v2.0.0-beta.4").unwrap(),
        bump: VersionBump::Same,
    }];
    let next = next_tag(
        &history,
        &name("nightly"),
        &beta,
        at(2026, 5, 2, 14),
        &FIRST_VERSION,
    );
    let floor = semver::Version::new(3, 1, 0);
    let raised = next_tag(
        &history,
        &name("nightly"),
        &beta,
        at(2026, 5, 2, 14),
        &floor,
    );
    assert_eq!(
        raised.to_string(),
        "v3.1.0-beta.1",
        "a first version above the line"
    );
    assert_eq!(next.to_string(), "v2.0.0-beta.5");
}

fn zone() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "Asia/Kolkata",
    ])
}

fn cadence() -> impl Strategy<Value = Cadence> {
    let days = prop::sample::subsequence(
        vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
        1..=3,
    );
    (1u8..=3, days, 0u32..24, 0u32..4, zone()).prop_map(|(every, days, hour, q, zone)| {
        let spec = CadenceSpec {
            every_weeks: every,
            days,
            time: NaiveTime::from_hms_opt(hour, q * 15, 0).unwrap(),
            starts_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            zone: zone.to_owned(),
        };
        Cadence::parse(Some(&spec.to_rule())).unwrap()
    })
}

fn sim_track() -> impl Strategy<Value = SimTrack> {
    (
        cadence(),
        1u16..=10,
        1u16..=8,
        0i64..=48,
        prop::sample::select(vec![
            VersionBump::Same,
            VersionBump::Patch,
            VersionBump::Minor,
        ]),
    )
        .prop_map(|(cadence, weeks, trains, freeze, bump)| SimTrack {
            name: name("t"),
            cadence,
            horizon: Horizon { weeks, trains },
            freeze: Duration::hours(freeze),
            template: TagTemplate::Track,
            bump,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// However often it runs and however far apart, the planned set has no
    /// duplicate and no gap, reaches the horizon, and each track's tags
    /// rise strictly in time order.
    #[test]
    fn over_random_cadences_and_restarts_every_slot_is_planned_once(
        mut tracks in prop::collection::vec(sim_track(), 1..=3),
        start in at(2026, 1, 1, 0).timestamp()..at(2027, 12, 1, 0).timestamp(),
        // Ticks closer than the shortest horizon less the longest freeze: a
        // scheduler down for longer cannot plan the trains it slept through.
        steps in prop::collection::vec(0i64..(3 * 24 * 3600), 1..12),
    ) {
        for (i, t) in tracks.iter_mut().enumerate() {
            t.name = name(&format!("t{i}"));
        }
        let mut now = DateTime::from_timestamp(start, 0).unwrap();
        let mut trains = Vec::new();
        for step in steps {
            plan(&tracks, &mut trains, now);
            plan(&tracks, &mut trains, now); // a restart, or a second instance
            for (i, track) in tracks.iter().enumerate() {
                let mine: Vec<_> = trains.iter().filter(|t| t.track == i).collect();
                let slots: HashSet<_> = mine.iter().map(|t| t.slot).collect();
                prop_assert_eq!(slots.len(), mine.len(), "a slot planned twice");
                let wanted = wanted_slots(&track.cadence, track.horizon, track.freeze, now);
                prop_assert!(wanted.len() >= usize::from(track.horizon.trains));
                for slot in &wanted {
                    prop_assert!(slots.contains(slot), "slot {} has no train", slot);
                }
                let mut by_time = mine.clone();
                by_time.sort_by_key(|t| t.slot);
                let first = by_time[0].slot - Duration::seconds(1);
                let count = u16::try_from(by_time.len()).unwrap();
                let every = track.cadence.next_after(first, count);
                let planned: Vec<_> = by_time.iter().map(|t| t.slot).collect();
                prop_assert_eq!(every, planned, "a gap between planned trains");
                for pair in by_time.windows(2) {
                    prop_assert!(pair[0].tag < pair[1].tag, "{} then {}", pair[0].tag, pair[1].tag);
                }
            }
            now += Duration::seconds(step);
        }
    }
}
