//! Which events a subscription receives: the types it asked for (exact
//! names, `group.*`, or `*`) and, optionally, only the trains of some
//! tracks or some trains by name.

/// What a subscription wants, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    patterns: Vec<Pattern>,
    tracks: Vec<String>,
    trains: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Pattern {
    Every,
    Group(String),
    Exact(String),
}

/// What a filter looks at in an event.
#[derive(Clone, Copy, Debug)]
pub struct EventFacts<'a> {
    pub event_type: &'a str,
    pub track: Option<&'a str>,
    pub train: Option<&'a str>,
}

impl Filter {
    /// Parses the event patterns; each must name a type Trainyard sends or
    /// a group of them, so a typo is refused rather than never matching.
    pub fn parse(
        events: &[String],
        tracks: &[String],
        trains: &[String],
    ) -> Result<Self, (&'static str, String)> {
        if events.is_empty() {
            return Err((
                "events",
                "name at least one event type (or * for every one)".to_owned(),
            ));
        }
        let patterns = events
            .iter()
            .map(|e| Pattern::parse(e.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|m| ("events", m))?;
        Ok(Self {
            patterns,
            tracks: names("tracks", tracks)?,
            trains: names("trains", trains)?,
        })
    }

    pub fn accepts(&self, event: EventFacts<'_>) -> bool {
        self.patterns.iter().any(|p| p.matches(event.event_type)) && self.reaches(event)
    }

    /// Test events go to the one subscription they are sent to, whatever it
    /// asked for.
    fn reaches(&self, event: EventFacts<'_>) -> bool {
        if event.event_type == "webhook.test" || (self.tracks.is_empty() && self.trains.is_empty())
        {
            return true;
        }
        event
            .track
            .is_some_and(|t| self.tracks.iter().any(|x| x == t))
            || event
                .train
                .is_some_and(|t| self.trains.iter().any(|x| x == t))
    }

    /// The patterns as given, normalised (trimmed, deduplicated).
    pub fn event_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.patterns.iter().map(Pattern::to_string).collect();
        names.dedup();
        names
    }

    pub fn tracks(&self) -> &[String] {
        &self.tracks
    }

    pub fn trains(&self) -> &[String] {
        &self.trains
    }
}

fn names(field: &'static str, raw: &[String]) -> Result<Vec<String>, (&'static str, String)> {
    let mut out: Vec<String> = Vec::new();
    for name in raw.iter().map(|n| n.trim()) {
        let valid = !name.is_empty()
            && name.len() <= 100
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !valid {
            return Err((
                field,
                format!("{name:?} is not a name (letters, digits, '.', '_', '-')"),
            ));
        }
        if !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
    }
    Ok(out)
}

impl Pattern {
    fn parse(raw: &str) -> Result<Self, String> {
        use super::event_type::{is_event_type, EVENT_TYPES};
        if raw == "*" {
            return Ok(Pattern::Every);
        }
        if let Some(group) = raw.strip_suffix(".*") {
            let prefix = format!("{group}.");
            return if EVENT_TYPES.iter().any(|(t, _)| t.starts_with(&prefix)) {
                Ok(Pattern::Group(prefix))
            } else {
                Err(format!("no event type starts with {prefix}"))
            };
        }
        if is_event_type(raw) {
            Ok(Pattern::Exact(raw.to_owned()))
        } else {
            Err(format!(
                "{raw:?} is not an event type; GET /api/v1/webhook-event-types lists them"
            ))
        }
    }

    fn matches(&self, event_type: &str) -> bool {
        match self {
            Pattern::Every => true,
            Pattern::Group(prefix) => event_type.starts_with(prefix.as_str()),
            Pattern::Exact(name) => name == event_type,
        }
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pattern::Every => f.write_str("*"),
            Pattern::Group(prefix) => write!(f, "{prefix}*"),
            Pattern::Exact(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(events: &[&str], tracks: &[&str], trains: &[&str]) -> Filter {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Filter::parse(&own(events), &own(tracks), &own(trains)).unwrap()
    }

    fn event<'a>(t: &'a str, track: Option<&'a str>, train: Option<&'a str>) -> EventFacts<'a> {
        EventFacts {
            event_type: t,
            track,
            train,
        }
    }

    #[test]
    fn groups_and_exact_names_match_what_they_say() {
        let f = filter(&["promotion.*", "train.cut"], &[], &[]);
        assert!(f.accepts(event("promotion.promoted", None, None)));
        assert!(f.accepts(event("train.cut", None, None)));
        assert!(!f.accepts(event("train.created", None, None)));
        assert!(filter(&["*"], &[], &[]).accepts(event("evidence.sealed", None, None)));
    }

    #[test]
    fn tracks_and_trains_limit_what_reaches_a_subscription() {
        let f = filter(&["*"], &["staging"], &["hotfix-7"]);
        assert!(f.accepts(event("train.cut", Some("staging"), Some("s-1"))));
        assert!(f.accepts(event("train.cut", Some("hotfix"), Some("hotfix-7"))));
        assert!(!f.accepts(event("train.cut", Some("dev"), Some("d-1"))));
        assert!(!f.accepts(event("service.registered", None, None)));
        assert!(f.accepts(event("webhook.test", None, None)));
    }

    #[test]
    fn typos_are_refused_naming_the_field() {
        let bad = |events: &[&str]| {
            let events: Vec<String> = events.iter().map(|s| s.to_string()).collect();
            Filter::parse(&events, &[], &[]).unwrap_err()
        };
        assert_eq!(bad(&["promotion.promotd"]).0, "events");
        assert_eq!(bad(&["nope.*"]).0, "events");
        assert_eq!(bad(&[]).0, "events");
        let err = Filter::parse(&["*".into()], &["a b".into()], &[]).unwrap_err();
        assert_eq!(err.0, "tracks");
    }
}
