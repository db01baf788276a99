//! The REST API of outgoing webhooks: only an admin's session manages
//! subscriptions (a CI token may not point the organisation's events
//! elsewhere); a subscription's secret is shown once, when it is made or
//! rotated, and never again, not even in the audit trail; a destination is
//! an http(s) URL the deployment's allow-list accepts; and the published
//! event types each come with a JSON Schema a receiver can check against.

use crate::api_client::error_code;
use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use crate::webhook_receiver::key_of;
use reqwest::Method;
use serde_json::{json, Value};

/// A request as a signed-in person's browser sends it (writes carry the
/// app's own origin).
pub async fn as_person(
    who: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = who.request(method, path).header("origin", &who.address);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("a response");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn hook(url: &str) -> Value {
    json!({ "url": url, "description": "deploy bot", "events": ["train.*", "promotion.promoted"] })
}

/// A subscription as shown, without its times (a write's answer and a
/// later read may round them differently).
fn essentials(view: &Value) -> Value {
    let mut view = view.clone();
    if let Some(fields) = view.as_object_mut() {
        fields
            .retain(|k, _| !k.ends_with("_at") && !k.ends_with("_since") && k != "rotating_until");
    }
    view
}

/// (action, reason, actor) of every record about a subscription.
async fn webhook_trail(app: &TestApp) -> Vec<(String, Option<String>, String)> {
    sqlx::query_as(
        "SELECT action, reason, actor FROM audit_record
         WHERE action LIKE 'webhook.%' ORDER BY audit_record_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn only_an_admins_session_manages_webhooks() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let adam = sign_in(&app, "adam").await;
    let val = sign_in(&app, "val").await;
    let (code, created) = as_person(
        &adam,
        Method::POST,
        "/api/v1/webhooks",
        Some(hook("https://hooks.example/a")),
    )
    .await;
    assert_eq!(code, 201, "{created}");
    let id = &created["webhook"]["id"];

    let anonymous = app.anonymous();
    for (method, path, body) in [
        (Method::GET, "/api/v1/webhooks".to_owned(), None),
        (
            Method::POST,
            "/api/v1/webhooks".to_owned(),
            Some(hook("https://hooks.example/b")),
        ),
        (Method::GET, format!("/api/v1/webhooks/{id}"), None),
        (
            Method::PUT,
            format!("/api/v1/webhooks/{id}"),
            Some(hook("https://evil.example/")),
        ),
        (
            Method::POST,
            format!("/api/v1/webhooks/{id}/secret"),
            Some(json!({})),
        ),
        (
            Method::GET,
            format!("/api/v1/webhooks/{id}/deliveries"),
            None,
        ),
        (Method::POST, format!("/api/v1/webhooks/{id}/test"), None),
        (
            Method::DELETE,
            format!("/api/v1/webhooks/{id}?reason=mine"),
            None,
        ),
    ] {
        let (code, answer) = as_person(&anonymous, method.clone(), &path, body.clone()).await;
        assert_eq!(code, 401, "anonymous {method} {path}: {answer}");
        // The tests' CI token holds every train scope, and still may not.
        let (code, answer) = app.api(method.clone(), &path, body.clone()).await;
        assert_eq!(code, 403, "bearer {method} {path}: {answer}");
        let (code, answer) = as_person(&val, method.clone(), &path, body).await;
        assert_eq!(code, 403, "viewer {method} {path}: {answer}");
    }
    let (code, listed) = as_person(&adam, Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(code, 200, "{listed}");
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(
        listed[0]["url"], "https://hooks.example/a",
        "untouched: {listed}"
    );
    assert_eq!(webhook_trail(&app).await.len(), 1, "only adam's creation");
}

#[tokio::test]
async fn an_admin_creates_updates_rotates_and_deletes_a_webhook_and_its_secret_is_shown_once() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let adam = sign_in(&app, "adam").await;
    let (code, created) = as_person(
        &adam,
        Method::POST,
        "/api/v1/webhooks",
        Some(hook("https://hooks.example/deploy")),
    )
    .await;
    assert_eq!(code, 201, "{created}");
    let secret = created["secret"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        key_of(&secret).len(),
        24,
        "whsec_ and 24 random bytes: {secret}"
    );
    let view = &created["webhook"];
    assert_eq!(view["url"], "https://hooks.example/deploy");
    assert_eq!(view["description"], "deploy bot");
    assert_eq!(view["events"], json!(["train.*", "promotion.promoted"]));
    assert_eq!((&view["tracks"], &view["trains"]), (&json!([]), &json!([])));
    assert_eq!(view["enabled"], true, "on unless said otherwise: {view}");
    assert_eq!(view["created_by"], "adam", "{view}");
    let id = view["id"].as_i64().expect("a numeric id");
    let one = format!("/api/v1/webhooks/{id}");

    let never_shown = |what: &str, text: String| {
        assert!(
            !text.contains(&secret[6..]) && !text.contains("whsec_"),
            "{what} shows the secret: {text}"
        );
    };
    let (code, listed) = as_person(&adam, Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(code, 200);
    assert_eq!(listed[0]["id"], id, "{listed}");
    never_shown("the list", listed.to_string());
    let (code, fetched) = as_person(&adam, Method::GET, &one, None).await;
    assert_eq!(code, 200);
    assert_eq!(essentials(&fetched), essentials(view));
    never_shown("the subscription", fetched.to_string());

    let mut changed = hook("https://hooks.example/deploy-v2");
    changed["description"] = json!("deploy bot v2");
    changed["events"] = json!(["promotion.*"]);
    changed["enabled"] = json!(false);
    let (code, updated) = as_person(&adam, Method::PUT, &one, Some(changed)).await;
    assert_eq!(code, 200, "{updated}");
    assert_eq!(updated["url"], "https://hooks.example/deploy-v2");
    assert_eq!(updated["events"], json!(["promotion.*"]));
    assert_eq!(updated["enabled"], false);
    never_shown("the update", updated.to_string());
    let (_, fetched) = as_person(&adam, Method::GET, &one, None).await;
    assert_eq!(essentials(&fetched), essentials(&updated));

    let (code, rotated) = as_person(
        &adam,
        Method::POST,
        &format!("{one}/secret"),
        Some(json!({ "grace_hours": 24 })),
    )
    .await;
    assert_eq!(code, 200, "{rotated}");
    let new_secret = rotated["secret"].as_str().unwrap_or_default().to_owned();
    assert_eq!(key_of(&new_secret).len(), 24, "{rotated}");
    assert_ne!(new_secret, secret);
    let expires = rotated["previous_expires_at"].as_str().unwrap_or_default();
    let expires = chrono::DateTime::parse_from_rfc3339(expires)
        .unwrap_or_else(|e| panic!("previous_expires_at is a time: {e} in {rotated}"));
    let grace = expires.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!(grace > chrono::Duration::hours(23), "{grace}");
    let (_, fetched) = as_person(&adam, Method::GET, &one, None).await;
    assert!(!fetched["rotating_until"].is_null(), "{fetched}");
    assert!(!fetched.to_string().contains(&new_secret[6..]), "{fetched}");

    let (code, gone) = as_person(
        &adam,
        Method::DELETE,
        &format!("{one}?reason=replaced%20by%20the%20new%20bot"),
        None,
    )
    .await;
    assert_eq!(code, 204, "{gone}");
    assert_eq!(as_person(&adam, Method::GET, &one, None).await.0, 404);
    let (_, listed) = as_person(&adam, Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(listed, json!([]));

    let trail = webhook_trail(&app).await;
    let actions: std::collections::BTreeSet<&str> =
        trail.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(trail.len(), 4, "create, update, rotate, delete: {trail:?}");
    assert_eq!(actions.len(), 4, "each its own action: {trail:?}");
    assert!(
        trail.iter().all(|(_, _, actor)| actor == "adam"),
        "{trail:?}"
    );
    assert_eq!(
        trail[3].1.as_deref(),
        Some("replaced by the new bot"),
        "{trail:?}"
    );
    let leaks: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_record
         WHERE strpos(coalesce(before::text, '') || coalesce(after::text, ''), $1) > 0
            OR strpos(coalesce(before::text, '') || coalesce(after::text, ''), $2) > 0",
    )
    .bind(&secret[6..])
    .bind(&new_secret[6..])
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(leaks, 0, "the audit trail holds a secret");
}

#[tokio::test]
async fn a_webhook_needs_an_http_url_and_known_event_types() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let adam = sign_in(&app, "adam").await;
    let with = |url: &str, events: Value| json!({ "url": url, "description": "deploy bot", "events": events });
    for (body, field) in [
        (with("ftp://x", json!(["*"])), "url"),
        (with("https://hooks.example/a", json!(["nope.*"])), "events"),
        (
            with("https://hooks.example/a", json!(["train.nope"])),
            "events",
        ),
    ] {
        let (code, answer) =
            as_person(&adam, Method::POST, "/api/v1/webhooks", Some(body.clone())).await;
        assert_eq!(code, 422, "{body}: {answer}");
        assert_eq!(error_code(&answer), "unprocessable", "{answer}");
        assert_eq!(answer["error"]["field"], field, "{body}: {answer}");
        assert!(!answer["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .is_empty());
    }
    let (code, created) = as_person(
        &adam,
        Method::POST,
        "/api/v1/webhooks",
        Some(with("http://hooks.example/a", json!(["promotion.*"]))),
    )
    .await;
    assert_eq!(code, 201, "{created}");
    let one = format!("/api/v1/webhooks/{}", created["webhook"]["id"]);
    let (code, answer) = as_person(
        &adam,
        Method::PUT,
        &one,
        Some(with("ftp://x", json!(["*"]))),
    )
    .await;
    assert_eq!(
        (code, &answer["error"]["field"]),
        (422, &json!("url")),
        "{answer}"
    );
    let (_, listed) = as_person(&adam, Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["url"], "http://hooks.example/a", "{listed}");
}

/// The body's other fields have defaults: no description, every track and
/// train, enabled.
#[tokio::test]
async fn a_webhook_needs_only_a_url_and_its_event_types() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let adam = sign_in(&app, "adam").await;
    let (code, created) = as_person(
        &adam,
        Method::POST,
        "/api/v1/webhooks",
        Some(json!({ "url": "https://hooks.example/min", "events": ["*"] })),
    )
    .await;
    assert_eq!(code, 201, "{created}");
    let view = &created["webhook"];
    assert_eq!(view["description"], "", "{view}");
    assert_eq!((&view["tracks"], &view["trains"]), (&json!([]), &json!([])));
    assert_eq!(view["enabled"], true, "{view}");
}

#[tokio::test]
async fn the_allow_list_decides_where_a_webhook_may_point() {
    let fenced = spawn_app_with_sign_in(&[
        ("TRAINYARD_DEMO", "0"),
        ("TRAINYARD_WEBHOOK_ALLOW", "10.0.0.0/8"),
    ])
    .await;
    let adam = sign_in(&fenced, "adam").await;
    let post = |who: TestApp, url: &'static str| async move {
        as_person(&who, Method::POST, "/api/v1/webhooks", Some(hook(url))).await
    };
    let (code, answer) = post(adam.clone(), "http://127.0.0.1:9/").await;
    assert_eq!(code, 422, "{answer}");
    assert_eq!(answer["error"]["field"], "url", "{answer}");
    let (code, answer) = post(adam, "http://10.1.2.3:8080/hook").await;
    assert_eq!(code, 201, "inside the allowed network: {answer}");

    let local = spawn_app_with_sign_in(&[
        ("TRAINYARD_DEMO", "0"),
        ("TRAINYARD_WEBHOOK_ALLOW", "127.0.0.1"),
    ])
    .await;
    let adam = sign_in(&local, "adam").await;
    let (code, answer) = post(adam, "http://127.0.0.1:9/").await;
    assert_eq!(code, 201, "{answer}");
}

#[tokio::test]
async fn every_event_type_is_published_with_a_json_schema() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_DEMO", "0")]).await;
    let adam = sign_in(&app, "adam").await;
    let (code, listed) = as_person(&adam, Method::GET, "/api/v1/webhook-event-types", None).await;
    assert_eq!(code, 200, "{listed}");
    let types = listed.as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = types.iter().filter_map(|t| t["type"].as_str()).collect();
    for expected in [
        "train.created",
        "train.state_changed",
        "train.edited",
        "train.deleted",
        "gate.results_recorded",
        "promotion.requested",
        "promotion.approved",
        "promotion.promoted",
        "train.cut",
        "service.registered",
        "webhook.test",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    assert!(
        names.iter().all(|n| ["auth.", "token.", "session.", "sign"]
            .iter()
            .all(|p| !n.starts_with(p))),
        "sign-ins and tokens are not sent: {names:?}"
    );
    let promoted = types
        .iter()
        .find(|t| t["type"] == "promotion.promoted")
        .unwrap();
    assert_eq!(
        promoted["schema"], "/api/v1/webhook-event-types/promotion.promoted/schema",
        "{promoted}"
    );
    for kind in &types {
        assert!(
            !kind["description"].as_str().unwrap_or_default().is_empty(),
            "{kind}"
        );
        let path = kind["schema"].as_str().unwrap_or_default();
        let (code, schema) = as_person(&adam, Method::GET, path, None).await;
        assert_eq!(code, 200, "{path}: {schema}");
        let dialect = schema["$schema"].as_str().unwrap_or_default();
        assert!(dialect.contains("2020-12"), "{path}: {schema}");
        let _compiled = jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|e| panic!("{path} compiles: {e}"));
    }
}
