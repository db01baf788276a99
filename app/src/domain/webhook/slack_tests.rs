use super::*;

fn train_event(participants: usize) -> Value {
    let list: Vec<Value> = (0..participants)
        .map(|i| json!({ "service": format!("service-{i:03}"), "version": format!("3.0.{i}"), "status": "released" }))
        .collect();
    json!({
        "type": "promotion.promoted",
        "timestamp": "2026-01-05T10:00:00Z",
        "data": {
            "resource": "train:backtesting-3.0",
            "actor": "carl",
            "reason": "green across the board",
            "before": { "environment": "staging" },
            "after": { "environment": "production" },
            "train": {
                "name": "backtesting-3.0",
                "url": "https://trainyard.example/trains/backtesting-3.0",
                "tag": "v3.0.0-rc1",
                "track": "prod",
                "state": "promoting",
                "participants": list,
            },
        },
    })
}

/// Every text a block shows, with Slack's limit for it.
fn texts(message: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for block in message["blocks"].as_array().unwrap() {
        let kind = block["type"].as_str().unwrap().to_owned();
        if let Some(text) = block["text"]["text"].as_str() {
            out.push((kind.clone(), text.to_owned()));
        }
        for element in block["elements"].as_array().into_iter().flatten() {
            if let Some(text) = element["text"].as_str() {
                out.push((kind.clone(), text.to_owned()));
            }
        }
    }
    out
}

/// The text of the block that starts with `prefix`.
fn section_starting(message: &Value, prefix: &str) -> String {
    texts(message)
        .into_iter()
        .map(|(_, t)| t)
        .find(|t| t.starts_with(prefix))
        .unwrap_or_else(|| panic!("a block starting {prefix}: {message:#}"))
}

fn assert_within_limits(message: &Value) {
    let blocks = message["blocks"].as_array().unwrap();
    assert!(
        !blocks.is_empty() && blocks.len() <= MAX_BLOCKS,
        "{message:#}"
    );
    for (kind, text) in texts(message) {
        let limit = if kind == "header" {
            MAX_HEADER_TEXT
        } else {
            MAX_SECTION_TEXT
        };
        assert!(
            text.chars().count() <= limit,
            "{kind} of {} characters",
            text.chars().count()
        );
    }
    let fallback = message["text"].as_str().unwrap();
    assert!(!fallback.is_empty() && fallback.chars().count() <= MAX_FALLBACK_TEXT);
}

#[test]
fn a_train_with_200_participants_fits_and_says_how_many_were_left_out() {
    let message = render(&train_event(200));
    assert_within_limits(&message);
    let list = section_starting(&message, "*Participants* (200)");
    let shown = list.lines().filter(|l| l.starts_with("• ")).count();
    assert!(shown > 0 && shown < 200, "{shown} shown");
    assert!(list.contains("• service-000 `3.0.0` (released)"), "{list}");
    assert!(
        list.ends_with(&format!("… and {} more", 200 - shown)),
        "{list}"
    );
}

#[test]
fn long_participant_lines_stop_at_the_section_limit() {
    let mut event = train_event(40);
    for p in event["data"]["train"]["participants"]
        .as_array_mut()
        .unwrap()
    {
        p["service"] = json!(format!(
            "{}-{}",
            p["service"].as_str().unwrap(),
            "s".repeat(90)
        ));
    }
    let message = render(&event);
    assert_within_limits(&message);
    let list = section_starting(&message, "*Participants* (40)");
    let shown = list.lines().filter(|l| l.starts_with("• ")).count();
    assert!(shown < 40, "{shown} lines of 100 characters and more");
    assert!(
        list.ends_with(&format!("… and {} more", 40 - shown)),
        "{list}"
    );
}

#[test]
fn a_short_participant_list_is_shown_whole() {
    let message = render(&train_event(3));
    let list = section_starting(&message, "*Participants*");
    assert_eq!(list.lines().count(), 4, "{list}");
    assert!(!list.contains("more"), "{list}");
}

#[test]
fn the_summary_names_type_train_tag_and_actor() {
    let message = render(&train_event(1));
    let expected = "promotion.promoted · train backtesting-3.0 (v3.0.0-rc1) by carl";
    assert_eq!(message["blocks"][0]["type"], "header");
    assert_eq!(message["blocks"][0]["text"]["text"], expected);
    assert_eq!(
        message["text"],
        format!("{expected}: green across the board")
    );
    let all: Vec<String> = texts(&message).into_iter().map(|(_, t)| t).collect();
    assert!(
        all.iter().any(|t| t
            .contains("<https://trainyard.example/trains/backtesting-3.0|backtesting-3.0>")
            && t.contains("track `prod`")),
        "a link to the train's page: {all:#?}"
    );
    assert!(all.contains(&"*Reason:* green across the board".to_owned()));
    let context = all.last().unwrap();
    assert!(
        context.starts_with("`promotion.promoted` · <!date^1767607200^")
            && context.ends_with("|2026-01-05T10:00:00Z>"),
        "{context}"
    );
}

#[test]
fn a_service_event_without_a_train_renders() {
    let event = json!({
        "type": "service.registered",
        "timestamp": "2026-01-05T10:00:00Z",
        "data": { "resource": "service:ledger", "actor": "adam", "reason": null,
                  "before": null, "after": { "name": "ledger" } },
    });
    let message = render(&event);
    assert_within_limits(&message);
    assert_eq!(
        message["text"],
        "service.registered · service:ledger by adam"
    );
    let kinds: Vec<&str> = message["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["header", "context"],
        "no reason, no train: {message:#}"
    );
}

#[test]
fn a_test_event_shows_its_message() {
    let event = json!({
        "type": "webhook.test",
        "timestamp": "2026-01-05T10:00:00Z",
        "data": { "resource": "webhook:3", "actor": "adam", "message": "A test event" },
    });
    let all: Vec<String> = texts(&render(&event)).into_iter().map(|(_, t)| t).collect();
    assert!(all.contains(&"A test event".to_owned()), "{all:#?}");
}

#[test]
fn user_text_is_escaped_and_long_text_is_cut() {
    let mut event = train_event(0);
    event["data"]["reason"] = json!(format!("<!channel> & {}", "x".repeat(5000)));
    event["data"]["train"]["name"] = json!("n".repeat(400));
    let message = render(&event);
    assert_within_limits(&message);
    let all: Vec<String> = texts(&message).into_iter().map(|(_, t)| t).collect();
    let reason = all.iter().find(|t| t.starts_with("*Reason:*")).unwrap();
    assert!(
        reason.starts_with("*Reason:* &lt;!channel&gt; &amp; xxx") && reason.ends_with('…'),
        "{}",
        &reason[..40]
    );
    assert!(all[0].ends_with('…'), "the header is cut: {}", all[0]);
    assert!(!all.iter().any(|t| t.starts_with("*Participants*")));
}

#[test]
fn escaping_never_splits_an_entity() {
    assert_eq!(escaped("a<b", 10), "a&lt;b");
    assert_eq!(escaped("ab<<<", 6), "ab…");
    assert_eq!(escaped("ab<<<", 7), "ab&lt;…");
    assert_eq!(cut("abcdef", 4), "abc…");
}

#[test]
fn a_reminder_shows_its_announcement_within_the_section_limit() {
    let long = format!("# Change announcement\n\n{}", "- a line\n".repeat(1000));
    let event = json!({
        "type": "train.upcoming",
        "timestamp": "2026-01-05T10:00:00Z",
        "data": { "resource": "train:wk1", "after": { "announcement": long } },
    });
    let message = render(&event);
    assert!(section_starting(&message, "# Change announcement").contains("- a line"));
    assert_within_limits(&message);
}
