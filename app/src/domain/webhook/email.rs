//! An event as an e-mail, for subscriptions whose format is `email`: a
//! one-line subject (the summary Slack's header shows, see
//! [`super::slack::summary`]) and a plain-text body, rendered from the
//! Standard Webhooks body after its links were made absolute, so the
//! train's page is a link a mail reader can follow.
//!
//! The body says what happened (the event type's description), then the
//! train (name, tag, track, state and its page), the reason, the event's
//! message, the participants with their versions, and last the event type,
//! its time and who made the change; each part only when the event has it.
//! Plain text needs no escaping; a subject is one line, so any control
//! character in it becomes a space.

use super::event_type::EVENT_TYPES;
use super::slack::{cut, document, summary, text_at};
use serde_json::Value;
use std::fmt::Write;

/// The longest subject: mail readers show far less, and one line of a
/// header stays well inside RFC 5322's 998 characters.
pub const MAX_SUBJECT: usize = 200;
/// Beyond this many participants the list ends with "… and N more".
const MAX_LISTED: usize = 200;
/// The most of a reason or a message that is shown.
const MAX_TEXT: usize = 4000;
/// The most of an announcement or release notes that is shown.
const MAX_DOCUMENT: usize = 100_000;

/// The subject of the e-mail announcing `event`.
pub fn subject(event: &Value) -> String {
    let event_type = text_at(event, "/type").unwrap_or("event");
    let line: String = summary(event_type, &event["data"])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cut(&line, MAX_SUBJECT)
}

/// The plain-text body of the e-mail announcing `event`.
pub fn text(event: &Value) -> String {
    let event_type = text_at(event, "/type").unwrap_or("event");
    let data = &event["data"];
    let mut out = String::new();
    let _ = writeln!(out, "{}", subject(event));
    if let Some((_, description)) = EVENT_TYPES.iter().find(|(name, _)| *name == event_type) {
        let _ = writeln!(out, "{description}");
    }
    let train = data.get("train").filter(|t| t.is_object());
    if let Some(train) = train {
        out.push('\n');
        for (label, pointer) in [
            ("Train", "/name"),
            ("Tag", "/tag"),
            ("Track", "/track"),
            ("State", "/state"),
            ("Page", "/url"),
        ] {
            if let Some(value) = text_at(train, pointer) {
                let _ = writeln!(out, "{:<8}{}", format!("{label}:"), cut(value, MAX_TEXT));
            }
        }
    } else if let Some(resource) = text_at(data, "/resource") {
        let _ = writeln!(out, "\n{:<8}{resource}", "About:");
    }
    if let Some(reason) = text_at(data, "/reason") {
        let _ = writeln!(out, "\nReason: {}", cut(reason, MAX_TEXT));
    }
    if let Some(message) = text_at(data, "/message") {
        let _ = writeln!(out, "\n{}", cut(message, MAX_TEXT));
    }
    if let Some(document) = document(data) {
        let _ = writeln!(out, "\n{}", cut(document, MAX_DOCUMENT));
    }
    if let Some(list) = train.and_then(|t| t["participants"].as_array()) {
        if !list.is_empty() {
            out.push('\n');
            out.push_str(&participants(list));
        }
    }
    out.push('\n');
    let _ = writeln!(out, "{:<8}{event_type}", "Event:");
    if let Some(at) = text_at(event, "/timestamp") {
        let _ = writeln!(out, "{:<8}{at}", "Time:");
    }
    if let Some(actor) = text_at(data, "/actor") {
        let _ = writeln!(out, "{:<8}{actor}", "By:");
    }
    out
}

/// `Participants (2):` and a line per service, in release order.
fn participants(list: &[Value]) -> String {
    let mut text = format!("Participants ({}):\n", list.len());
    for participant in list.iter().take(MAX_LISTED) {
        let service = text_at(participant, "/service").unwrap_or("?");
        let version = text_at(participant, "/version").unwrap_or("no version");
        let _ = match text_at(participant, "/status") {
            Some(status) => writeln!(text, "  - {service} {version} ({status})"),
            None => writeln!(text, "  - {service} {version}"),
        };
    }
    if list.len() > MAX_LISTED {
        let _ = writeln!(text, "  … and {} more", list.len() - MAX_LISTED);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn promoted(participants: Value) -> Value {
        json!({
            "type": "promotion.promoted",
            "timestamp": "2026-01-05T10:00:00Z",
            "data": {
                "resource": "train:backtesting-3.0",
                "actor": "carl",
                "reason": "green across the board",
                "train": {
                    "name": "backtesting-3.0",
                    "url": "https://trainyard.example/trains/backtesting-3.0",
                    "tag": "v3.0.0-rc1",
                    "track": "prod",
                    "state": "promoting",
                    "participants": participants,
                },
            },
        })
    }

    #[test]
    fn the_subject_is_the_one_line_summary() {
        let event = promoted(json!([]));
        assert_eq!(
            subject(&event),
            "promotion.promoted · train backtesting-3.0 (v3.0.0-rc1) by carl"
        );
    }

    #[test]
    fn a_subject_stays_one_short_line() {
        let mut event = promoted(json!([]));
        event["data"]["actor"] = json!(format!(
            "mallory\r\nBcc: everyone@example.com{}",
            "x".repeat(400)
        ));
        let s = subject(&event);
        assert!(!s.contains(['\r', '\n']), "{s:?}");
        assert!(s.chars().count() <= MAX_SUBJECT && s.ends_with('…'), "{s}");
    }

    #[test]
    fn the_body_says_what_happened_to_which_train_and_links_to_it() {
        let event = promoted(json!([
            { "service": "ledger", "version": "1.4.0", "status": "released" },
            { "service": "payments", "version": null },
        ]));
        let body = text(&event);
        for expected in [
            "promotion.promoted · train backtesting-3.0 (v3.0.0-rc1) by carl\n",
            "Train:  backtesting-3.0\n",
            "Tag:    v3.0.0-rc1\n",
            "Track:  prod\n",
            "State:  promoting\n",
            "Page:   https://trainyard.example/trains/backtesting-3.0\n",
            "Reason: green across the board\n",
            "Participants (2):\n  - ledger 1.4.0 (released)\n  - payments no version\n",
            "Event:  promotion.promoted\n",
            "Time:   2026-01-05T10:00:00Z\n",
            "By:     carl\n",
        ] {
            assert!(body.contains(expected), "{expected:?} in:\n{body}");
        }
        let description = EVENT_TYPES
            .iter()
            .find(|(n, _)| *n == "promotion.promoted")
            .unwrap()
            .1;
        assert!(body.contains(description), "what happened:\n{body}");
    }

    #[test]
    fn an_event_without_a_train_names_its_resource_and_message() {
        let event = json!({
            "type": "webhook.test",
            "timestamp": "2026-01-05T10:00:00Z",
            "data": { "resource": "webhook:7", "actor": "adam", "message": "A test event." },
        });
        assert_eq!(subject(&event), "webhook.test · webhook:7 by adam");
        let body = text(&event);
        assert!(body.contains("About:  webhook:7\n"), "{body}");
        assert!(body.contains("\nA test event.\n"), "{body}");
        assert!(
            !body.contains("Train:") && !body.contains("Participants"),
            "{body}"
        );
    }

    #[test]
    fn a_long_participant_list_says_how_many_were_left_out() {
        let list: Vec<Value> = (0..250)
            .map(|i| json!({ "service": format!("s-{i:03}"), "version": "1.0.0" }))
            .collect();
        let body = text(&promoted(Value::Array(list)));
        assert!(body.contains("Participants (250):"), "{body}");
        assert!(body.contains("  - s-199 1.0.0\n") && !body.contains("s-200"));
        assert!(body.contains("  … and 50 more\n"), "{body}");
    }

    #[test]
    fn an_event_missing_everything_still_renders() {
        let body = text(&json!({}));
        assert!(body.starts_with("event · Trainyard\n"), "{body}");
        assert!(body.contains("Event:  event\n"), "{body}");
    }

    #[test]
    fn a_reminder_carries_its_change_announcement() {
        let event = json!({
            "type": "train.upcoming",
            "timestamp": "2026-01-05T10:00:00Z",
            "data": {
                "resource": "train:wk1",
                "after": { "announcement": "# Change announcement: wk1\n\n## Impact\n" },
            },
        });
        assert!(
            text(&event).contains("# Change announcement: wk1\n\n## Impact"),
            "{}",
            text(&event)
        );
    }
}
