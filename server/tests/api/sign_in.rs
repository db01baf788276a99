//! Signing in through the real development provider, sessions, cross-site
//! writes, and CI tokens.

use crate::api_client::error_code;
use crate::helpers::spawn_app;
use crate::oidc::{sign_in, spawn_app_with_sign_in, try_sign_in};
use app::services::actor::Actor;
use reqwest::Method;
use serde_json::json;

async fn actions_of(
    pool: &sqlx::PgPool,
    action: &str,
) -> Vec<(String, Vec<String>, Option<String>)> {
    sqlx::query_as::<_, (String, Vec<String>, Option<String>)>(
        "SELECT actor, actor_roles, user_agent FROM audit_record WHERE action = $1 ORDER BY audit_record_id",
    )
    .bind(action)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn two_people_sign_in_with_their_own_roles_and_sign_out() {
    let app = spawn_app_with_sign_in(&[]).await;
    let carl = sign_in(&app, "carl").await;
    let ana = sign_in(&app, "ana").await;
    let header = carl.page("/").await;
    assert!(
        header.contains("Carl Captain"),
        "the header names the signed-in user"
    );
    assert!(header.contains("captain"));
    let header = ana.page("/").await;
    assert!(header.contains("Ana Approver"));
    assert!(header.contains("approver:prod, approver:stage"));
    let logins = actions_of(&app.pool, "auth.login").await;
    assert_eq!(
        logins
            .iter()
            .map(|l| (l.0.as_str(), l.1.join(",")))
            .collect::<Vec<_>>(),
        [
            ("carl", "captain".to_owned()),
            ("ana", "approver:prod,approver:stage".to_owned())
        ]
    );

    let out = carl
        .request(Method::POST, "/auth/logout")
        .header("origin", &app.address)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let location = out.headers()["location"].to_str().unwrap();
    assert!(
        location.contains("/session/end") && location.contains("id_token_hint"),
        "RP-initiated logout: {location}"
    );
    assert_eq!(actions_of(&app.pool, "auth.logout").await.len(), 1);
    assert!(
        !carl.page("/").await.contains("Carl Captain"),
        "the session has ended"
    );
}

#[tokio::test]
async fn a_wrong_password_does_not_sign_in() {
    let app = spawn_app_with_sign_in(&[]).await;
    let Err(page) = try_sign_in(&app, "carl", "not-his-password").await else {
        panic!("a wrong password signed in");
    };
    assert!(page.contains("Invalid username or password"), "{page}");
}

#[tokio::test]
async fn people_without_a_role_are_viewers_or_turned_away_by_configuration() {
    let app = spawn_app_with_sign_in(&[]).await;
    let nina = sign_in(&app, "nina").await;
    assert!(nina.page("/").await.contains("viewer"));
    let strict = spawn_app_with_sign_in(&[("TRAINYARD_UNMAPPED_USERS", "refuse")]).await;
    let Err(page) = try_sign_in(&strict, "nina", "nina-pass").await else {
        panic!("nina was let in");
    };
    assert!(page.contains("no Trainyard role"), "{page}");
    assert_eq!(
        actions_of(&strict.pool, "auth.login_refused").await.len(),
        1
    );
}

#[tokio::test]
async fn a_cross_site_write_with_the_session_cookie_is_refused() {
    let app = spawn_app_with_sign_in(&[]).await;
    let carl = sign_in(&app, "carl").await;
    let body = json!({ "status": "deploying", "version": "1.0.0" });
    for origin in [Some("http://evil.example"), None] {
        let mut request = carl
            .request(Method::PUT, "/api/v1/services/scenario/status")
            .json(&body);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "origin {origin:?}");
        let text = response.text().await.unwrap();
        assert!(text.contains("cross-site request refused"), "{text}");
    }
    let same_site = carl
        .request(Method::PUT, "/api/v1/services/scenario/status")
        .header("origin", &app.address)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        same_site.status(),
        200,
        "the same write from the app's own origin passes"
    );
}

#[tokio::test]
async fn an_expired_session_is_refused() {
    let app = spawn_app_with_sign_in(&[("TRAINYARD_SESSION_MAX", "2s")]).await;
    let carl = sign_in(&app, "carl").await;
    let write = || {
        carl.request(Method::PUT, "/api/v1/services/scenario/status")
            .header("origin", &app.address)
            .json(&json!({ "status": "deploying", "version": "1.0.0" }))
            .send()
    };
    assert_eq!(write().await.unwrap().status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let response = write().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "unauthenticated");
}

#[tokio::test]
async fn writes_without_a_token_or_session_get_401_in_json() {
    let app = spawn_app(&[]).await;
    let (code, body) = app
        .anonymous()
        .api(
            Method::POST,
            "/api/v1/release-trains/Q4-curve-upgrade/gate-results",
            Some(json!({ "results": [{ "participant": "curve", "gate": "quality_score", "value": 90 }] })),
        )
        .await;
    assert_eq!(code, 401, "{body}");
    assert_eq!(error_code(&body), "unauthenticated");
    let (code, body) = app
        .with_bearer("tyd_not-a-real-token")
        .api(Method::GET, "/api/v1/release-trains", None)
        .await;
    assert_eq!(
        code, 401,
        "an unknown token is refused even for reads: {body}"
    );
}

#[tokio::test]
async fn a_revoked_or_expired_token_is_refused_and_only_a_hash_is_stored() {
    let app = spawn_app(&[]).await;
    let now = chrono::Utc::now();
    let system = Actor::new("test");
    let created = app::services::tokens::create_token(
        &app.pool,
        &system,
        "ci-main",
        "gates:write",
        "",
        "",
        None,
        now,
    )
    .await
    .unwrap();
    let report =
        json!({ "results": [{ "participant": "curve", "gate": "quality_score", "value": 90 }] });
    let path = "/api/v1/release-trains/Q4-curve-upgrade/gate-results";
    let ci = app.with_bearer(&created.secret);
    assert_eq!(
        ci.api(Method::POST, path, Some(report.clone())).await.0,
        200
    );
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT token_hash FROM api_token WHERE name = 'ci-main'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_ne!(
        stored,
        created.secret.as_bytes(),
        "the secret itself is not stored"
    );

    app::services::tokens::revoke_token(&app.pool, &system, "ci-main", now)
        .await
        .unwrap();
    let (code, body) = ci.api(Method::POST, path, Some(report.clone())).await;
    assert_eq!(code, 401, "{body}");

    let refused = app::services::tokens::create_token(
        &app.pool,
        &system,
        "never",
        "gates:write",
        "",
        "",
        Some(0),
        now,
    )
    .await
    .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("not a positive number of days"),
        "{refused}"
    );
    // Made two days ago to last one day: it expired yesterday.
    let soon = app::services::tokens::create_token(
        &app.pool,
        &system,
        "short-lived",
        "gates:write",
        "",
        "",
        Some(1),
        now - chrono::Duration::days(2),
    )
    .await
    .unwrap();
    assert_eq!(
        app.with_bearer(&soon.secret)
            .api(Method::POST, path, Some(report))
            .await
            .0,
        401
    );

    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_record WHERE resource LIKE 'token:%' ORDER BY audit_record_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "token.create",
            "token.create",
            "token.revoke",
            "token.create"
        ]
    );
}

#[tokio::test]
async fn a_gates_token_may_not_change_trains_and_is_told_why() {
    let app = spawn_app(&[]).await;
    let token = app::services::tokens::create_token(
        &app.pool,
        &Actor::new("test"),
        "gates-only",
        "gates:write",
        "",
        "",
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (code, body) = app
        .with_bearer(&token.secret)
        .api(
            Method::PUT,
            "/api/v1/release-trains/Q4-curve-upgrade",
            Some(json!({ "status": "validating" })),
        )
        .await;
    assert_eq!(code, 403);
    assert_eq!(error_code(&body), "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("trains:write"),
        "{body}"
    );
}

/// Signing out everywhere ends every session the person has (here two
/// browsers, on two instances) with one audit record; other people stay
/// signed in.
#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_that_person_only() {
    let app = spawn_app_with_sign_in(&[]).await;
    let other_instance = crate::helpers::spawn_second_instance(&app).await;
    let laptop = sign_in(&app, "carl").await;
    let phone = crate::helpers::TestApp {
        address: other_instance.address.clone(),
        ..sign_in(&app, "carl").await
    };
    let ana = sign_in(&app, "ana").await;
    let write = |who: &crate::helpers::TestApp| {
        who.request(Method::POST, "/api/v1/release-trains")
            .header("origin", &who.address)
            .header("content-type", "application/json")
            .body("{ not json")
            .send()
    };
    assert_eq!(write(&phone).await.unwrap().status(), 400, "signed in");
    let response = laptop
        .request(Method::POST, "/auth/logout-everywhere")
        .header("origin", &laptop.address)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(
        write(&phone).await.unwrap().status(),
        401,
        "the phone is signed out"
    );
    assert_eq!(
        write(&laptop).await.unwrap().status(),
        401,
        "so is the laptop"
    );
    assert_ne!(
        write(&ana).await.unwrap().status(),
        401,
        "others stay signed in"
    );
    let ended: Option<serde_json::Value> = sqlx::query_scalar(
        "SELECT after FROM audit_record WHERE action = 'auth.logout' AND actor = 'carl'",
    )
    .fetch_optional(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        ended.unwrap()["sessions_ended"],
        2,
        "one record says how many sessions ended"
    );
}
