//! Seed 001's change announcement, drafted from a train before its cut:
//! Impact, Risk & rollback, Owner & on-call, Migration notes & flags. It is
//! sent with the `train.upcoming` reminders; people may rewrite it.

use super::commit::is_breaking;
use super::markdown::{escape, line, NoteChange, VersionLine};
use chrono::{DateTime, Utc};

/// Labels that mark a change as a migration or a flag change.
pub(super) const MIGRATION_LABELS: [&str; 3] = ["migration", "db-migration", "schema-migration"];
pub(super) const FLAG_LABELS: [&str; 3] = ["flag", "feature-flag", "flags"];

/// What the announcement is drafted from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnouncementFacts {
    pub train: String,
    pub tag: Option<String>,
    pub track: Option<String>,
    pub cut_at: Option<DateTime<Utc>>,
    pub captain: Option<String>,
    pub on_call: Option<String>,
    /// The track runs its trains with nobody on call (else such a train is
    /// skipped).
    pub runs_unwatched: bool,
    pub versions: Vec<VersionLine>,
    pub changes: Vec<NoteChange>,
}

pub fn render_announcement(facts: &AnnouncementFacts) -> String {
    let title = match &facts.tag {
        Some(tag) => format!("# Change announcement: {} ({tag})", facts.train),
        None => format!("# Change announcement: {}", facts.train),
    };
    let mut out = vec![title, String::new()];
    if let Some(when) = when(facts) {
        out.extend([when, String::new()]);
    }
    out.extend(impact(facts));
    out.extend(risk(facts));
    out.extend(owners(facts));
    out.extend(migrations(facts));
    out.join("\n").trim_end().to_owned() + "\n"
}

fn when(facts: &AnnouncementFacts) -> Option<String> {
    let cut = facts.cut_at?.format("%Y-%m-%d %H:%M UTC");
    Some(match &facts.track {
        Some(track) => format!("Cut {cut} on the {} track.", escape(track)),
        None => format!("Cut {cut}."),
    })
}

fn impact(facts: &AnnouncementFacts) -> Vec<String> {
    let mut out = vec!["## Impact".to_owned(), String::new()];
    if facts.versions.is_empty() {
        out.push("No service takes part yet.".to_owned());
    }
    for v in &facts.versions {
        let count = facts
            .changes
            .iter()
            .filter(|c| c.participant == v.service)
            .count();
        let version = match (&v.previous, &v.version) {
            (Some(from), Some(to)) => format!("{} → {}", escape(from), escape(to)),
            (None, Some(to)) => escape(to),
            _ => "version not set yet".to_owned(),
        };
        out.push(format!(
            "- **{}** {version}: {count} change(s)",
            escape(&v.service)
        ));
    }
    out.push(String::new());
    out
}

fn risk(facts: &AnnouncementFacts) -> Vec<String> {
    let breaking: Vec<&NoteChange> = facts
        .changes
        .iter()
        .filter(|c| is_breaking(&c.title, c.body.as_deref(), c.breaking))
        .collect();
    let mut out = vec!["## Risk & rollback".to_owned(), String::new()];
    if breaking.is_empty() {
        out.push("No breaking change reported.".to_owned());
    } else {
        out.push(format!("{} breaking change(s):", breaking.len()));
        out.push(String::new());
        out.extend(breaking.iter().map(|c| line(c)));
    }
    out.push(String::new());
    let back: Vec<String> = facts
        .versions
        .iter()
        .rev()
        .filter_map(|v| {
            v.previous
                .as_ref()
                .map(|p| format!("{} to {}", escape(&v.service), escape(p)))
        })
        .collect();
    out.push(if back.is_empty() {
        "Rollback: no participant names its previous version yet.".to_owned()
    } else {
        format!(
            "Rollback (in reverse release order, with a reason): {}.",
            back.join(", ")
        )
    });
    out.push(String::new());
    out
}

fn owners(facts: &AnnouncementFacts) -> Vec<String> {
    let captain = facts
        .captain
        .as_deref()
        .map(escape)
        .unwrap_or_else(|| "nobody named".to_owned());
    let on_call = match (&facts.on_call, facts.runs_unwatched) {
        (Some(person), _) => escape(person),
        (None, true) => "nobody yet (this track runs its trains without one)".to_owned(),
        (None, false) => "nobody yet: the train will be skipped unless someone takes it".to_owned(),
    };
    vec![
        "## Owner & on-call".to_owned(),
        String::new(),
        format!("- Captain: {captain}"),
        format!("- On call: {on_call}"),
        String::new(),
    ]
}

fn migrations(facts: &AnnouncementFacts) -> Vec<String> {
    let labelled = |labels: &[&str]| -> Vec<String> {
        facts
            .changes
            .iter()
            .filter(|c| c.labels.iter().any(|l| labels.contains(&l.as_str())))
            .map(line)
            .collect()
    };
    let (migrations, flags) = (labelled(&MIGRATION_LABELS), labelled(&FLAG_LABELS));
    let mut out = vec!["## Migration notes & flags".to_owned(), String::new()];
    if migrations.is_empty() && flags.is_empty() {
        out.push("None reported (labels `migration`, `feature-flag`).".to_owned());
    }
    if !migrations.is_empty() {
        out.push("Migrations:".to_owned());
        out.push(String::new());
        out.extend(migrations);
        out.push(String::new());
    }
    if !flags.is_empty() {
        out.push("Flags:".to_owned());
        out.push(String::new());
        out.extend(flags);
    }
    out
}

#[cfg(test)]
mod tests {
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

    fn facts() -> AnnouncementFacts {
        AnnouncementFacts {
            train: "2026.12-wk1".into(),
            tag: Some("v0.5.0-dev.3".into()),
            track: Some("dev".into()),
            cut_at: Some(Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap()),
            captain: Some("carl".into()),
            on_call: None,
            runs_unwatched: false,
            versions: vec![
                VersionLine {
                    service: "curve".into(),
                    version: Some("2.0.0".into()),
                    previous: Some("1.9.3".into()),
                },
                VersionLine {
                    service: "backtesting".into(),
                    version: Some("0.4.0".into()),
                    previous: Some("0.3.9".into()),
                },
            ],
            changes: vec![
                change("aaaaaaa1", "feat(curve)!: drop v1 curves", &[]),
                change("bbbbbbb2", "add holiday column", &["migration"]),
                change("ccccccc3", "fast paths on by default", &["feature-flag"]),
            ],
        }
    }

    #[test]
    fn the_announcement_has_seed_001s_four_sections_from_the_train() {
        let text = render_announcement(&facts());
        assert_eq!(
            text,
            "# Change announcement: 2026.12-wk1 (v0.5.0-dev.3)\n\
             \n\
             Cut 2026-12-03 10:00 UTC on the dev track.\n\
             \n\
             ## Impact\n\
             \n\
             - **curve** 1.9.3 → 2.0.0: 3 change(s)\n\
             - **backtesting** 0.3.9 → 0.4.0: 0 change(s)\n\
             \n\
             ## Risk & rollback\n\
             \n\
             1 breaking change(s):\n\
             \n\
             - **curve**: feat(curve)!: drop v1 curves by ana (aaaaaaa)\n\
             \n\
             Rollback (in reverse release order, with a reason): backtesting to 0.3.9, curve to 1.9.3.\n\
             \n\
             ## Owner & on-call\n\
             \n\
             - Captain: carl\n\
             - On call: nobody yet: the train will be skipped unless someone takes it\n\
             \n\
             ## Migration notes & flags\n\
             \n\
             Migrations:\n\
             \n\
             - **curve**: add holiday column by ana (bbbbbbb)\n\
             \n\
             Flags:\n\
             \n\
             - **curve**: fast paths on by default by ana (ccccccc)\n"
        );
    }

    #[test]
    fn a_train_without_changes_says_so_and_names_who_is_on_call() {
        let mut quiet = facts();
        quiet.changes.clear();
        quiet.on_call = Some("olivia".into());
        let text = render_announcement(&quiet);
        assert!(text.contains("No breaking change reported."), "{text}");
        assert!(text.contains("- On call: olivia"), "{text}");
        assert!(text.contains("None reported (labels"), "{text}");
    }
}
