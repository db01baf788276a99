use super::*;
use chrono::TimeZone;

fn change(sha: &str, title: &str, labels: &[&str]) -> NoteChange {
    NoteChange {
        participant: "curve".into(),
        sha: sha.into(),
        title: title.into(),
        body: None,
        author: "ana".into(),
        committed_at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
        pr_number: None,
        pr_url: None,
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        breaking: false,
    }
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, hour, 0, 0).unwrap()
}

#[test]
fn the_notes_sort_changes_and_report_health_breaches_and_rollbacks() {
    let facts = PostReleaseFacts {
        train: "wk1".into(),
        tag: Some("v1.2.0".into()),
        completed_at: at(16),
        versions: vec![VersionLine {
            service: "curve".into(),
            version: Some("2.0.0".into()),
            previous: Some("1.9.3".into()),
        }],
        changes: vec![
            change("aaaaaaa1", "feat: holiday calendars", &[]),
            change("bbbbbbb2", "fix: NaN on weekends", &[]),
            change("ccccccc3", "fast paths on by default", &["feature-flag"]),
            change("ddddddd4", "add holiday column", &["migration"]),
            change("eeeeeee5", "ci: cache", &[]),
        ],
        health: vec![HealthLine {
            service: "curve".into(),
            environment: "prod".into(),
            metric: "error_rate_pct".into(),
            latest: 0.4,
            samples: 12,
        }],
        breaches: vec![IncidentLine {
            at: at(12),
            text: "curve in stage: error_rate above 2% for 5 min (recommended)".into(),
        }],
        rollbacks: vec![],
    };
    assert_eq!(
        render_post_release(&facts),
        "# Post-release notes: wk1 (v1.2.0)\n\
         \n\
         Completed 2026-12-04 16:00 UTC: curve 2.0.0.\n\
         \n\
         ## New features / fixes\n\
         \n\
         Features:\n\
         \n\
         - **curve**: feat: holiday calendars by ana (aaaaaaa)\n\
         \n\
         Fixes:\n\
         \n\
         - **curve**: fix: NaN on weekends by ana (bbbbbbb)\n\
         \n\
         ## Flag default changes\n\
         \n\
         - **curve**: fast paths on by default by ana (ccccccc)\n\
         \n\
         ## Migrations executed\n\
         \n\
         - **curve**: add holiday column by ana (ddddddd)\n\
         \n\
         ## SLO status & incidents\n\
         \n\
         | Service | Environment | Metric | Latest | Samples |\n\
         | --- | --- | --- | --- | --- |\n\
         | curve | prod | error\\_rate\\_pct | 0.4 | 12 |\n\
         \n\
         - 2026-12-04 12:00 UTC: curve in stage: error\\_rate above 2% for 5 min (recommended)\n\
         \n\
         No rollback.\n"
    );
}

#[test]
fn a_quiet_release_says_what_was_not_reported() {
    let facts = PostReleaseFacts {
        train: "wk2".into(),
        tag: None,
        completed_at: at(9),
        versions: vec![],
        changes: vec![],
        health: vec![],
        breaches: vec![],
        rollbacks: vec![],
    };
    let text = render_post_release(&facts);
    for part in [
        "Completed 2026-12-04 09:00 UTC.\n",
        "None reported.",
        "None reported (label `feature-flag`).",
        "None reported (label `migration`).",
        "No health samples were reported during the release.",
        "No rollback criterion held.",
        "No rollback.",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
}
