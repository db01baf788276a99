//! Sign-in and sign-out, as the audit trail records them.

use crate::domain::access::{RoleMap, RoleSet, UnmappedUsers};
use crate::domain::change::{Change, SessionChange};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The roles a signed-in person gets from their groups (the sign-in is
/// recorded), or a refusal (which
/// is recorded) when the deployment turns away people without a role.
pub async fn admit(
    pool: &PgPool,
    person: Actor,
    groups: &[String],
    map: &RoleMap,
    unmapped: UnmappedUsers,
    now: DateTime<Utc>,
) -> Result<RoleSet, AppError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let Some(roles) = map.roles_for(groups, unmapped) else {
        let change = Change::Session {
            user: person.name.clone(),
            change: SessionChange::Refused {
                groups: groups.to_vec(),
                reason: "no Trainyard role is mapped to any of the user's groups".to_owned(),
            },
        };
        changes::record(&mut tx, &person, change, now).await?;
        tx.commit().await?;
        return Err(AppError::Forbidden(
            "your account has no Trainyard role; ask an admin to add you to a group that maps to one"
                .into(),
        ));
    };
    let user = Actor::user(person.name, person.display_name, roles.clone())
        .from_origin(person.ip, person.user_agent);
    let change = Change::Session {
        user: user.name.clone(),
        change: SessionChange::SignedIn {
            roles: user.roles(),
            groups: groups.to_vec(),
        },
    };
    changes::record(&mut tx, &user, change, now).await?;
    tx.commit().await?;
    Ok(roles)
}

/// A person that the provider vouched for, before roles are decided.
pub fn unmapped_person(subject: &str, display_name: Option<String>) -> Actor {
    Actor::user(subject, display_name, RoleSet::default())
}

pub async fn sign_out(pool: &PgPool, user: &Actor, now: DateTime<Utc>) -> Result<(), AppError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let change = Change::Session {
        user: user.name.clone(),
        change: SessionChange::SignedOut { everywhere: None },
    };
    changes::record(&mut tx, user, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Signs `user` out of every session they have, on every browser and
/// instance (a lost laptop, a shared machine): their session rows go, in
/// one transaction with the audit record. Sessions are stored by the
/// server's session layer as `{"user": {"subject": …}, …}`.
pub async fn sign_out_everywhere(
    pool: &PgPool,
    user: &Actor,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let ended = sqlx::query!(
        "DELETE FROM session WHERE data -> 'user' ->> 'subject' = $1",
        user.name
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let change = Change::Session {
        user: user.name.clone(),
        change: SessionChange::SignedOut {
            everywhere: Some(ended),
        },
    };
    changes::record(&mut tx, user, change, now).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Records that `user`'s roles changed under their session (`to` is `None`
/// when they may no longer be signed in) and ends the session `session_id`
/// in the same transaction, so that its id is worthless from here on: the
/// caller gives the person a new session with the new roles. `false` when
/// that session was already gone (another request saw the change first):
/// nothing is recorded twice.
pub async fn roles_changed(
    pool: &PgPool,
    user: &Actor,
    session_id: &str,
    to: Option<&RoleSet>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let ended = sqlx::query!("DELETE FROM session WHERE session_id = $1", session_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if ended == 0 {
        return Ok(false);
    }
    let change = Change::Session {
        user: user.name.clone(),
        change: SessionChange::RolesChanged {
            from: user.roles(),
            to: to.map(RoleSet::names).unwrap_or_default(),
        },
    };
    changes::record(&mut tx, user, change, now).await?;
    tx.commit().await?;
    Ok(true)
}
