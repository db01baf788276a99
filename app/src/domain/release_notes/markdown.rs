//! The notes as Markdown: the same changes give the same text, byte for
//! byte (sections in their order, changes newest first then by hash).

use super::commit::{is_breaking, ConventionalType};
use super::sections::Categories;
use chrono::{DateTime, Utc};

/// A change as the notes use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteChange {
    pub participant: String,
    pub sha: String,
    pub title: String,
    pub body: Option<String>,
    pub author: String,
    pub committed_at: DateTime<Utc>,
    pub pr_number: Option<u32>,
    pub pr_url: Option<String>,
    pub labels: Vec<String>,
    pub breaking: bool,
}

/// A participant's version in the train.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionLine {
    pub service: String,
    pub version: Option<String>,
    pub previous: Option<String>,
}

/// What the notes are of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotesContext {
    pub train: String,
    pub tag: Option<String>,
    pub versions: Vec<VersionLine>,
}

/// The notes of `changes` under `categories`.
pub fn render(context: &NotesContext, changes: &[NoteChange], categories: &Categories) -> String {
    let mut sorted: Vec<&NoteChange> = changes.iter().collect();
    sorted.sort_by(|a, b| {
        b.committed_at
            .cmp(&a.committed_at)
            .then_with(|| a.sha.cmp(&b.sha))
    });
    let mut sections: Vec<Vec<String>> = vec![Vec::new(); categories.categories.len()];
    let mut breaking = Vec::new();
    for change in sorted {
        let kind = ConventionalType::of(&change.title).map(|t| t.kind);
        let Some(at) = categories.place(&change.labels, kind.as_deref()) else {
            continue;
        };
        let line = line(change);
        if is_breaking(&change.title, change.body.as_deref(), change.breaking) {
            breaking.push(line.clone());
        }
        sections[at].push(line);
    }
    let title = match &context.tag {
        Some(tag) => format!("# {} ({tag})", context.train),
        None => format!("# {}", context.train),
    };
    let mut out = vec![title, String::new()];
    if !breaking.is_empty() {
        out.push("> **Breaking changes**".to_owned());
        out.push(">".to_owned());
        out.extend(breaking.iter().map(|l| format!("> {l}")));
        out.push(String::new());
    }
    for (category, lines) in categories.categories.iter().zip(sections) {
        out.push(format!("## {}", category.title));
        out.push(String::new());
        if lines.is_empty() {
            out.push("None.".to_owned());
        } else {
            out.extend(lines);
        }
        out.push(String::new());
    }
    out.push("## Versions".to_owned());
    out.push(String::new());
    out.push("| Service | Version | Previous |".to_owned());
    out.push("| --- | --- | --- |".to_owned());
    for v in &context.versions {
        out.push(format!(
            "| {} | {} | {} |",
            escape(&v.service),
            v.version
                .as_deref()
                .map(escape)
                .unwrap_or_else(|| "—".into()),
            v.previous
                .as_deref()
                .map(escape)
                .unwrap_or_else(|| "—".into()),
        ));
    }
    out.join("\n") + "\n"
}

/// `- **curve**: feat: faster bootstrap ([#12](…)) by ana (abc1234)`
pub(super) fn line(change: &NoteChange) -> String {
    let pr = match (change.pr_number, &change.pr_url) {
        (Some(n), Some(url)) => format!(" ([#{n}]({url}))"),
        (Some(n), None) => format!(" (#{n})"),
        (None, _) => String::new(),
    };
    let short = &change.sha[..change.sha.len().min(7)];
    format!(
        "- **{}**: {}{pr} by {} ({short})",
        escape(&change.participant),
        escape(&change.title),
        escape(&change.author)
    )
}

/// Text that cannot open a table cell, a link or emphasis of its own.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
