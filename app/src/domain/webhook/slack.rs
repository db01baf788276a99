//! An event as a Slack incoming-webhook message (`{"text", "blocks"}`),
//! for subscriptions whose format is `slack`. It is rendered from the
//! Standard Webhooks body (`{type, timestamp, data}`) after its links were
//! made absolute, so the train's page is a link that works from Slack.
//!
//! The message is: a header with a one-line summary (`promotion.promoted ·
//! train backtesting-3.0 (v3.0.0-rc1) by carl`), the train with a link to
//! its page, the reason, the event's message, the participants with their
//! versions, and a context line with the event type and time; each part
//! only when the event has it.
//!
//! Slack refuses a message past its limits rather than cutting it, so the
//! limits are kept here: at most 50 blocks, 3,000 characters of section
//! text, 150 of header text and 40,000 of fallback `text`. What is too long
//! is cut with an ellipsis; a long participant list ends with "… and N
//! more". User text is escaped for mrkdwn (`&`, `<`, `>`), so a reason
//! cannot mention `<!channel>` or forge a link.

use serde_json::{json, Value};

pub const MAX_BLOCKS: usize = 50;
pub const MAX_SECTION_TEXT: usize = 3000;
pub const MAX_HEADER_TEXT: usize = 150;
pub const MAX_FALLBACK_TEXT: usize = 40_000;
/// Beyond this many participants a list is a wall, whatever its length.
const MAX_LISTED: usize = 40;
/// The longest one participant's line may be.
const MAX_LINE: usize = 200;
/// Slack's limit on a link's address.
const MAX_URL: usize = 3000;

/// The Slack message announcing `event`.
pub fn render(event: &Value) -> Value {
    let event_type = text_at(event, "/type").unwrap_or("event");
    let data = &event["data"];
    let train = data.get("train").filter(|t| t.is_object());
    let summary = summary(event_type, data);
    let reason = text_at(data, "/reason");

    let mut blocks = vec![json!({
        "type": "header",
        "text": { "type": "plain_text", "text": cut(&summary, MAX_HEADER_TEXT), "emoji": false },
    })];
    if let Some(train) = train {
        blocks.push(section(&train_line(train)));
    }
    if let Some(reason) = reason {
        blocks.push(labelled("Reason", reason));
    }
    if let Some(message) = text_at(data, "/message") {
        blocks.push(section(&escaped(message, MAX_SECTION_TEXT)));
    }
    if let Some(document) = document(data) {
        blocks.push(section(&escaped(document, MAX_SECTION_TEXT)));
    }
    if let Some(list) = train.and_then(|t| t["participants"].as_array()) {
        if !list.is_empty() {
            blocks.push(section(&participants(list)));
        }
    }
    blocks.push(json!({
        "type": "context",
        "elements": [{ "type": "mrkdwn", "text": context_line(event_type, event) }],
    }));
    blocks.truncate(MAX_BLOCKS);

    let fallback = match reason {
        Some(reason) => format!("{summary}: {reason}"),
        None => summary,
    };
    json!({ "text": escaped(&fallback, MAX_FALLBACK_TEXT), "blocks": blocks })
}

/// `promotion.promoted · train backtesting-3.0 (v3.0.0-rc1) by carl`; an
/// event without a train names its resource (`service:ledger`).
pub fn summary(event_type: &str, data: &Value) -> String {
    let subject = match data.get("train").filter(|t| t.is_object()) {
        Some(train) => {
            let name = text_at(train, "/name").unwrap_or("?");
            match text_at(train, "/tag") {
                Some(tag) => format!("train {name} ({tag})"),
                None => format!("train {name}"),
            }
        }
        None => text_at(data, "/resource").unwrap_or("Trainyard").to_owned(),
    };
    match text_at(data, "/actor") {
        Some(actor) => format!("{event_type} · {subject} by {actor}"),
        None => format!("{event_type} · {subject}"),
    }
}

/// `*Train* <https://…/trains/a|a> · tag `v1` · track prod · state validating`.
fn train_line(train: &Value) -> String {
    let name = escaped(text_at(train, "/name").unwrap_or("?"), 500);
    let linked = match text_at(train, "/url").filter(|u| is_web_link(u)) {
        Some(url) => format!("<{}|{name}>", link_address(url)),
        None => name,
    };
    let mut line = format!("*Train* {linked}");
    for (label, pointer) in [("tag", "/tag"), ("track", "/track"), ("state", "/state")] {
        if let Some(value) = text_at(train, pointer) {
            line.push_str(&format!(" · {label} `{}`", escaped(value, 200)));
        }
    }
    cut(&line, MAX_SECTION_TEXT)
}

/// The participants, one mrkdwn line each, in release order, as many as
/// fit; then how many did not.
fn participants(list: &[Value]) -> String {
    let mut text = format!("*Participants* ({})", list.len());
    // Room for the last line, whatever N is.
    let room = MAX_SECTION_TEXT - "\n… and 18446744073709551615 more".chars().count();
    let mut listed = 0;
    for participant in list.iter().take(MAX_LISTED) {
        let line = format!("\n{}", participant_line(participant));
        if text.chars().count() + line.chars().count() > room {
            break;
        }
        text.push_str(&line);
        listed += 1;
    }
    if listed < list.len() {
        text.push_str(&format!("\n… and {} more", list.len() - listed));
    }
    text
}

/// `• ledger `1.4.0` (released)`.
fn participant_line(participant: &Value) -> String {
    let service = escaped(text_at(participant, "/service").unwrap_or("?"), 100);
    let version = match text_at(participant, "/version") {
        Some(version) => format!("`{}`", escaped(version, 60)),
        None => "no version".to_owned(),
    };
    let line = match text_at(participant, "/status") {
        Some(status) => format!("• {service} {version} ({})", escaped(status, 30)),
        None => format!("• {service} {version}"),
    };
    cut(&line, MAX_LINE)
}

/// `` `promotion.promoted` · <!date^…|2026-01-05T10:00:00Z> ``: Slack shows
/// the time in the reader's own time zone, the text after `|` elsewhere.
fn context_line(event_type: &str, event: &Value) -> String {
    let kind = format!("`{}`", escaped(event_type, 100));
    let Some(at) = text_at(event, "/timestamp") else {
        return kind;
    };
    let when = match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => format!(
            "<!date^{}^{{date_short_pretty}} at {{time}}|{}>",
            t.timestamp(),
            escaped(at, 64)
        ),
        Err(_) => escaped(at, 64),
    };
    format!("{kind} · {when}")
}

fn section(mrkdwn: &str) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": mrkdwn } })
}

/// `*Label:* text`, the text escaped and cut to fit one section.
fn labelled(label: &str, raw: &str) -> Value {
    let prefix = format!("*{label}:* ");
    let room = MAX_SECTION_TEXT - prefix.chars().count();
    section(&format!("{prefix}{}", escaped(raw, room)))
}

/// A non-blank string at `pointer`, trimmed.
/// The document an event carries for people to read: the change
/// announcement of a reminder, or the text of release notes.
pub(super) fn document(data: &Value) -> Option<&str> {
    text_at(data, "/after/announcement").or_else(|| text_at(data, "/after/markdown"))
}

pub(super) fn text_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn is_web_link(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && url.len() <= MAX_URL
}

/// A URL as it may stand inside `<…|…>`.
fn link_address(url: &str) -> String {
    url.replace('|', "%7C")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// `raw` with `&`, `<` and `>` escaped as Slack's mrkdwn asks, cut to at
/// most `max` characters without splitting an escape.
fn escaped(raw: &str, max: usize) -> String {
    let piece = |c: char| match c {
        '&' => "&amp;".to_owned(),
        '<' => "&lt;".to_owned(),
        '>' => "&gt;".to_owned(),
        c => c.to_string(),
    };
    let whole: String = raw.chars().map(piece).collect();
    if whole.chars().count() <= max {
        return whole;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in raw.chars() {
        let p = piece(c);
        let n = p.chars().count();
        if used + n > max.saturating_sub(1) {
            break;
        }
        out.push_str(&p);
        used += n;
    }
    out.push('…');
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub(super) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
#[path = "slack_tests.rs"]
mod tests;
