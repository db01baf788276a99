use super::dora::{dora_series, DoraScope};
use super::success::success_metrics;
use super::*;
use crate::domain::deployment::{DeploymentStatus, MatchKind};
use crate::models::metrics::{DoraMetric, SuccessKey};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, day, hour, 0, 0).unwrap()
}

fn window() -> MetricWindow {
    let today = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    MetricWindow::parse(Some("2026-06-01"), Some(14), Some("weekly"), today).unwrap()
}

fn deploy(id: i64, when: DateTime<Utc>, env: &str, status: DeploymentStatus) -> DeploymentFact {
    DeploymentFact {
        id,
        service: "ledger".into(),
        version: format!("1.{id}.0"),
        environment: env.into(),
        production: env == "live",
        train: None,
        track: None,
        matched: MatchKind::Scheduled,
        status,
        at: when,
        commits: Vec::new(),
        shipped_before: false,
        failure: (status == DeploymentStatus::Failed).then_some(FailureCause::Failed),
        recovered_at: None,
    }
}

fn incident(id: i64, started: DateTime<Utc>, hours: i64) -> IncidentFact {
    IncidentFact {
        id,
        title: format!("incident {id}"),
        environment: "live".into(),
        production: true,
        started_at: started,
        resolved_at: Some(started + Duration::hours(hours)),
        review_url: None,
        cited_tags: Vec::new(),
        cited_trains: Vec::new(),
        unscheduled_deploys: Vec::new(),
    }
}

fn facts() -> MetricFacts {
    use DeploymentStatus::*;
    let mut first = deploy(1, at(2, 15), "live", Succeeded);
    first.commits = vec![at(1, 15), at(2, 3)];
    let mut failed = deploy(2, at(3, 10), "live", Failed);
    failed.recovered_at = Some(at(3, 14));
    let mut rolled = deploy(3, at(9, 15), "live", Succeeded);
    rolled.failure = Some(FailureCause::RolledBack);
    let mut surprise = deploy(4, at(10, 2), "integration", Succeeded);
    surprise.matched = MatchKind::Unscheduled;
    let mut paged = incident(1, at(10, 5), 3);
    paged.unscheduled_deploys = vec!["ledger 1.4.0 to integration".into()];
    paged.review_url = Some("https://wiki.example/pir/1".into());
    paged.cited_tags = vec!["abc123..def456".into()];
    let mut cited = incident(2, at(11, 1), 1);
    cited.review_url = Some("https://wiki.example/pir/2".into());
    cited.cited_tags = vec!["v1.3.0-rc1".into()];
    cited.cited_trains = vec!["v1.3.0-rc1".into()];
    MetricFacts {
        on_cadence: vec![true, true, true, false],
        deployments: vec![first, failed, rolled, surprise],
        incidents: vec![paged, cited],
        postponements: vec![PostponementFact {
            train: "weekly-2026-06-09".into(),
            track: Some("weekly".into()),
            category: "chain-ops conflict".into(),
            reason: Some("validator re-roll".into()),
            at: at(8, 9),
        }],
    }
}

#[test]
fn the_success_metrics_count_what_they_say_against_their_targets() {
    let metrics = success_metrics(&window(), &facts());
    let get = |k| metrics.iter().find(|m| m.key == k).unwrap();
    let cadence = get(SuccessKey::OnCadence);
    // Three successful deploys, two on cadence; the failed one did not deploy.
    assert_eq!((cadence.counted, cadence.of), (2, Some(3)));
    assert_eq!(cadence.value, Some(66.7));
    assert_eq!(cadence.met, Some(false));
    assert_eq!(cadence.items.len(), 3);
    let pages = get(SuccessKey::UnscheduledPages);
    assert_eq!((pages.value, pages.met), (Some(1.0), Some(false)));
    let postponed = get(SuccessKey::Postponements);
    // One in fourteen days is 2.1 a month.
    assert_eq!(postponed.value, Some(2.1));
    assert_eq!(postponed.categories, [("chain-ops conflict".to_owned(), 1)]);
    let reviews = get(SuccessKey::ReviewsCitingATag);
    assert_eq!(
        (reviews.counted, reviews.of, reviews.value),
        (1, Some(2), Some(50.0))
    );
    assert!(reviews
        .items
        .iter()
        .any(|i| i.note.contains("name no train")));
}

#[test]
fn trends_have_a_point_per_bucket_and_nothing_where_nothing_was_measured() {
    let metrics = success_metrics(&window(), &facts());
    let reviews = &metrics[3].trend;
    // Weeks of 1 and 8 June: the reviews both started in the second week.
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews[0].value, None);
    assert_eq!(reviews[1].value, Some(50.0));
}

#[test]
fn dora_looks_at_production_unless_an_environment_is_named() {
    let (w, f) = (window(), facts());
    let prod = DoraScope { environment: None };
    let freq = dora_series(DoraMetric::DeploymentFrequency, &w, &f, prod);
    assert_eq!(freq.counted, 2);
    assert_eq!(
        freq.points.iter().map(|p| p.value).collect::<Vec<_>>(),
        [Some(1.0), Some(1.0)]
    );
    let named = DoraScope {
        environment: Some("integration"),
    };
    assert_eq!(
        dora_series(DoraMetric::DeploymentFrequency, &w, &f, named).counted,
        1
    );
}

#[test]
fn lead_time_is_the_median_from_commit_to_its_good_deploy() {
    let s = dora_series(
        DoraMetric::LeadTimeForChanges,
        &window(),
        &facts(),
        DoraScope { environment: None },
    );
    // 24 h and 12 h.
    assert_eq!(s.overall, Some(18.0));
    assert_eq!((s.counted, s.of), (2, 1));
}

#[test]
fn a_train_deployed_again_ships_its_changes_once() {
    let mut facts = facts();
    let mut again = facts.deployments[0].clone();
    facts.deployments[0].train = Some("weekly-2026-06-02".into());
    again.train = facts.deployments[0].train.clone();
    again.id = 9;
    again.environment = "live-eu".into();
    again.at = at(4, 15);
    facts.deployments.push(again);
    let lead = |facts: &MetricFacts| {
        let s = dora_series(
            DoraMetric::LeadTimeForChanges,
            &window(),
            facts,
            DoraScope { environment: None },
        );
        (s.overall, s.counted, s.of)
    };
    assert_eq!(lead(&facts), (Some(18.0), 2, 1), "the second one is not");
    facts.deployments[4].train = Some("weekly-2026-06-03".into());
    assert_eq!(
        lead(&facts),
        (Some(42.0), 4, 2),
        "another train's changes are"
    );
    facts.deployments[0].shipped_before = true;
    assert_eq!(
        lead(&facts),
        (Some(66.0), 2, 1),
        "a train that shipped before the window ships nothing in it"
    );
}

#[test]
fn a_failed_deploy_and_a_rolled_back_one_are_two_failed_changes_of_three() {
    let s = dora_series(
        DoraMetric::ChangeFailureRate,
        &window(),
        &facts(),
        DoraScope { environment: None },
    );
    assert_eq!((s.counted, s.of, s.overall), (2, 3, Some(66.7)));
}

#[test]
fn time_to_restore_takes_incidents_and_failed_deploys_alike() {
    let s = dora_series(
        DoraMetric::TimeToRestoreService,
        &window(),
        &facts(),
        DoraScope { environment: None },
    );
    // Incidents of 3 h and 1 h, a failed deploy put right after 4 h.
    assert_eq!(s.overall, Some(3.0));
    assert_eq!((s.counted, s.of), (3, 3));
}

#[test]
fn the_heat_map_counts_successful_deploys_per_day_and_kind() {
    let days = heatmap::deploy_days(&facts());
    assert_eq!(days.len(), 3);
    assert!(days
        .iter()
        .any(|d| d.matched == MatchKind::Unscheduled && d.count == 1));
}

#[test]
fn the_first_failure_cause_that_holds_is_kept() {
    assert_eq!(
        FailureCause::first(false, true, true, true),
        Some(FailureCause::RolledBack)
    );
    assert_eq!(
        FailureCause::first(false, false, false, true),
        Some(FailureCause::Incident)
    );
    assert_eq!(FailureCause::first(false, false, false, false), None);
}
