use crate::error::AppError;
use crate::models::access::CurrentUser;
use leptos::prelude::*;

/// Who is signed in, for the header and for hiding what they may not do.
#[server(prefix = "/sfn", endpoint = "session/me")]
pub async fn signed_in_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::domain::audit::ActorKind;
    let actor = crate::server_fns::context::actor();
    Ok((actor.kind == ActorKind::User).then(|| CurrentUser {
        subject: actor.name.clone(),
        display_name: actor.label().to_owned(),
        roles: actor.roles(),
    }))
}
