//! A track's release branch (seed 000: `release/<train-id>`, a train id such
//! as `2025.09-wk3`), from templates an admin writes.

use chrono::{Datelike, NaiveDate};

pub const BRANCH_TEMPLATE: &str = "release/{train_id}";
pub const TRAIN_ID_FORMAT: &str = "{year}.{month}-wk{week_of_month}";

/// What a train id may be made of: the cut's local date and the track.
const ID_FIELDS: [&str; 6] = ["year", "month", "day", "week_of_month", "iso_week", "track"];
/// What a branch may be made of.
const BRANCH_FIELDS: [&str; 3] = ["train_id", "track", "version"];

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(&'static str),
}

/// A checked template: literal text and `{field}`s.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Template(Vec<Piece>);

impl Template {
    fn parse(raw: &str, fields: &[&'static str]) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut rest = raw.trim();
        if rest.is_empty() {
            return Err("the template is empty".to_owned());
        }
        while let Some(open) = rest.find('{') {
            literal(&rest[..open], &mut pieces)?;
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("{raw:?}: a '{{' is not closed"))?;
            let name = &rest[open + 1..open + close];
            let field = fields
                .iter()
                .find(|f| **f == name)
                .ok_or_else(|| format!("{raw:?}: {{{name}}} is not one of {}", braced(fields)))?;
            pieces.push(Piece::Field(field));
            rest = &rest[open + close + 1..];
        }
        literal(rest, &mut pieces)?;
        if !pieces.iter().any(|p| matches!(p, Piece::Field(_))) {
            return Err(format!(
                "{raw:?} names no field, so every train would get the same name: use {}",
                braced(fields)
            ));
        }
        Ok(Self(pieces))
    }

    fn render(&self, value: impl Fn(&str) -> String) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Field(f) => value(f),
            })
            .collect()
    }
}

impl std::fmt::Display for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(|name| format!("{{{name}}}")))
    }
}

fn braced(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| format!("{{{f}}}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Literal text must be something git accepts in a branch name.
fn literal(text: &str, pieces: &mut Vec<Piece>) -> Result<(), String> {
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/')))
    {
        return Err(format!(
            "{bad:?} cannot be in a branch name: use letters, digits, '.', '-', '_' and '/'"
        ));
    }
    if text.contains("..") || text.contains("//") {
        return Err(format!(
            "{text:?}: git refuses '..' and '//' in a branch name"
        ));
    }
    if text.contains('}') {
        return Err(format!("{text:?}: a '}}' closes no field"));
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text.to_owned()));
    }
    Ok(())
}

/// A track's release-branch name and the train id inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchTemplate {
    branch: Template,
    train_id: Template,
}

impl Default for BranchTemplate {
    fn default() -> Self {
        Self::parse(BRANCH_TEMPLATE, TRAIN_ID_FORMAT).expect("the default templates parse")
    }
}

impl BranchTemplate {
    /// Both templates; the error says which one is wrong (`branch` or
    /// `train_id`).
    pub fn parse(branch: &str, train_id: &str) -> Result<Self, (&'static str, String)> {
        let branch_t = Template::parse(branch, &BRANCH_FIELDS).map_err(|e| ("branch", e))?;
        if branch.trim().starts_with('/')
            || branch.trim().ends_with('/')
            || branch.trim().ends_with('.')
        {
            return Err((
                "branch",
                format!(
                    "{branch:?}: a branch name neither starts nor ends with '/' or ends with '.'"
                ),
            ));
        }
        let train_id = Template::parse(train_id, &ID_FIELDS).map_err(|e| ("train_id", e))?;
        Ok(Self {
            branch: branch_t,
            train_id,
        })
    }

    pub fn branch_template(&self) -> String {
        self.branch.to_string()
    }

    pub fn train_id_format(&self) -> String {
        self.train_id.to_string()
    }

    /// The train id of a train cut on `date` (the track's local date).
    pub fn train_id(&self, date: NaiveDate, track: &str) -> String {
        self.train_id.render(|field| match field {
            "year" => format!("{:04}", date.year()),
            "month" => format!("{:02}", date.month()),
            "day" => format!("{:02}", date.day()),
            "week_of_month" => ((date.day() - 1) / 7 + 1).to_string(),
            "iso_week" => format!("{:02}", date.iso_week().week()),
            _ => track.to_owned(),
        })
    }

    /// The release branch of a train of `track` cut on `date` with `version`.
    pub fn branch(&self, date: NaiveDate, track: &str, version: &semver::Version) -> String {
        let id = self.train_id(date, track);
        self.branch.render(|field| match field {
            "train_id" => id.clone(),
            "track" => track.to_owned(),
            _ => version.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::release_branch::TrainId;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    #[test]
    fn the_default_is_seed_000s_branch() {
        let date = NaiveDate::from_ymd_opt(2025, 9, 16).unwrap();
        let branch =
            BranchTemplate::default().branch(date, "weekly", &semver::Version::new(1, 2, 0));
        assert_eq!(branch, "release/2025.09-wk3");
    }

    #[test]
    fn other_templates_use_other_fields() {
        let t = BranchTemplate::parse("rel/{track}/v{version}", "{year}-w{iso_week}").unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(
            t.branch(date, "dev", &semver::Version::new(0, 5, 1)),
            "rel/dev/v0.5.1"
        );
        assert_eq!(t.train_id(date, "dev"), "2026-w01");
        assert_eq!(
            (t.branch_template(), t.train_id_format()),
            ("rel/{track}/v{version}".into(), "{year}-w{iso_week}".into())
        );
    }

    #[test]
    fn a_bad_template_names_its_field_and_the_problem() {
        let cases = [
            ("release/{train}", TRAIN_ID_FORMAT, "branch", "{train_id}"),
            ("release/x", TRAIN_ID_FORMAT, "branch", "names no field"),
            (
                "release {train_id}",
                TRAIN_ID_FORMAT,
                "branch",
                "cannot be in a branch name",
            ),
            ("release/{train_id", TRAIN_ID_FORMAT, "branch", "not closed"),
            ("/release/{train_id}", TRAIN_ID_FORMAT, "branch", "starts"),
            (BRANCH_TEMPLATE, "{year}..{month}", "train_id", "'..'"),
            (BRANCH_TEMPLATE, "{version}", "train_id", "{week_of_month}"),
        ];
        for (branch, id, field, message) in cases {
            let (f, m) = BranchTemplate::parse(branch, id).unwrap_err();
            assert_eq!(f, field, "{branch} {id}");
            assert!(m.contains(message), "{branch} {id}: {m}");
        }
    }

    proptest! {
        /// The default train id is the one seed 000's `TrainId` reads back.
        #[test]
        fn default_train_ids_read_back(days in 0i64..4000) {
            let at = Utc.with_ymd_and_hms(2024, 1, 1, 17, 0, 0).unwrap() + chrono::Duration::days(days);
            let id = BranchTemplate::default().train_id(at.date_naive(), "weekly");
            prop_assert_eq!(TrainId::parse(&id).unwrap(), TrainId::for_cut(at));
        }
    }
}
