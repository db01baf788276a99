//! The service layer's door check: every service function asks the pure
//! permission function before it reads or changes anything.

use crate::domain::access::{permit, Action, Decision, Resource};
use crate::error::AppError;
use crate::services::actor::Actor;

/// Allows the action or refuses it with the reason: 401 when nobody is
/// signed in, 403 when the signed-in principal lacks the role or scope.
pub fn authorize(actor: &Actor, action: Action, resource: &Resource) -> Result<(), AppError> {
    match permit(&actor.principal, action, resource) {
        Decision::Allow => Ok(()),
        Decision::SignIn(_) => Err(AppError::Unauthenticated),
        Decision::Deny(reason) => {
            tracing::info!(actor = %actor.name, ?action, %resource, %reason, "refused");
            Err(AppError::Forbidden(reason))
        }
    }
}

/// The train as the permission function must see it to judge `actor`: with
/// its track when the actor is a token limited to some tracks' trains (one
/// query, and only then), by its name alone for everyone else. A train
/// without a track, or not stored yet, is judged by its name.
pub async fn train_resource(
    conn: impl sqlx::PgExecutor<'_>,
    actor: &Actor,
    train: &str,
) -> Result<Resource, AppError> {
    let needs_track = actor
        .limited_reach()
        .is_some_and(|reach| reach.lists_tracks() && !reach.allows(train, None));
    if !needs_track {
        return Ok(Resource::Train(train.to_owned()));
    }
    let track = sqlx::query_scalar!(
        "SELECT k.name FROM train t JOIN track k ON k.track_id = t.track_id WHERE t.name = $1",
        train
    )
    .fetch_optional(conn)
    .await?;
    Ok(match track {
        Some(track) => Resource::TrainOnTrack {
            name: train.to_owned(),
            track,
        },
        None => Resource::Train(train.to_owned()),
    })
}

/// [`authorize`] on a train, judging a limited token by the train's track.
pub async fn authorize_train(
    conn: impl sqlx::PgExecutor<'_>,
    actor: &Actor,
    action: Action,
    train: &str,
) -> Result<(), AppError> {
    let resource = train_resource(conn, actor, train).await?;
    authorize(actor, action, &resource)
}

/// Reading is checked the same way as writing.
pub fn authorize_read(actor: &Actor) -> Result<(), AppError> {
    authorize(actor, Action::Read, &Resource::Site)
}

/// Whether the actor would be allowed: for the UI to hide what the server
/// would refuse anyway.
pub fn may(actor: &Actor, action: Action) -> bool {
    permit(&actor.principal, action, &Resource::Site).is_allowed()
}

/// Allows the action if the actor may do any of `actions` (approving is
/// allowed to either approver role; the policy then says which one counts).
pub fn authorize_any(
    actor: &Actor,
    actions: &[Action],
    resource: &Resource,
) -> Result<(), AppError> {
    let mut refusal = None;
    for action in actions {
        match authorize(actor, *action, resource) {
            Ok(()) => return Ok(()),
            Err(e) => {
                refusal.get_or_insert(e);
            }
        }
    }
    Err(refusal.unwrap_or(AppError::Forbidden("nobody may do this".into())))
}
