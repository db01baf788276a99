//! Sessions in Postgres (`tower-sessions`): the cookie's flags, idle expiry,
//! and what a signed-in session holds.

use super::session_store::PgSessionStore;
use crate::config::Settings;
use app::domain::access::RoleSet;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub const USER_KEY: &str = "user";
pub const PENDING_KEY: &str = "pending_login";
pub const COOKIE_NAME: &str = "trainyard_session";

/// The signed-in person, as the session keeps them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionUser {
    pub subject: String,
    pub display_name: Option<String>,
    pub roles: RoleSet,
    /// The identity provider's groups (a service's owners may be one);
    /// absent in sessions from before they were kept.
    #[serde(default)]
    pub groups: Vec<String>,
    pub signed_in_at: DateTime<Utc>,
    /// Sent back to the provider as `id_token_hint` at logout.
    pub id_token: String,
}

pub fn layer(
    pool: &PgPool,
    settings: &Settings,
) -> anyhow::Result<SessionManagerLayer<PgSessionStore>> {
    let store = PgSessionStore::new(pool.clone());
    let idle = time::Duration::try_from(settings.auth.session_idle)?;
    Ok(SessionManagerLayer::new(store)
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.public_url.scheme() == "https")
        .with_expiry(Expiry::OnInactivity(idle)))
}

/// Removes expired sessions from the table now and then.
pub fn spawn_cleanup(pool: &PgPool) {
    let store = PgSessionStore::new(pool.clone());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(error) = store.delete_expired().await {
                tracing::warn!(%error, "deleting expired sessions failed");
            }
        }
    });
}
