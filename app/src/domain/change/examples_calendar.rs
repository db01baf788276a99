//! One change of every kind the calendar makes (on-call, moves, cuts,
//! tags, skips, hotfixes, tracks, cadences, freezes, the rotation).

use super::super::*;
use super::{at, freeze, train};

pub(super) fn examples() -> Vec<Change> {
    vec![
        Change::OnCallAssigned {
            train: train(),
            on_call: FromTo {
                from: None,
                to: Some("ana".into()),
            },
        },
        Change::TrainMoved {
            train: train(),
            moved: FromTo {
                from: at(),
                to: at() + chrono::Duration::days(1),
            },
            reason: None,
            postponed: Some("chain-ops conflict".into()),
        },
        Change::TrainCut {
            train: train(),
            release_id: "2025.09-wk3".into(),
            branch: "release/2025.09-wk3".into(),
            tag: "v1.2.0-rc1".into(),
            versions: serde_json::json!({ "curve": "2.0.0" }),
        },
        Change::HotfixRolledForward {
            hotfix: TrainRef::new(9, "v0.5.0-hotfix.1"),
            into: train(),
            versions: serde_json::json!({ "curve": "2.0.1" }),
        },
        Change::TrainTagged {
            train: train(),
            tag: "v1.2.0-rc2".into(),
            general_availability: false,
            versions: serde_json::json!({ "curve": "2.0.1" }),
            reason: Some("curve 2.0.1 fixes the rc1 regression".into()),
        },
        Change::TrainSkipped {
            train: train(),
            reason: "nobody on call".into(),
            by_rule: true,
        },
        Change::HotfixRecorded {
            train: train(),
            track: "hotfix".into(),
            ran_at: at(),
            on_call: "ana".into(),
            reason: "outage".into(),
        },
        Change::TrackCreated {
            track: "weekly".into(),
            fields: TrackFields {
                cadence: "Weekly, Thursday 18:00 UTC".into(),
                rule: Some("DTSTART:20261203T180000Z\nRRULE:FREQ=WEEKLY;BYDAY=TH".into()),
                freeze_offset_minutes: 120,
                ..TrackFields::default()
            },
        },
        Change::TrackUpdated {
            track: "weekly".into(),
            before: Box::default(),
            after: Box::new(TrackFields {
                soak_hours: 24,
                ..TrackFields::default()
            }),
        },
        Change::TrackArchived {
            track: "weekly".into(),
            before: TrackFields::default(),
            reason: "merged into the monthly train".into(),
        },
        Change::CadenceChanged {
            track: "dev".into(),
            before: CadenceFields {
                cadence: "weekly".into(),
                rule: Some("FREQ=WEEKLY".into()),
            },
            after: CadenceFields {
                cadence: "every two weeks".into(),
                rule: Some("FREQ=WEEKLY;INTERVAL=2".into()),
            },
            moved: vec![(
                train(),
                FromTo {
                    from: at(),
                    to: at() + chrono::Duration::days(7),
                },
            )],
        },
        Change::FreezeSaved {
            id: 3,
            before: None,
            after: freeze(),
        },
        Change::FreezeSaved {
            id: 3,
            before: Some(freeze()),
            after: freeze(),
        },
        Change::FreezeDeleted {
            id: 3,
            before: freeze(),
        },
        Change::RotationUpdated {
            before: None,
            after: RotationFields {
                teams: vec!["payments".into()],
                starts_on: at().date_naive(),
            },
        },
    ]
}
