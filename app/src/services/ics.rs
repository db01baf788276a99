//! The calendar as an iCalendar feed (`/calendar.ics`), for calendar clients
//! to subscribe to. Each recorded train keeps one UID for life, so moving or
//! skipping it updates the event instead of adding another.

use crate::domain::CalendarStatus;
use crate::error::AppError;
use crate::models::CalendarEntry;
use crate::services::actor::Actor;
use crate::services::calendar_plan::calendar_entries;
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use sqlx::PgPool;

/// How far back and ahead the feed reaches.
const PAST_DAYS: i64 = 30;
const AHEAD_WEEKS: i64 = 26;

/// The feed, optionally for one track. `base_url` is where people reach
/// Trainyard (links and the UIDs' domain).
pub async fn calendar_feed(
    pool: &PgPool,
    actor: &Actor,
    track: Option<&str>,
    base_url: &url::Url,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let entries = calendar_entries(
        pool,
        actor,
        now,
        now - Duration::days(PAST_DAYS),
        now + Duration::weeks(AHEAD_WEEKS),
    )
    .await?;
    if let Some(track) = track {
        let known = sqlx::query_scalar!("SELECT name FROM track WHERE name = $1", track)
            .fetch_optional(pool)
            .await?;
        if known.is_none() {
            return Err(AppError::NotFound(format!("track {track:?}")));
        }
    }
    let selected: Vec<&CalendarEntry> = entries
        .iter()
        .filter(|e| track.is_none_or(|t| e.track == t))
        .collect();
    Ok(to_ics(&selected, track, base_url))
}

/// The iCalendar text of `entries`.
pub fn to_ics(entries: &[&CalendarEntry], track: Option<&str>, base_url: &url::Url) -> String {
    let domain = base_url.host_str().unwrap_or("trainyard");
    let mut calendar = Calendar::new();
    calendar.name(&match track {
        Some(t) => format!("Trainyard: {t} trains"),
        None => "Trainyard: release trains".to_owned(),
    });
    for e in entries {
        let uid = match &e.train {
            Some(name) => format!("train-{name}@{domain}"),
            None => format!(
                "slot-{}-{}@{domain}",
                e.track,
                e.at.format("%Y%m%dT%H%M%SZ")
            ),
        };
        let label = e
            .tag
            .clone()
            .unwrap_or_else(|| "(planned by cadence)".to_owned());
        let mut summary = format!("{} train {label}", e.track);
        match (&e.on_call, e.status) {
            (_, CalendarStatus::Skipped) => summary.push_str(" — skipped"),
            (_, CalendarStatus::Postponed) => summary.push_str(" — postponed"),
            (Some(o), _) => summary.push_str(&format!(" (on-call @{o})")),
            (None, CalendarStatus::Open) => summary.push_str(" (no on-call yet)"),
            _ => {}
        }
        let mut description = vec![format!("Status: {}", e.status.label())];
        description.extend(e.reason.iter().map(|r| format!("Reason: {r}")));
        description.extend(e.category.iter().map(|c| format!("Category: {c}")));
        description.extend(e.release_id.iter().map(|id| format!("Train id: {id}")));
        description.extend(
            e.release_branch
                .iter()
                .map(|b| format!("Release branch: {b}")),
        );
        description.extend(e.warning.iter().cloned());
        description.push(format!(
            "Code freeze: {}",
            e.freeze_at.format("%Y-%m-%d %H:%M UTC")
        ));
        let mut event = Event::new();
        event
            .uid(&uid)
            .summary(&summary)
            .description(&description.join("\n"))
            .starts(e.at)
            .ends(e.at + Duration::hours(1))
            .status(match (e.status, &e.on_call) {
                (CalendarStatus::Skipped, _) => EventStatus::Cancelled,
                (CalendarStatus::Open, None) => EventStatus::Tentative,
                _ => EventStatus::Confirmed,
            });
        if let Some(name) = &e.train {
            if let Ok(link) = base_url.join(&format!("/trains/{name}")) {
                event.url(link.as_str());
            }
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn entry(train: Option<&str>, status: CalendarStatus, on_call: Option<&str>) -> CalendarEntry {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
        CalendarEntry {
            track: "dev".into(),
            at,
            train: train.map(str::to_owned),
            tag: train.map(str::to_owned),
            status,
            on_call: on_call.map(str::to_owned),
            reason: (status == CalendarStatus::Skipped).then(|| "chain ops re-roll".to_owned()),
            category: None,
            moved_from: None,
            warning: None,
            freeze_at: at,
            release_id: (status == CalendarStatus::Cut).then(|| "2026.11-wk4".to_owned()),
            release_branch: (status == CalendarStatus::Cut)
                .then(|| "release/2026.11-wk4".to_owned()),
            baseline: None,
            rolled_into: None,
        }
    }

    #[test]
    fn each_train_is_one_event_with_a_stable_uid_and_its_status() {
        let base = url::Url::parse("https://trainyard.example").unwrap();
        let assigned = entry(Some("v0.5.0-dev.3"), CalendarStatus::Open, Some("ana"));
        let skipped = entry(Some("v0.5.0-dev.4"), CalendarStatus::Skipped, None);
        let slot = entry(None, CalendarStatus::Open, None);
        let ics = to_ics(&[&assigned, &skipped, &slot], Some("dev"), &base);
        assert!(ics.starts_with("BEGIN:VCALENDAR"));
        assert!(ics.contains("UID:train-v0.5.0-dev.3@trainyard.example"));
        assert!(ics.contains("SUMMARY:dev train v0.5.0-dev.3 (on-call @ana)"));
        assert!(ics.contains("DTSTART:20261124T140000Z"));
        assert!(ics.contains("STATUS:CANCELLED"));
        assert!(ics.contains("UID:slot-dev-20261124T140000Z@trainyard.example"));
        assert!(ics.contains("URL:https://trainyard.example/trains/v0.5.0-dev.3"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
    }

    #[test]
    fn a_cut_train_names_its_train_id_and_release_branch() {
        let base = url::Url::parse("https://trainyard.example").unwrap();
        let cut = entry(Some("v0.5.0-dev.3"), CalendarStatus::Cut, Some("ana"));
        let ics = to_ics(&[&cut], None, &base).replace("\r\n ", "");
        assert!(ics.contains("Train id: 2026.11-wk4"), "{ics}");
        assert!(ics.contains("Release branch: release/2026.11-wk4"), "{ics}");
    }
}
