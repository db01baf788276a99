//! Authorization before the body: an extractor that resolves the request's
//! actor and checks one action from the request's head alone. Axum runs it
//! before the body extractor, so a refused request's body is never read.

use super::error::ApiError;
use super::RequestActor;
use app::domain::access::{Action, Resource};
use app::services::access::authorize_any;
use app::services::actor::Actor;
use axum::extract::FromRequestParts;
use http::request::Parts;
use std::marker::PhantomData;

/// The actions a route needs (any one of them), as a type.
pub trait Needs {
    const ACTIONS: &'static [Action];
    /// The route acts on one train, whose track only the service can look
    /// up: a token limited to some trains passes here, and the service
    /// judges its reach.
    const ON_A_TRAIN: bool = false;
}

/// Adding, changing and retiring services.
pub struct ManageServices;

impl Needs for ManageServices {
    const ACTIONS: &'static [Action] = &[Action::ManageServices];
}

/// Adding tracks.
pub struct ManageTracks;

impl Needs for ManageTracks {
    const ACTIONS: &'static [Action] = &[Action::ManageTracks];
}

/// Adding and changing environments and their promotion policies.
pub struct ManagePolicy;

impl Needs for ManagePolicy {
    const ACTIONS: &'static [Action] = &[Action::ManagePolicy];
}

/// Adding, changing and removing gate templates.
pub struct ManageGates;

impl Needs for ManageGates {
    const ACTIONS: &'static [Action] = &[Action::ManageGates];
}

/// Managing outgoing webhooks and reading their delivery log.
pub struct ManageWebhooks;

impl Needs for ManageWebhooks {
    const ACTIONS: &'static [Action] = &[Action::ManageWebhooks];
}

/// Replacing a train's gates: captains in planning, admins after (the
/// service then judges by the train's state).
pub struct SetGates;

impl Needs for SetGates {
    const ACTIONS: &'static [Action] = &[Action::ManageTrains, Action::ManageGates];
    const ON_A_TRAIN: bool = true;
}

/// The actor, allowed one of `N::ACTIONS`.
pub struct Allowed<N>(pub Actor, pub PhantomData<N>);

impl<S: Send + Sync, N: Needs> FromRequestParts<S> for Allowed<N> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(RequestActor(actor)) = RequestActor::from_request_parts(parts, state).await;
        if N::ON_A_TRAIN {
            authorize_any(&actor.ignoring_reach(), N::ACTIONS, &Resource::Site)?;
        } else {
            authorize_any(&actor, N::ACTIONS, &Resource::Site)?;
        }
        Ok(Self(actor, PhantomData))
    }
}
