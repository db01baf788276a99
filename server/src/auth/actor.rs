//! Resolves who is asking, once per request, from a bearer token or the
//! session; refuses cross-site writes made with the session cookie.

use super::session::{SessionUser, USER_KEY};
use crate::routes::api::error::ApiError;
use crate::startup::AppState;
use app::domain::audit::ActorKind;
use app::error::AppError;
use app::services::actor::Actor;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{header, request::Parts, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::net::SocketAddr;
use tower_sessions::Session;

/// The actor for this request, as the middleware resolved it.
pub struct RequestActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for RequestActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<Actor>()
                .cloned()
                .unwrap_or_else(|| Actor::anonymous(false)),
        ))
    }
}

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip());
    let ip = super::client::client_address(request.headers(), peer, &state.auth.trusted_proxies)
        .map(|a| a.to_string());
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let actor = match bearer(&request) {
        Some(secret) => {
            if let Some(wait) = state.attempts.token_wait(ip.as_deref(), &secret) {
                return ApiError(AppError::TooManyRequests(wait)).into_response();
            }
            match app::services::tokens::authenticate(&state.pool, &secret, Utc::now()).await {
                Ok(actor) => actor,
                Err(e) => {
                    if e == AppError::Unauthenticated {
                        state.attempts.token_failed(ip.as_deref(), &secret);
                        tracing::info!(client = ?ip, token = %super::attempts::token_prefix(&secret), "refused an unknown, revoked or expired token");
                    }
                    return ApiError(e).into_response();
                }
            }
        }
        None => match session_user(request.extensions().get::<Session>().cloned(), &state).await {
            // The session could not be read (the database is away): the
            // person is not anonymous, and must not be told to sign in.
            Err(unavailable) => return ApiError(unavailable).into_response(),
            Ok(Some(user)) => {
                if let Err(refusal) = same_origin(&request, &state) {
                    return *refusal;
                }
                Actor::user(user.subject, user.display_name, user.roles).with_groups(user.groups)
            }
            Ok(None) => Actor::anonymous(state.auth.anonymous_read),
        },
    };
    // Nobody may change anything through the API without signing in or a
    // token: say so before the handler reads, let alone parses, a body.
    if actor.kind == ActorKind::Anonymous && is_api_write(&request) {
        return ApiError(AppError::Unauthenticated).into_response();
    }
    request
        .extensions_mut()
        .insert(actor.from_origin(ip, user_agent));
    next.run(request).await
}

/// A request to change something through `/api/v1`.
fn is_api_write(request: &Request) -> bool {
    request.uri().path().starts_with("/api/v1/")
        && crate::routes::api::required::is_write(request.method())
}

fn bearer(request: &Request) -> Option<String> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| secret.trim().to_owned())
}

/// The signed-in user, unless the session has outlived its absolute limit
/// (then it is ended here); 503 when the session store cannot be read.
async fn session_user(
    session: Option<Session>,
    state: &AppState,
) -> Result<Option<SessionUser>, AppError> {
    let Some(session) = session else {
        return Ok(None);
    };
    let user: SessionUser = match session.get(USER_KEY).await {
        Ok(Some(user)) => user,
        Ok(None) => return Ok(None),
        Err(e) => {
            tracing::warn!(error = %e, "the session could not be read");
            return Err(AppError::Unavailable);
        }
    };
    let age = Utc::now() - user.signed_in_at;
    if age.to_std().is_ok_and(|age| age > state.auth.session_max) {
        tracing::info!(subject = %user.subject, "session reached its maximum age");
        let _ = session.flush().await;
        return Ok(None);
    }
    Ok(super::roles::current(&session, user, state).await)
}

/// Writes carried by the session cookie must come from this site's own
/// pages: SameSite=Lax keeps the cookie off most cross-site requests, and
/// this check refuses the rest (and older browsers').
fn same_origin(request: &Request, state: &AppState) -> Result<(), Box<Response>> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(());
    }
    let expected = state.public_url.origin().ascii_serialization();
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_owned)
        .or_else(|| {
            let referer = headers.get(header::REFERER)?.to_str().ok()?;
            Some(
                url::Url::parse(referer)
                    .ok()?
                    .origin()
                    .ascii_serialization(),
            )
        });
    match claimed {
        Some(origin) if origin == expected => Ok(()),
        Some(origin) => Err(refuse(format!(
            "cross-site request refused: it came from {origin}, not {expected}"
        ))),
        None => Err(refuse(
            "cross-site request refused: it carries neither an Origin nor a Referer header".into(),
        )),
    }
}

fn refuse(reason: String) -> Box<Response> {
    tracing::warn!(%reason, "refused a write");
    Box::new(ApiError(AppError::Forbidden(reason)).into_response())
}
