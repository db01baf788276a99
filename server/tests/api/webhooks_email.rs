//! A subscription in the `email` format, against a real SMTP server
//! (aiosmtpd, see `smtp_sink.rs`): each change reaches every recipient of
//! its `mailto:` URL once, as a plain-text message whose Message-ID carries
//! the delivery's webhook-id; the delivery log keeps the relay's reply code.
//! A relay's 451 is tried again, its 550 is not, and a relay that is not
//! there is a failure that says so. Without `TRAINYARD_SMTP_URL` e-mail is
//! refused, naming it; `mailto:` goes with the `email` format and only
//! with it.

use crate::api_client::{create, transition};
use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::smtp_sink::{Mail, SmtpSink};
use crate::webhooks_api::as_person;
use crate::webhooks_delivery::{delivery_when, train, with_ledger, ARRIVES, FAST, SETTLE};
use reqwest::Method;
use serde_json::{json, Value};

const RECIPIENTS: &str = "mailto:release-managers@example.com,platform-team@example.com";

/// An app whose relay is `smtp_url`, with the admin signed in.
async fn app_with_relay(smtp_url: &str) -> (TestApp, TestApp) {
    let mut vars = FAST.to_vec();
    vars.push(("TRAINYARD_SMTP_URL", smtp_url));
    let app = spawn_app_with_sign_in(&vars).await;
    with_ledger(&app).await;
    let adam = sign_in(&app, "adam").await;
    (app, adam)
}

/// POSTs a subscription of `url` in `format` to train events.
async fn subscribe(adam: &TestApp, url: &str, format: &str) -> (u16, Value) {
    let body = json!({ "url": url, "events": ["train.*"], "format": format });
    as_person(adam, Method::POST, "/api/v1/webhooks", Some(body)).await
}

fn accepted_of(mails: &[Mail], kind: &str) -> usize {
    mails
        .iter()
        .filter(|m| m.accepted() && m.event_type() == kind)
        .count()
}

#[tokio::test]
async fn each_change_is_mailed_once_to_every_recipient_with_a_link_and_its_webhook_id() {
    let sink = SmtpSink::start("accept");
    let (app, adam) = app_with_relay(&sink.url()).await;
    let (code, created) = subscribe(&adam, RECIPIENTS, "email").await;
    assert_eq!(code, 201, "{created}");
    assert_eq!(created["webhook"]["format"], "email", "{created}");
    assert_eq!(created["webhook"]["url"], RECIPIENTS, "{created}");
    let hook = created["webhook"]["id"].as_i64().unwrap_or_default();

    assert_eq!(create(&app, train("m-1")).await.0, 201);
    let (code, body) = transition(&app, "m-1", "validating").await;
    assert_eq!(code, 200, "{body}");
    sink.wait_for("m-1's creation and transition", ARRIVES, |m| {
        accepted_of(m, "train.created") >= 1 && accepted_of(m, "train.state_changed") >= 1
    })
    .await;
    tokio::time::sleep(SETTLE).await;

    let mails = sink.mails();
    let kinds: Vec<&str> = mails.iter().map(Mail::event_type).collect();
    assert_eq!(
        kinds,
        ["train.created", "train.state_changed"],
        "one message per change, in order: {mails:#?}"
    );
    let link = format!("{}/trains/m-1", app.address);
    for mail in &mails {
        assert_eq!(mail.answered, 250);
        assert_eq!(
            mail.rcpt_tos,
            ["release-managers@example.com", "platform-team@example.com"],
            "every recipient, in one transaction"
        );
        assert_eq!(
            mail.mail_from, "trainyard@127.0.0.1",
            "from the public host"
        );
        let to = mail.header("To").unwrap_or_default();
        assert!(to.contains("platform-team@example.com"), "{to}");
        let subject = mail.header("Subject").unwrap_or_default();
        assert!(
            subject.starts_with(&format!("{} · train m-1", mail.event_type())),
            "{subject}"
        );
        let body = mail.body();
        assert!(body.contains(&format!("Page:   {link}\n")), "{body}");
        assert!(body.contains("Participants (1):\n  - ledger"), "{body}");
        assert!(
            body.contains(&format!("Event:  {}\n", mail.event_type())),
            "{body}"
        );
        assert!(
            mail.header("Content-Type")
                .unwrap_or_default()
                .starts_with("text/plain"),
            "{mail:#?}"
        );
        assert_eq!(mail.header("Auto-Submitted"), Some("auto-generated"));
        assert!(
            mail.data.is_ascii(),
            "encoded for any relay (RFC 2047 subject, quoted-printable text): {}",
            mail.data
        );

        let id = mail.webhook_id();
        assert!(id.starts_with("msg_"), "{mail:#?}");
        assert_eq!(
            mail.header("Message-ID"),
            Some(format!("<{id}@127.0.0.1>").as_str()),
            "a retry is recognisable by its Message-ID"
        );
        let delivery =
            delivery_when(&adam, hook, id, ARRIVES, |d| d["status"] == "delivered").await;
        assert_eq!(delivery["last_status"], 250, "{delivery:#}");
        assert_eq!(delivery["attempts"], 1, "{delivery:#}");
        let reply = delivery["response_body"].as_str().unwrap_or_default();
        assert!(reply.contains("OK"), "the relay's reply text: {delivery:#}");
    }
    assert!(
        mails[1].body().contains("State:  validating\n"),
        "where the train went"
    );
    assert_ne!(mails[0].webhook_id(), mails[1].webhook_id());

    // A test event says what an e-mail subscription checks: that it
    // reaches its recipients (e-mails carry no signature).
    let (code, queued) = as_person(
        &adam,
        Method::POST,
        &format!("/api/v1/webhooks/{hook}/test"),
        None,
    )
    .await;
    assert!(code < 300, "{code} {queued}");
    let mails = sink
        .wait_for("the test e-mail", ARRIVES, |m| {
            m.iter().any(|m| m.event_type() == "webhook.test")
        })
        .await;
    let test = mails
        .iter()
        .find(|m| m.event_type() == "webhook.test")
        .unwrap();
    assert!(
        test.body().contains("A test e-mail from Trainyard"),
        "{}",
        test.body()
    );
    assert!(!test.body().contains("signature"), "{}", test.body());
}

#[tokio::test]
async fn a_relay_that_defers_gets_the_message_again_and_it_arrives_once() {
    let sink = SmtpSink::start("defer-once");
    let (app, adam) = app_with_relay(&sink.url()).await;
    let (code, created) = subscribe(&adam, "mailto:ops@example.com", "email").await;
    assert_eq!(code, 201, "{created}");
    let hook = created["webhook"]["id"].as_i64().unwrap_or_default();

    assert_eq!(create(&app, train("m-2")).await.0, 201);
    sink.wait_for("m-2's creation, accepted", ARRIVES, |m| {
        accepted_of(m, "train.created") >= 1
    })
    .await;
    tokio::time::sleep(SETTLE).await;

    let mails = sink.mails();
    let answers: Vec<u16> = mails.iter().map(|m| m.answered).collect();
    assert_eq!(
        answers,
        [451, 250],
        "deferred, then accepted once: {mails:#?}"
    );
    assert_eq!(
        mails[0].webhook_id(),
        mails[1].webhook_id(),
        "one event, one id"
    );
    assert_eq!(mails[0].header("Message-ID"), mails[1].header("Message-ID"));
    let delivery = delivery_when(&adam, hook, mails[0].webhook_id(), ARRIVES, |d| {
        d["status"] == "delivered"
    })
    .await;
    assert_eq!(delivery["attempts"], 2, "{delivery:#}");
    assert_eq!(delivery["last_status"], 250, "{delivery:#}");
}

#[tokio::test]
async fn a_relay_that_refuses_fails_the_delivery_without_trying_again() {
    let sink = SmtpSink::start("refuse");
    let (app, adam) = app_with_relay(&sink.url()).await;
    let (code, created) = subscribe(&adam, "mailto:ops@example.com", "email").await;
    assert_eq!(code, 201, "{created}");
    let hook = created["webhook"]["id"].as_i64().unwrap_or_default();

    assert_eq!(create(&app, train("m-3")).await.0, 201);
    let mails = sink
        .wait_for("m-3's creation", ARRIVES, |m| !m.is_empty())
        .await;
    let delivery = delivery_when(&adam, hook, mails[0].webhook_id(), ARRIVES, |d| {
        d["status"] == "failed"
    })
    .await;
    assert_eq!(delivery["attempts"], 1, "a 5xx is final: {delivery:#}");
    assert_eq!(delivery["last_status"], 550, "{delivery:#}");
    let reply = delivery["response_body"].as_str().unwrap_or_default();
    assert!(reply.contains("Relaying refused"), "{delivery:#}");
    tokio::time::sleep(SETTLE).await;
    assert_eq!(sink.mails().len(), 1, "not sent again");
}

#[tokio::test]
async fn mailto_goes_with_the_email_format_only_and_a_missing_relay_is_a_clear_failure() {
    // Nothing listens on the relay's port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let (app, adam) = app_with_relay(&format!("smtp://127.0.0.1:{port}")).await;

    for (url, format, says) in [
        (RECIPIENTS, "standard", "choose the format email"),
        (RECIPIENTS, "slack", "choose the format email"),
        ("https://hooks.example/in", "email", "mailto:"),
        ("mailto:ops@example.com,ops@", "email", "\"ops@\""),
        ("mailto:ops@example.com?subject=hi", "email", "subject"),
    ] {
        let (code, refused) = subscribe(&adam, url, format).await;
        assert_eq!(code, 422, "{url} as {format}: {refused}");
        assert_eq!(refused["error"]["field"], "url", "{refused}");
        let message = refused["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{url} as {format}: {refused}");
    }

    let (code, created) = subscribe(&adam, "mailto:ops@example.com", "email").await;
    assert_eq!(code, 201, "{created}");
    let hook = created["webhook"]["id"].as_i64().unwrap_or_default();
    assert_eq!(create(&app, train("m-4")).await.0, 201);
    let path = format!("/api/v1/webhooks/{hook}/deliveries");
    let deadline = std::time::Instant::now() + ARRIVES;
    let delivery = loop {
        let (_, log) = as_person(&adam, Method::GET, &path, None).await;
        let first = log.get(0).cloned().unwrap_or_default();
        if !first["last_error"].is_null() {
            break first;
        }
        assert!(std::time::Instant::now() < deadline, "never tried: {log:#}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let error = delivery["last_error"].as_str().unwrap_or_default();
    assert!(
        error.contains(&format!(
            "could not send through the SMTP relay 127.0.0.1:{port}"
        )),
        "{delivery:#}"
    );
    assert!(delivery["last_status"].is_null(), "{delivery:#}");
}

#[tokio::test]
async fn without_a_relay_email_is_refused_naming_trainyard_smtp_url() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let adam = sign_in(&app, "adam").await;
    let (code, refused) = subscribe(&adam, RECIPIENTS, "email").await;
    assert_eq!(code, 422, "{refused}");
    assert_eq!(refused["error"]["field"], "format", "{refused}");
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("TRAINYARD_SMTP_URL"), "{refused}");

    // The page's form says why it offers no e-mail, without JavaScript.
    let page = adam.page("/admin/webhooks").await;
    assert!(
        page.contains("E-mail is not offered: the server has no SMTP relay (TRAINYARD_SMTP_URL)."),
        "{page}"
    );
    assert!(
        page.contains("<option value=\"email\" disabled>"),
        "the option is there but cannot be chosen: {page}"
    );
}
