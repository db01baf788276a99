//! Sign-in: `/auth/login` sends the browser to the OpenID provider,
//! `/auth/callback` receives it back, `/auth/logout` ends both sessions.

pub mod actor;
pub mod attempts;
pub mod client;
pub mod oidc;
pub mod roles;
pub mod session;
pub mod session_store;

use crate::assets::SiteAssets;
use crate::startup::AppState;
use actor::RequestActor;
use app::services::sign_in;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use oidc::PendingLogin;
use serde::Deserialize;
use session::{SessionUser, PENDING_KEY, USER_KEY};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(login))
        .route("/auth/callback", get(callback))
        .route("/auth/logout", post(logout))
        .route("/auth/logout-everywhere", post(logout_everywhere))
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

/// Only paths on this site: an absolute URL in `next` would make sign-in an
/// open redirect.
fn local_path(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".to_owned())
}

async fn login(
    State(state): State<AppState>,
    attempts::Client(client): attempts::Client,
    session: Session,
    Query(q): Query<LoginQuery>,
) -> Response {
    if let Some(wait) = state.attempts.sign_in_wait(client.as_deref()) {
        return page(
            &state.assets,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many sign-ins",
            &format!("Too many sign-ins from this address; try again in {wait} seconds."),
        );
    }
    let Some(oidc) = state.oidc.as_ref() else {
        return page(
            &state.assets,
            StatusCode::SERVICE_UNAVAILABLE,
            "Sign-in is not configured",
            "This Trainyard has no OpenID provider (OIDC_ISSUER_URL is not set).",
        );
    };
    let (url, pending) = oidc.start(local_path(q.next));
    if let Err(e) = session.insert(PENDING_KEY, pending).await {
        tracing::error!(error = %e, "storing the pending login");
        return page(
            &state.assets,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sign-in failed",
            "The session could not be stored.",
        );
    }
    Redirect::to(url.as_str()).into_response()
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

async fn callback(
    State(state): State<AppState>,
    session: Session,
    RequestActor(visitor): RequestActor,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some(oidc) = state.oidc.as_ref() else {
        return page(
            &state.assets,
            StatusCode::SERVICE_UNAVAILABLE,
            "Sign-in is not configured",
            "",
        );
    };
    let pending: Option<PendingLogin> = session.remove(PENDING_KEY).await.ok().flatten();
    if let Some(error) = q.error {
        let detail = q.error_description.unwrap_or(error);
        return page(
            &state.assets,
            StatusCode::BAD_REQUEST,
            "Sign-in was not completed",
            &format!("The identity provider said: {detail}"),
        );
    }
    let (Some(pending), Some(code), Some(returned_state)) = (pending, q.code, q.state) else {
        return page(
            &state.assets,
            StatusCode::BAD_REQUEST,
            "Sign-in expired",
            "This sign-in was not started here or has already been used. Start again.",
        );
    };
    if returned_state != pending.state {
        return page(
            &state.assets,
            StatusCode::BAD_REQUEST,
            "Sign-in refused",
            "The provider's answer does not belong to this sign-in (state mismatch). Start again.",
        );
    }
    let identity = match oidc.finish(&pending, code).await {
        Ok(identity) => identity,
        Err(e) => {
            tracing::warn!(error = format!("{e:#}"), "sign-in failed");
            return page(
                &state.assets,
                StatusCode::BAD_GATEWAY,
                "Sign-in failed",
                "The identity provider's answer could not be verified. Start again.",
            );
        }
    };
    let person = sign_in::unmapped_person(&identity.subject, identity.display_name.clone())
        .from_origin(visitor.ip, visitor.user_agent);
    let now = Utc::now();
    let roles = match sign_in::admit(
        &state.pool,
        person,
        &identity.groups,
        &state.auth.role_map,
        state.auth.unmapped_users,
        now,
    )
    .await
    {
        Ok(roles) => roles,
        Err(e) => {
            return page(
                &state.assets,
                StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::FORBIDDEN),
                "Not allowed in",
                &e.to_string(),
            )
        }
    };
    let stored = SessionUser {
        subject: identity.subject,
        display_name: identity.display_name,
        roles,
        groups: identity.groups,
        signed_in_at: now,
        id_token: identity.id_token,
    };
    // A new id at sign-in, so that an id planted before it is worthless.
    if let Err(e) = async {
        session.cycle_id().await?;
        session.insert(USER_KEY, stored).await
    }
    .await
    {
        tracing::error!(error = %e, "storing the session");
        return page(
            &state.assets,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Sign-in failed",
            "The session could not be stored.",
        );
    }
    Redirect::to(&pending.next).into_response()
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    RequestActor(actor): RequestActor,
) -> Response {
    let user: Option<SessionUser> = session.get(USER_KEY).await.ok().flatten();
    let _ = session.flush().await;
    let Some(user) = user else {
        return Redirect::to("/").into_response();
    };
    if let Err(e) = sign_in::sign_out(&state.pool, &actor, Utc::now()).await {
        tracing::error!(error = %e, "recording the sign-out");
    }
    to_provider_logout(&state, &user)
}

/// Signs the person out of every session they have (every browser, every
/// instance), then out of the provider like a plain sign-out.
async fn logout_everywhere(
    State(state): State<AppState>,
    session: Session,
    RequestActor(actor): RequestActor,
) -> Response {
    let user: Option<SessionUser> = session.get(USER_KEY).await.ok().flatten();
    let Some(user) = user else {
        return Redirect::to("/").into_response();
    };
    if let Err(e) = sign_in::sign_out_everywhere(&state.pool, &actor, Utc::now()).await {
        tracing::error!(error = %e, "signing out everywhere");
        return page(
            &state.assets,
            StatusCode::SERVICE_UNAVAILABLE,
            "Not signed out",
            "Your other sessions could not be ended; nothing changed. Try again in a moment.",
        );
    }
    let _ = session.flush().await;
    to_provider_logout(&state, &user)
}

/// Ends the sign-in at the provider too (RP-initiated logout) when it
/// offers that, else back home.
fn to_provider_logout(state: &AppState, user: &SessionUser) -> Response {
    match state
        .oidc
        .as_ref()
        .and_then(|o| o.logout_url(&user.id_token))
    {
        Some(url) => Redirect::to(url.as_str()).into_response(),
        None => Redirect::to("/").into_response(),
    }
}

/// A plain page for the few answers that are not part of the app's views.
fn page(assets: &SiteAssets, status: StatusCode, title: &str, message: &str) -> Response {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} · Trainyard</title>\
         <link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body class=\"p-8 font-sans text-slate-900\"><main class=\"max-w-xl mx-auto\">\
         <h1 class=\"text-xl font-semibold\">{t}</h1><p class=\"mt-2\">{m}</p>\
         <p class=\"mt-4\"><a class=\"text-blue-700 underline\" href=\"/auth/login\">Sign in again</a> · \
         <a class=\"text-blue-700 underline\" href=\"/\">Back to Trainyard</a></p></main></body></html>",
        t = escape(title),
        m = escape(message),
        css = assets.stylesheet(),
    );
    (status, Html(body)).into_response()
}
