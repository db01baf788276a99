//! Incidents as rules: how bad one is, what a report must say, and which
//! deployments are suspects (the same service and environment, finished
//! in the day before it started).

use crate::domain::text::{LINE, URL};
use crate::models::incident::IncidentInput;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    pub const ALL: [Self; 4] = [Self::Critical, Self::High, Self::Medium, Self::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// How long before an incident a deployment that finished is a suspect.
pub const SUSPECT_WINDOW: Duration = Duration::hours(24);

/// Whether a deployment that finished at `finished` may have caused an
/// incident that started at `started`: in the day before it, not after.
pub fn is_suspect(finished: DateTime<Utc>, started: DateTime<Utc>) -> bool {
    finished <= started && started - finished <= SUSPECT_WINDOW
}

/// A report checked: also what the audit trail keeps of an incident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncidentReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub title: String,
    pub severity: Severity,
    pub services: Vec<String>,
    pub environment: String,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub review_url: Option<String>,
    pub cited_tags: Vec<String>,
}

/// The field that is wrong, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        field,
        message: message.into(),
    }
}

fn word(field: &'static str, raw: &str, max: usize) -> Result<String, Refusal> {
    let v = raw.trim();
    if v.is_empty() || v.chars().count() > max || v.chars().any(char::is_whitespace) {
        return Err(refuse(
            field,
            format!("{field} holds words of at most {max} characters, without spaces"),
        ));
    }
    Ok(v.to_owned())
}

fn address(field: &'static str, raw: Option<&str>) -> Result<Option<String>, Refusal> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(url) => {
            let url = URL.parse(url).map_err(|e| refuse(field, e.to_string()))?;
            if url.starts_with("https://") || url.starts_with("http://") {
                Ok(Some(url))
            } else {
                Err(refuse(field, format!("{field} is an http(s) address")))
            }
        }
    }
}

impl IncidentReport {
    pub fn parse(input: &IncidentInput) -> Result<Self, Refusal> {
        let title = LINE
            .parse(&input.title)
            .map_err(|e| refuse("title", e.to_string()))?;
        if title.is_empty() {
            return Err(refuse("title", "say what broke"));
        }
        if input.services.is_empty() || input.services.len() > 20 {
            return Err(refuse("services", "name 1 to 20 services the incident hit"));
        }
        let mut services = input
            .services
            .iter()
            .map(|s| word("services", s, 64))
            .collect::<Result<Vec<_>, _>>()?;
        services.sort();
        services.dedup();
        if input.resolved_at.is_some_and(|r| r < input.started_at) {
            return Err(refuse(
                "resolved_at",
                "an incident is resolved after it starts",
            ));
        }
        if input.cited_tags.len() > 20 {
            return Err(refuse("cited_tags", "a review cites at most 20 trains"));
        }
        Ok(Self {
            external_id: input
                .external_id
                .as_deref()
                .filter(|e| !e.trim().is_empty())
                .map(|e| word("external_id", e, 200))
                .transpose()?,
            title,
            severity: input.severity,
            services,
            environment: word("environment", &input.environment, 32)?,
            started_at: input.started_at,
            resolved_at: input.resolved_at,
            url: address("url", input.url.as_deref())?,
            review_url: address("review_url", input.review_url.as_deref())?,
            cited_tags: input
                .cited_tags
                .iter()
                .map(|t| word("cited_tags", t, 128))
                .collect::<Result<_, _>>()?,
        })
    }

    /// This report with the review (and the tags it cites) of the incident
    /// as stored: for a tool that reports incidents but knows nothing of
    /// the reviews people write.
    pub fn keeping_review_of(self, stored: &IncidentReport) -> Self {
        Self {
            review_url: stored.review_url.clone(),
            cited_tags: stored.cited_tags.clone(),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
    }

    fn input() -> IncidentInput {
        IncidentInput {
            external_id: Some("PD-1".into()),
            title: " Pricing errors ".into(),
            severity: Severity::High,
            services: vec!["curve".into(), "curve".into()],
            environment: "prod".into(),
            started_at: at(10),
            resolved_at: Some(at(11)),
            url: Some("https://pager.example/PD-1".into()),
            review_url: None,
            cited_tags: vec!["v2.1.0".into()],
        }
    }

    #[test]
    fn a_report_reads_as_its_fields() {
        let r = IncidentReport::parse(&input()).unwrap();
        assert_eq!(r.title, "Pricing errors");
        assert_eq!(r.services, ["curve"], "each service once");
        assert_eq!(Severity::parse("critical"), Some(Severity::Critical));
    }

    #[test]
    fn each_wrong_field_is_named() {
        let field = |f: fn(&mut IncidentInput)| {
            let mut i = input();
            f(&mut i);
            IncidentReport::parse(&i).unwrap_err().field
        };
        assert_eq!(field(|i| i.title = " ".into()), "title");
        assert_eq!(field(|i| i.services.clear()), "services");
        assert_eq!(field(|i| i.resolved_at = Some(at(9))), "resolved_at");
        assert_eq!(field(|i| i.url = Some("mailto:x".into())), "url");
        assert_eq!(field(|i| i.cited_tags = vec!["a b".into()]), "cited_tags");
    }

    #[test]
    fn a_suspect_finished_in_the_day_before_the_incident() {
        assert!(is_suspect(at(9), at(10)));
        assert!(is_suspect(at(10), at(10)));
        assert!(!is_suspect(at(11), at(10)), "after it started");
        assert!(
            !is_suspect(at(9) - Duration::days(1), at(10)),
            "too long before"
        );
    }
}
