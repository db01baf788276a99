//! Keyset pagination: a page of a long list starts right after (or right
//! before) the key of a row the reader saw, so reading page 400 costs what
//! reading page 1 does — unlike `OFFSET`, which reads and throws away every
//! row before it. Keys travel in links as short text (`?after=…`).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which page of a list to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageAt<K> {
    /// The newest rows.
    First,
    /// The rows that come after this key (older).
    After(K),
    /// The rows that come before this key (newer).
    Before(K),
}

impl<K> PageAt<K> {
    /// The key the page starts from, if any, and whether the rows before it
    /// are read (in reverse) rather than the rows after it.
    pub fn key_and_direction(&self) -> (Option<&K>, bool) {
        match self {
            Self::First => (None, false),
            Self::After(k) => (Some(k), false),
            Self::Before(k) => (Some(k), true),
        }
    }
}

impl<K: KeyText> PageAt<K> {
    /// Reads the `after` / `before` query parameters (at most one of them).
    pub fn parse(after: Option<&str>, before: Option<&str>) -> Result<Self, BadCursor> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        match (given(after), given(before)) {
            (None, None) => Ok(Self::First),
            (Some(a), None) => K::parse_key(a).map(Self::After).ok_or(BadCursor("after")),
            (None, Some(b)) => K::parse_key(b).map(Self::Before).ok_or(BadCursor("before")),
            (Some(_), Some(_)) => Err(BadCursor("before")),
        }
    }
}

/// A cursor that is not one this list wrote; names the parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadCursor(pub &'static str);

impl fmt::Display for BadCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not a page position of this list (follow its Newer / Older links)",
            self.0
        )
    }
}

/// A key that can stand in a link.
pub trait KeyText: Sized {
    fn key_text(&self) -> String;
    fn parse_key(text: &str) -> Option<Self>;
}

/// A page of rows in list order, and the keys its Newer / Older links start from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLinks {
    /// `?before=` of the newer page, when there is one.
    pub newer: Option<String>,
    /// `?after=` of the older page, when there is one.
    pub older: Option<String>,
}

impl PageLinks {
    /// Trims `rows` (fetched with one row to spare, in list order, or in
    /// reverse order for `Before`) to a page and names its neighbours.
    pub fn settle<T, K: KeyText>(
        at: &PageAt<K>,
        mut rows: Vec<T>,
        per_page: usize,
        key: impl Fn(&T) -> K,
    ) -> (Vec<T>, Self) {
        let more = rows.len() > per_page;
        rows.truncate(per_page);
        if matches!(at, PageAt::Before(_)) {
            rows.reverse();
        }
        let first = rows.first().map(|r| key(r).key_text());
        let last = rows.last().map(|r| key(r).key_text());
        let (has_newer, has_older) = match at {
            PageAt::First => (false, more),
            PageAt::After(_) => (true, more),
            PageAt::Before(_) => (more, true),
        };
        let links = Self {
            newer: first.filter(|_| has_newer),
            older: last.filter(|_| has_older),
        };
        (rows, links)
    }
}

/// An id that only grows (the audit trail's records).
impl KeyText for i64 {
    fn key_text(&self) -> String {
        self.to_string()
    }

    fn parse_key(text: &str) -> Option<Self> {
        text.parse().ok().filter(|n| *n > 0)
    }
}

/// A time that may be missing (missing sorts first) and a unique name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeAndName {
    pub at: Option<DateTime<Utc>>,
    pub name: String,
}

/// A key's time, `-` for none.
fn time_text(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(
        || "-".to_owned(),
        |at| at.to_rfc3339_opts(SecondsFormat::Micros, true),
    )
}

/// `None` when the text is not a key's time.
fn parse_time(text: &str) -> Option<Option<DateTime<Utc>>> {
    match text {
        "-" => Some(None),
        t => Some(Some(
            DateTime::parse_from_rfc3339(t).ok()?.with_timezone(&Utc),
        )),
    }
}

impl KeyText for TimeAndName {
    fn key_text(&self) -> String {
        format!("{},{}", time_text(self.at), self.name)
    }

    fn parse_key(text: &str) -> Option<Self> {
        let (at, name) = text.split_once(',')?;
        (!name.is_empty()).then_some(())?;
        Some(Self {
            at: parse_time(at)?,
            name: name.to_owned(),
        })
    }
}

/// A time that may be missing (missing sorts last) and a unique id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeAndId {
    pub at: Option<DateTime<Utc>>,
    pub id: i64,
}

impl KeyText for TimeAndId {
    fn key_text(&self) -> String {
        format!("{},{}", time_text(self.at), self.id)
    }

    fn parse_key(text: &str) -> Option<Self> {
        let (at, id) = text.split_once(',')?;
        Some(Self {
            at: parse_time(at)?,
            id: id.parse().ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn keys_survive_a_link() {
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 14, 0, 0).unwrap();
        for key in [
            TimeAndName {
                at: Some(at),
                name: "v0.5.0-dev.3".into(),
            },
            TimeAndName {
                at: None,
                name: "Q4-curve-upgrade".into(),
            },
        ] {
            assert_eq!(TimeAndName::parse_key(&key.key_text()), Some(key));
        }
        let key = TimeAndId { at: None, id: 7 };
        assert_eq!(TimeAndId::parse_key(&key.key_text()), Some(key));
        assert_eq!(i64::parse_key("42"), Some(42));
    }

    #[test]
    fn a_cursor_the_list_did_not_write_names_its_parameter() {
        assert_eq!(
            PageAt::<i64>::parse(Some("x"), None),
            Err(BadCursor("after"))
        );
        assert_eq!(
            PageAt::<TimeAndName>::parse(None, Some("yesterday")),
            Err(BadCursor("before"))
        );
        assert_eq!(PageAt::<i64>::parse(Some(" "), None), Ok(PageAt::First));
    }

    #[test]
    fn the_first_page_links_only_to_older_rows_when_there_are_more() {
        let rows: Vec<i64> = (1..=4).rev().collect();
        let (page, links) = PageLinks::settle(&PageAt::First, rows, 3, |r| *r);
        assert_eq!(page, vec![4, 3, 2]);
        assert_eq!(links.newer, None);
        assert_eq!(links.older.as_deref(), Some("2"));
        let (_, links) = PageLinks::settle(&PageAt::First, vec![2_i64, 1], 3, |r| *r);
        assert_eq!(links.older, None, "nothing older");
    }

    #[test]
    fn a_page_before_a_key_comes_back_in_list_order() {
        // Fetched in reverse for `Before(5)`: 6, 7, 8 (and 9 to spare).
        let (page, links) =
            PageLinks::settle(&PageAt::Before(5_i64), vec![6_i64, 7, 8, 9], 3, |r| *r);
        assert_eq!(page, vec![8, 7, 6]);
        assert_eq!(links.newer.as_deref(), Some("8"));
        assert_eq!(links.older.as_deref(), Some("6"));
        let (_, links) = PageLinks::settle(&PageAt::Before(5_i64), vec![6_i64], 3, |r| *r);
        assert_eq!(links.newer, None, "nothing newer");
    }
}
