//! Seed 001's post-release notes, generated when a train completes: new
//! features and fixes, flag default changes, migrations executed, and the
//! SLO status (the health samples reported during the release, the
//! rollback criteria that held, the rollbacks).

use super::announcement::{FLAG_LABELS, MIGRATION_LABELS};
use super::commit::ConventionalType;
use super::markdown::{escape, line, NoteChange, VersionLine};
use chrono::{DateTime, Utc};

const FEATURE_LABELS: [&str; 3] = ["feature", "enhancement", "highlight"];
const FIX_LABELS: [&str; 2] = ["bug", "fix"];

/// The latest health sample of one metric of one service in one place.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthLine {
    pub service: String,
    pub environment: String,
    pub metric: String,
    pub latest: f64,
    pub samples: i64,
}

/// A rollback criterion that held, or a rollback, in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentLine {
    pub at: DateTime<Utc>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PostReleaseFacts {
    pub train: String,
    pub tag: Option<String>,
    pub completed_at: DateTime<Utc>,
    pub versions: Vec<VersionLine>,
    pub changes: Vec<NoteChange>,
    pub health: Vec<HealthLine>,
    pub breaches: Vec<IncidentLine>,
    pub rollbacks: Vec<IncidentLine>,
}

pub fn render_post_release(facts: &PostReleaseFacts) -> String {
    let title = match &facts.tag {
        Some(tag) => format!("# Post-release notes: {} ({tag})", facts.train),
        None => format!("# Post-release notes: {}", facts.train),
    };
    let shipped: Vec<String> = facts
        .versions
        .iter()
        .filter_map(|v| {
            v.version
                .as_ref()
                .map(|to| format!("{} {}", escape(&v.service), escape(to)))
        })
        .collect();
    let mut out = vec![
        title,
        String::new(),
        format!(
            "Completed {}{}.",
            facts.completed_at.format("%Y-%m-%d %H:%M UTC"),
            if shipped.is_empty() {
                String::new()
            } else {
                format!(": {}", shipped.join(", "))
            }
        ),
        String::new(),
    ];
    out.extend(features_and_fixes(&facts.changes));
    out.extend(labelled(
        "## Flag default changes",
        &facts.changes,
        &FLAG_LABELS,
        "None reported (label `feature-flag`).",
    ));
    out.extend(labelled(
        "## Migrations executed",
        &facts.changes,
        &MIGRATION_LABELS,
        "None reported (label `migration`).",
    ));
    out.extend(slo_status(facts));
    out.join("\n").trim_end().to_owned() + "\n"
}

fn is_kind(change: &NoteChange, labels: &[&str], types: &[&str]) -> bool {
    change.labels.iter().any(|l| labels.contains(&l.as_str()))
        || ConventionalType::of(&change.title).is_some_and(|t| types.contains(&t.kind.as_str()))
}

fn features_and_fixes(changes: &[NoteChange]) -> Vec<String> {
    let features: Vec<String> = changes
        .iter()
        .filter(|c| is_kind(c, &FEATURE_LABELS, &["feat"]))
        .map(line)
        .collect();
    let fixes: Vec<String> = changes
        .iter()
        .filter(|c| !is_kind(c, &FEATURE_LABELS, &["feat"]))
        .filter(|c| is_kind(c, &FIX_LABELS, &["fix", "perf", "revert"]))
        .map(line)
        .collect();
    let mut out = vec!["## New features / fixes".to_owned(), String::new()];
    if features.is_empty() && fixes.is_empty() {
        out.extend(["None reported.".to_owned(), String::new()]);
    }
    for (title, lines) in [("Features:", features), ("Fixes:", fixes)] {
        if !lines.is_empty() {
            out.extend([title.to_owned(), String::new()]);
            out.extend(lines);
            out.push(String::new());
        }
    }
    out
}

fn labelled(heading: &str, changes: &[NoteChange], labels: &[&str], none: &str) -> Vec<String> {
    let lines: Vec<String> = changes
        .iter()
        .filter(|c| c.labels.iter().any(|l| labels.contains(&l.as_str())))
        .map(line)
        .collect();
    let mut out = vec![heading.to_owned(), String::new()];
    if lines.is_empty() {
        out.push(none.to_owned());
    } else {
        out.extend(lines);
    }
    out.push(String::new());
    out
}

fn slo_status(facts: &PostReleaseFacts) -> Vec<String> {
    let mut out = vec!["## SLO status & incidents".to_owned(), String::new()];
    if facts.health.is_empty() {
        out.push("No health samples were reported during the release.".to_owned());
    } else {
        out.push("| Service | Environment | Metric | Latest | Samples |".to_owned());
        out.push("| --- | --- | --- | --- | --- |".to_owned());
        for h in &facts.health {
            out.push(format!(
                "| {} | {} | {} | {} | {} |",
                escape(&h.service),
                escape(&h.environment),
                escape(&h.metric),
                h.latest,
                h.samples
            ));
        }
    }
    out.push(String::new());
    for (items, none) in [
        (&facts.breaches, "No rollback criterion held."),
        (&facts.rollbacks, "No rollback."),
    ] {
        if items.is_empty() {
            out.push(none.to_owned());
        }
        for item in items {
            out.push(format!(
                "- {}: {}",
                item.at.format("%Y-%m-%d %H:%M UTC"),
                escape(&item.text)
            ));
        }
        out.push(String::new());
    }
    out
}

#[cfg(test)]
#[path = "post_release_tests.rs"]
mod tests;
