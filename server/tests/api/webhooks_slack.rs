//! A subscription in the `slack` format: its endpoint (a Slack
//! incoming-webhook URL, here the tests' receiver) gets a Slack message
//! (`{"text", "blocks"}`) made from each event, still signed with the
//! Standard Webhooks headers; a format Trainyard does not know is refused,
//! naming `format` (by the API's schema check, 400, or by the service
//! behind the page's form, 422).

use crate::api_client::{create, error_code, transition};
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhook_receiver::{verify, Receiver};
use crate::webhooks_api::as_person;
use crate::webhooks_delivery::{train, with_ledger, ARRIVES, FAST};
use reqwest::Method;
use serde_json::{json, Value};

/// Every text a Slack message's blocks show, one string.
fn shown(message: &Value) -> String {
    message["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| format!("{} {}", b["text"]["text"], b["elements"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_slack_subscription_receives_a_signed_slack_message_for_a_train_change() {
    let app = spawn_app_with_sign_in(&FAST).await;
    with_ledger(&app).await;
    let adam = sign_in(&app, "adam").await;
    let endpoint = Receiver::start();
    let (code, created) = as_person(
        &adam,
        Method::POST,
        "/api/v1/webhooks",
        Some(json!({
            "url": endpoint.url("/slack"),
            "events": ["train.*"],
            "format": "slack",
        })),
    )
    .await;
    assert_eq!(code, 201, "{created}");
    assert_eq!(created["webhook"]["format"], "slack", "{created}");
    let secret = created["secret"].as_str().unwrap_or_default().to_owned();

    assert_eq!(create(&app, train("s-1")).await.0, 201);
    let (code, body) = transition(&app, "s-1", "validating").await;
    assert_eq!(code, 200, "{body}");
    let received = endpoint
        .wait_for("two Slack messages", ARRIVES, |r| {
            r.iter()
                .filter(|r| r.path == "/slack" && r.succeeded())
                .count()
                >= 2
        })
        .await;

    let messages: Vec<_> = received.iter().filter(|r| r.path == "/slack").collect();
    for r in &messages {
        verify(&secret, r).unwrap_or_else(|e| panic!("a Slack message is signed too: {e}"));
        assert!(r.webhook_id().starts_with("msg_"), "{}", r.webhook_id());
        let message = r.json();
        let text = message["text"].as_str().unwrap_or_default();
        assert!(text.contains("train s-1"), "the fallback text: {message:#}");
        let blocks = message["blocks"].as_array().cloned().unwrap_or_default();
        assert!(
            !blocks.is_empty() && blocks.len() <= 50,
            "blocks: {message:#}"
        );
        assert_eq!(blocks[0]["type"], "header", "{message:#}");
        assert!(
            message.get("data").is_none() && message.get("type").is_none(),
            "a Slack message, not the standard body: {message:#}"
        );
        let all = shown(&message);
        assert!(
            all.contains("<http") && all.contains("/trains/s-1|s-1>"),
            "an absolute link to the train's page: {all}"
        );
        assert!(all.contains("ledger"), "its participants: {all}");
    }
    let texts: Vec<String> = messages
        .iter()
        .map(|r| r.json()["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        texts[0].starts_with("train.created · train s-1")
            && texts[1].starts_with("train.state_changed · train s-1"),
        "in order, each naming its event: {texts:#?}"
    );
    assert!(
        shown(&messages[1].json()).contains("state `validating`"),
        "where the train went"
    );
}

#[tokio::test]
async fn a_webhook_is_standard_by_default_and_refuses_a_format_it_does_not_know() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let adam = sign_in(&app, "adam").await;
    let hook = |format: Option<&str>| {
        let mut body = json!({ "url": "https://hooks.example/chat", "events": ["*"] });
        if let Some(format) = format {
            body["format"] = json!(format);
        }
        body
    };
    // The API's document lists the two formats, so its schema check
    // refuses any other before the service sees it.
    let (code, answer) = as_person(
        &adam,
        Method::POST,
        "/api/v1/webhooks",
        Some(hook(Some("teams"))),
    )
    .await;
    assert_eq!(code, 400, "{answer}");
    assert_eq!(error_code(&answer), "bad_request", "{answer}");
    assert_eq!(answer["error"]["field"], "format", "{answer}");
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("teams") && message.contains("slack"),
        "what it got and what it takes: {answer}"
    );
    // The page's form has no such check: the service refuses it.
    let response = adam
        .request(Method::POST, "/sfn/admin/webhooks/create")
        .header("origin", &adam.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("url=https%3A%2F%2Fhooks.example%2Fchat&events=*&enabled=on&format=teams")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 422);
    let refused: Value = response.json().await.expect("the refusal");
    assert_eq!(
        refused["Unprocessable"]["field"], "format",
        "named for the form: {refused}"
    );

    let (code, created) =
        as_person(&adam, Method::POST, "/api/v1/webhooks", Some(hook(None))).await;
    assert_eq!(code, 201, "{created}");
    assert_eq!(created["webhook"]["format"], "standard", "{created}");
    let one = format!("/api/v1/webhooks/{}", created["webhook"]["id"]);
    let (code, saved) = as_person(&adam, Method::PUT, &one, Some(hook(Some("slack")))).await;
    assert_eq!((code, &saved["format"]), (200, &json!("slack")), "{saved}");
    let (code, refused) = as_person(&adam, Method::PUT, &one, Some(hook(Some("")))).await;
    assert_eq!(
        (code, &refused["error"]["field"]),
        (400, &json!("format")),
        "{refused}"
    );
    let (_, read) = as_person(&adam, Method::GET, &one, None).await;
    assert_eq!(read["format"], "slack", "unchanged by the refusal: {read}");

    // The pages say so, without JavaScript.
    let list = adam.page("/admin/webhooks").await;
    assert!(
        list.contains("<td class=\"px-3 py-2\">Slack message</td>"),
        "{list}"
    );
    let settings = adam
        .page(&format!("/admin/webhooks/{}", created["webhook"]["id"]))
        .await;
    assert!(
        settings.contains("<option value=\"slack\" selected>Slack message</option>"),
        "the settings form keeps the format: {settings}"
    );
}
