//! Authorization before the body: an extractor that resolves the request's
//! actor and checks one action from the request's head alone. Axum runs it
//! before the body extractor, so a refused request's body is never read.

use super::error::ApiError;
use super::RequestActor;
use app::domain::access::{Action, Resource};
use app::services::access::authorize;
use app::services::actor::Actor;
use axum::extract::FromRequestParts;
use http::request::Parts;
use std::marker::PhantomData;

/// An action a route needs, as a type.
pub trait Needs {
    const ACTION: Action;
}

/// Adding, changing and retiring services.
pub struct ManageServices;

impl Needs for ManageServices {
    const ACTION: Action = Action::ManageServices;
}

/// Adding tracks.
pub struct ManageTracks;

impl Needs for ManageTracks {
    const ACTION: Action = Action::ManageTracks;
}

/// Adding and changing environments and their promotion policies.
pub struct ManagePolicy;

impl Needs for ManagePolicy {
    const ACTION: Action = Action::ManagePolicy;
}

/// Adding, changing and removing gate templates.
pub struct ManageGates;

impl Needs for ManageGates {
    const ACTION: Action = Action::ManageGates;
}

/// The actor, allowed `N::ACTION`.
pub struct Allowed<N>(pub Actor, pub PhantomData<N>);

impl<S: Send + Sync, N: Needs> FromRequestParts<S> for Allowed<N> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(RequestActor(actor)) = RequestActor::from_request_parts(parts, state).await;
        authorize(&actor, N::ACTION, &Resource::Site)?;
        Ok(Self(actor, PhantomData))
    }
}
