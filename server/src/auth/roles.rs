//! A session's roles follow the role map in force, not the one at sign-in:
//! roles are worked out again from the person's groups on every request
//! (cheap and pure), so that taking a group's role away
//! (`TRAINYARD_ROLE_MAP`, `TRAINYARD_UNMAPPED_USERS`) takes it from every
//! session at once. When they differ, the change is recorded and the
//! session id replaced (a session id seen before a change of rights is
//! worthless after it, as at sign-in); a person left without any role is
//! signed out. Groups change at the identity provider only at the next
//! sign-in: sessions end after `TRAINYARD_SESSION_IDLE` of inactivity and
//! `TRAINYARD_SESSION_MAX` in all.

use super::session::{SessionUser, USER_KEY};
use crate::startup::AppState;
use app::services::actor::Actor;
use app::services::sign_in;
use chrono::Utc;
use tower_sessions::Session;

/// `user` with the roles the role map grants now; `None` when it grants
/// none and such people are refused (the session is then ended).
pub async fn current(
    session: &Session,
    mut user: SessionUser,
    state: &AppState,
) -> Option<SessionUser> {
    let now = state
        .auth
        .role_map
        .roles_for(&user.groups, state.auth.unmapped_users);
    if now.as_ref() == Some(&user.roles) {
        return Some(user);
    }
    let before = Actor::user(&user.subject, user.display_name.clone(), user.roles.clone());
    let id = session.id().map(|id| id.to_string()).unwrap_or_default();
    match sign_in::roles_changed(&state.pool, &before, &id, now.as_ref(), Utc::now()).await {
        Ok(true) => {
            tracing::info!(subject = %user.subject, from = ?user.roles.names(), to = ?now.as_ref().map(|r| r.names()), "roles changed under a session; its id was replaced");
            match now {
                Some(roles) => {
                    user.roles = roles;
                    let replaced = async {
                        session.cycle_id().await?;
                        session.insert(USER_KEY, &user).await
                    };
                    if let Err(e) = replaced.await {
                        tracing::warn!(error = %e, "storing the session with its new roles");
                    }
                    Some(user)
                }
                None => {
                    let _ = session.flush().await;
                    None
                }
            }
        }
        // Already replaced by another request, or not recorded now (the
        // database is away): this request gets the new roles, the session
        // is left as it is.
        Ok(false) | Err(_) => now.map(|roles| SessionUser { roles, ..user }),
    }
}
