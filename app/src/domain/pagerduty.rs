//! A PagerDuty V3 webhook event read as an incident report: its id (as
//! `pagerduty:<id>`), title, severity from its priority or urgency, when it
//! started and, once resolved, when that was.

use crate::domain::incident::Severity;
use crate::models::pagerduty::{PagerDutyEvent, PagerDutyIncident, PagerDutyRoute};
use chrono::{DateTime, Utc};

/// A title longer than an incident's is cut to this many characters.
const MAX_TITLE: usize = 500;

/// What a PagerDuty event says of its incident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagedIncident {
    pub external_id: String,
    pub title: String,
    pub severity: Severity,
    /// PagerDuty's service, to find in the catalog.
    pub service: Option<String>,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
}

/// Where a paged incident is filed: the environment the webhook's address
/// names, or else the one production environment; the service the address
/// names, or else the catalog's service named like PagerDuty's. `Err`
/// names the field to set and why.
pub fn file_under(
    route: &PagerDutyRoute,
    production: &[String],
    named_like: Option<String>,
    paged_service: Option<&str>,
) -> Result<(String, String), (&'static str, String)> {
    let environment = match (&route.environment, production) {
        (Some(named), _) => named.clone(),
        (None, [only]) => only.clone(),
        (None, _) => {
            return Err((
                "environment",
                "name the environment in the webhook's address (?environment=…): there is not \
                 exactly one production environment to take"
                    .into(),
            ))
        }
    };
    let service = match (&route.service, named_like) {
        (Some(named), _) => named.clone(),
        (None, Some(found)) => found,
        (None, None) => {
            return Err((
                "service",
                format!(
                    "the PagerDuty service {:?} is no service of the catalog; name one in the \
                     webhook's address (?service=…)",
                    paged_service.unwrap_or_default()
                ),
            ))
        }
    };
    Ok((environment, service))
}

/// The incident an `incident.*` event is about; `Err` says why any other
/// event (`pagey.ping`, a service's) is let go.
pub fn read_event(event: &PagerDutyEvent) -> Result<PagedIncident, String> {
    let data = match (&event.data, event.event_type.starts_with("incident.")) {
        (Some(data), true) => data,
        _ => return Err(format!("{} is not about an incident", event.event_type)),
    };
    let resolved =
        data.status.as_deref() == Some("resolved") || event.event_type == "incident.resolved";
    Ok(PagedIncident {
        external_id: format!("pagerduty:{}", data.id.trim()),
        title: title_of(data),
        severity: severity_of(data),
        service: data
            .service
            .as_ref()
            .and_then(|s| s.summary.clone())
            .filter(|s| !s.trim().is_empty()),
        started_at: data.created_at.unwrap_or(event.occurred_at),
        resolved_at: resolved.then_some(event.occurred_at),
        url: data.html_url.clone().filter(|u| u.starts_with("http")),
    })
}

fn title_of(data: &PagerDutyIncident) -> String {
    let title: String = data
        .title
        .as_deref()
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let title = title.trim();
    if title.is_empty() {
        format!("PagerDuty incident {}", data.id.trim())
    } else {
        title.chars().take(MAX_TITLE).collect()
    }
}

/// P1 is critical, P2 high, P3 medium, P4 and below low; without a
/// priority, the urgency (high or low); medium when neither says.
fn severity_of(data: &PagerDutyIncident) -> Severity {
    let priority = data.priority.as_ref().and_then(|p| p.summary.as_deref());
    match priority.map(str::trim) {
        Some("P1") => Severity::Critical,
        Some("P2") => Severity::High,
        Some("P3") => Severity::Medium,
        Some(p) if p.starts_with('P') => Severity::Low,
        _ => match data.urgency.as_deref() {
            Some("high") => Severity::High,
            Some("low") => Severity::Low,
            _ => Severity::Medium,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::pagerduty::PagerDutyWebhook;

    fn event(json: serde_json::Value) -> PagerDutyEvent {
        serde_json::from_value::<PagerDutyWebhook>(json)
            .unwrap()
            .event
    }

    /// PagerDuty's own example of an `incident.resolved` event, trimmed.
    fn resolved() -> serde_json::Value {
        serde_json::json!({ "event": {
            "id": "01BRUMNUFMXQS8FXVSRAGT1XAP", "event_type": "incident.resolved",
            "resource_type": "incident", "occurred_at": "2020-10-02T18:45:22.169Z",
            "agent": { "type": "user_reference" },
            "data": { "id": "PGR0VU2", "type": "incident", "number": 2,
                "title": "A little bump in the road", "status": "resolved",
                "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
                "created_at": "2020-04-09T15:16:27Z", "urgency": "high",
                "service": { "id": "PF9KMXH", "summary": "API Service", "type": "service_reference" },
                "priority": { "id": "PSO75BM", "summary": "P1", "type": "priority_reference" } } } })
    }

    #[test]
    fn a_resolved_event_is_the_incident_with_its_end() {
        let paged = read_event(&event(resolved())).unwrap();
        assert_eq!(paged.external_id, "pagerduty:PGR0VU2");
        assert_eq!(paged.title, "A little bump in the road");
        assert_eq!(paged.severity, Severity::Critical);
        assert_eq!(paged.service.as_deref(), Some("API Service"));
        assert_eq!(paged.started_at.to_rfc3339(), "2020-04-09T15:16:27+00:00");
        assert!(paged.resolved_at.is_some());
    }

    #[test]
    fn without_a_priority_the_urgency_decides_and_a_trigger_is_open() {
        let mut json = resolved();
        json["event"]["event_type"] = "incident.triggered".into();
        json["event"]["data"]["status"] = "triggered".into();
        json["event"]["data"]["priority"] = serde_json::Value::Null;
        json["event"]["data"]["urgency"] = "low".into();
        let paged = read_event(&event(json)).unwrap();
        assert_eq!((paged.severity, paged.resolved_at), (Severity::Low, None));
    }

    #[test]
    fn the_address_names_where_it_goes_else_the_one_production_environment() {
        let route = PagerDutyRoute::default();
        let prod = ["live".to_owned()];
        assert_eq!(
            file_under(&route, &prod, Some("ledger".into()), Some("Ledger")),
            Ok(("live".into(), "ledger".into()))
        );
        let two = ["eu".to_owned(), "us".to_owned()];
        assert_eq!(
            file_under(&route, &two, Some("ledger".into()), None)
                .unwrap_err()
                .0,
            "environment"
        );
        assert_eq!(
            file_under(&route, &prod, None, Some("Billing"))
                .unwrap_err()
                .0,
            "service"
        );
        let named = PagerDutyRoute {
            environment: Some("eu".into()),
            service: Some("api".into()),
        };
        assert_eq!(
            file_under(&named, &two, None, None),
            Ok(("eu".into(), "api".into()))
        );
    }

    #[test]
    fn a_ping_is_let_go_and_an_empty_title_is_named_by_its_id() {
        let ping = serde_json::json!({ "event": {
            "event_type": "pagey.ping", "occurred_at": "2020-10-02T18:45:22Z" } });
        assert!(read_event(&event(ping)).unwrap_err().contains("pagey.ping"));
        let mut json = resolved();
        json["event"]["data"]["title"] = " \n".into();
        assert_eq!(
            read_event(&event(json)).unwrap().title,
            "PagerDuty incident PGR0VU2"
        );
    }
}
