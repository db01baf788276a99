//! Track input parsing: the seeds' tracks, and a named field for each problem.

use super::*;

fn weekly(zone: &str) -> CadenceForm {
    CadenceForm {
        every: "1".into(),
        days: vec!["TH".into()],
        time: "18:00".into(),
        starts_on: "2026-12-03".into(),
        zone: zone.into(),
    }
}

#[test]
fn seed_001s_weekly_train_and_its_hotfix_lane_parse() {
    let weekly = TrackInput {
        name: "weekly".into(),
        cadence: Some(weekly("")),
        freeze_offset_minutes: 120,
        promotes_to: None,
        ..TrackInput::default()
    }
    .parse()
    .unwrap();
    assert_eq!(weekly.cadence_description(), "Weekly, Thursday 18:00 UTC");
    assert_eq!(weekly.freeze_offset, Duration::hours(2));
    assert_eq!(
        weekly.rollback_timeout,
        Duration::minutes(10),
        "seed 002's rollback_timeout: 600"
    );
    let hotfix = TrackInput {
        name: "hotfix".into(),
        ..TrackInput::default()
    }
    .parse()
    .unwrap();
    assert_eq!(hotfix.cadence_description(), "On demand");
    assert_eq!((hotfix.pipeline, hotfix.direct), (None, None));
}

#[test]
fn seed_003s_hotfix_lane_deploys_straight_to_staging_and_patches_it() {
    let lane = TrackInput {
        name: "hotfix".into(),
        pipeline: vec!["staging".into()],
        direct: true,
        patches: Some("staging".into()),
        ..TrackInput::default()
    }
    .parse()
    .unwrap();
    assert_eq!(lane.direct, Some(0));
    assert_eq!(lane.pipeline.unwrap().to_string(), "staging");
    assert_eq!(lane.patches.unwrap().as_str(), "staging");
}

#[test]
fn each_problem_names_its_field() {
    let base = TrackInput {
        name: "weekly".into(),
        ..TrackInput::default()
    };
    let cases = [
        (
            TrackInput {
                name: "Weekly".into(),
                ..base.clone()
            },
            "name",
        ),
        (
            TrackInput {
                description: "a\nb".into(),
                ..base.clone()
            },
            "description",
        ),
        (
            TrackInput {
                cadence: Some(weekly("not a zone")),
                ..base.clone()
            },
            "cadence.zone",
        ),
        (
            TrackInput {
                freeze_offset_minutes: -1,
                ..base.clone()
            },
            "freeze_offset_minutes",
        ),
        (
            TrackInput {
                soak_hours: MAX_SOAK_HOURS + 1,
                ..base.clone()
            },
            "soak_hours",
        ),
        (
            TrackInput {
                rollback_timeout_minutes: Some(0),
                ..base.clone()
            },
            "rollback_timeout_minutes",
        ),
        (
            TrackInput {
                promotes_to: Some("weekly".into()),
                ..base.clone()
            },
            "promotes_to",
        ),
        (
            TrackInput {
                pipeline: vec!["dev".into(), "dev".into()],
                ..base.clone()
            },
            "pipeline",
        ),
        (
            TrackInput {
                direct_approvals: 1,
                ..base.clone()
            },
            "direct_approvals",
        ),
        (
            TrackInput {
                patches: Some("weekly".into()),
                ..base.clone()
            },
            "patches",
        ),
        (
            TrackInput {
                naming: NamingInput {
                    tag: "v{version}.{n}".into(),
                    ..NamingInput::default()
                },
                ..base.clone()
            },
            "naming.tag",
        ),
        (
            TrackInput {
                patches: Some("stable".into()),
                naming: NamingInput {
                    tag: "v{version}-rc{n}".into(),
                    ..NamingInput::default()
                },
                ..base.clone()
            },
            "naming.tag",
        ),
    ];
    for (input, field) in cases {
        assert_eq!(input.parse().unwrap_err().field, field, "{input:?}");
    }
}
