use super::examples::examples;
use super::kinds::{kind_of, KINDS};
use super::*;
use std::collections::HashSet;

#[test]
fn every_kind_of_change_has_an_example() {
    let kinds: HashSet<&str> = examples().iter().map(kind_of).collect();
    assert_eq!(kinds.len(), KINDS);
}

#[test]
fn every_audit_action_is_made_by_some_change_and_no_other_way() {
    let made: HashSet<AuditAction> = examples().iter().map(Change::action).collect();
    let all: HashSet<AuditAction> = AuditAction::ALL.into_iter().collect();
    assert_eq!(made, all);
}

#[test]
fn every_change_has_an_audit_record_naming_its_resource() {
    for change in examples() {
        let audit = change.audit();
        assert!(
            audit.resource.contains(':') && !audit.resource.ends_with(':'),
            "{change:?}"
        );
        assert!(
            audit.before.is_some()
                || audit.after.is_some()
                || change.action() == AuditAction::AuthLogout,
            "{change:?} records nothing"
        );
    }
}

#[test]
fn every_timeline_entry_reads_back_as_it_was_written() {
    for change in examples() {
        for entry in change.timeline() {
            let read = TimelineEvent::from_stored(entry.event.kind(), entry.event.detail());
            assert_eq!(read.ok(), Some(entry.event.clone()), "{change:?}");
        }
    }
}

#[test]
fn changes_to_a_train_add_to_its_timeline_and_settings_do_not() {
    for change in examples() {
        let entries = change.timeline();
        match change.train() {
            // A hotfix rolled forward is on both trains' timelines.
            Some(train) if matches!(change, Change::HotfixRolledForward { .. }) => {
                assert_eq!(entries.len(), 2, "{change:?}");
                assert!(entries.iter().any(|e| e.train_id == train.id));
            }
            Some(train) => {
                assert!(!entries.is_empty(), "{change:?}");
                assert!(entries.iter().all(|e| e.train_id == train.id));
            }
            None if matches!(
                change,
                Change::CadenceChanged { .. } | Change::ServiceStatusReported { .. }
            ) =>
            {
                assert!(!entries.is_empty(), "{change:?}")
            }
            None => assert!(entries.is_empty(), "{change:?}"),
        }
    }
}

#[test]
fn a_rollback_tells_each_service_and_then_the_transition() {
    let change = &examples()[2];
    let kinds: Vec<&str> = change.timeline().iter().map(|e| e.event.kind()).collect();
    assert_eq!(kinds, ["rollback", "transition"]);
    assert_eq!(change.action().as_str(), "train.rollback");
    assert_eq!(
        examples()[3].action().as_str(),
        "train.rollback_environment"
    );
}

/// Rows written before the vocabulary was typed have these shapes; they
/// must keep reading.
#[test]
fn entries_stored_by_earlier_versions_read() {
    let stored = [
        ("transition", serde_json::json!({})),
        (
            "created",
            serde_json::json!({ "participants": ["a", "b"], "gates": 3 }),
        ),
        (
            "gate_results",
            serde_json::json!({ "results": [
                { "participant": "a", "gate": "coverage", "value": null, "passed": true }
            ] }),
        ),
        (
            "calendar",
            serde_json::json!({
                "moved": { "from": "2026-12-01T10:00:00Z", "to": "2026-12-02T10:00:00Z" },
                "cadence": "weekly"
            }),
        ),
        (
            "calendar",
            serde_json::json!({ "on_call": { "from": null, "to": "ana" } }),
        ),
        (
            "calendar",
            serde_json::json!({ "calendar_status": { "from": "open", "to": "skipped" } }),
        ),
        (
            "promotion",
            serde_json::json!({ "promoted": "prod", "request": 4, "versions": [], "break_glass": null }),
        ),
        (
            "promotion",
            serde_json::json!({ "break_glass": "prod", "request": 4 }),
        ),
        (
            "evidence",
            serde_json::json!({
                "action": "uploaded", "name": "x.json", "kind": "junit",
                "participant": null, "size": 3, "sha256": "ab"
            }),
        ),
        (
            "evidence",
            serde_json::json!({ "action": "sealed", "artifacts": 2, "total_size": 9, "manifest_sha256": "ab" }),
        ),
        (
            "edited",
            serde_json::json!({ "captain": "ana", "target_version": null }),
        ),
        (
            "participant",
            serde_json::json!({ "service": "a", "status": "rolled_back", "version": null }),
        ),
    ];
    for (kind, detail) in stored {
        let event = TimelineEvent::from_stored(kind, detail.clone());
        assert!(event.is_ok(), "{kind} {detail}: {event:?}");
        assert_eq!(event.unwrap().kind(), kind);
    }
    let promoted = TimelineEvent::from_stored(
        "promotion",
        serde_json::json!({ "promoted": "prod", "request": 4, "versions": [], "break_glass": null }),
    );
    assert!(matches!(
        promoted,
        Ok(TimelineEvent::Promotion(PromotionEvent::Promoted {
            break_glass: None,
            ..
        }))
    ));
}

#[test]
fn a_limited_token_is_recorded_with_its_reach_and_an_unlimited_one_as_before() {
    let created = |tracks: Vec<String>, trains: Vec<String>| Change::Token {
        name: "ci".into(),
        change: TokenChange::Created {
            scopes: vec!["gates:write".into()],
            tracks,
            trains,
            prefix: "tyd_ab".into(),
            expires_at: None,
        },
    };
    let everywhere = created(vec![], vec![]).audit().after;
    assert_eq!(
        everywhere,
        Some(
            serde_json::json!({ "scopes": ["gates:write"], "prefix": "tyd_ab", "expires_at": null })
        )
    );
    let limited = created(vec!["dev".into()], vec!["Q4-curve-upgrade".into()])
        .audit()
        .after
        .unwrap();
    assert_eq!(limited["tracks"], serde_json::json!(["dev"]));
    assert_eq!(limited["trains"], serde_json::json!(["Q4-curve-upgrade"]));
}
