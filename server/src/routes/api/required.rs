//! Who may call each write route of the API, checked from the request line
//! alone: a caller without the role or scope gets 403 before the handler
//! reads, let alone parses, a body. The service layer checks again with
//! what only the body says (which environment is approved, say).

use super::error::ApiError;
use app::domain::access::{Action, Resource};
use app::services::access::authorize_any;
use app::services::actor::Actor;
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The actions any one of which lets a caller use `method` on the route
/// `path` (as the router spells it, below `/api/v1`); `None` for reads and
/// for routes nobody has to be anyone in particular to call.
pub fn needed(method: &Method, path: &str) -> Option<&'static [Action]> {
    use Action::*;
    if !is_write(method) {
        return None;
    }
    let rest = path.strip_prefix("/api/v1").unwrap_or(path);
    Some(match rest {
        "/release-trains/{name}/gate-results" => &[RecordGateResults],
        "/release-trains/{name}/rollback" => &[Rollback],
        "/release-trains/{name}/gates" => &[ManageTrains, ManageGates],
        "/release-trains/{name}/promotions" | "/release-trains/{name}/promotions/cancel" => {
            &[RequestPromotion]
        }
        "/release-trains/{name}/promotions/approve"
        | "/release-trains/{name}/promotions/reject" => &[Approve, ReviewAsOwner],
        "/release-trains/{name}/promotions/break-glass" => &[BreakGlass],
        "/release-trains/{name}/evidence" | "/release-trains/{name}/evidence/{artifact}" => {
            &[UploadEvidence]
        }
        "/release-trains"
        | "/release-trains/{name}"
        | "/release-trains/{name}/candidates"
        | "/release-trains/{name}/participants/{service}"
        | "/release-trains/{name}/changes" => &[ManageTrains],
        "/release-trains/{name}/release-notes/draft"
        | "/release-trains/{name}/release-notes/publish"
        | "/release-trains/{name}/announcement" => &[EditReleaseNotes],
        "/release-notes/categories" => &[ManageTracks],
        "/promotion-policies/{environment}" | "/environments" | "/environments/{name}" => {
            &[ManagePolicy]
        }
        "/services" | "/services/{name}" => &[ManageServices],
        "/services/{name}/status" | "/services/{name}/health" => &[ReportServiceStatus],
        "/deployments" | "/deployments/{id}" => &[ReportDeployment],
        "/incidents" | "/incidents/pagerduty" => &[ReportIncident],
        "/incidents/{id}/links" => &[ConfirmIncidentLink],
        "/tracks" | "/tracks/{name}" => &[ManageTracks],
        "/gate-templates" | "/gate-templates/{name}" => &[ManageGates],
        // An import needs whichever of these its document touches; the
        // importer checks each part.
        "/config" => &[ManageServices, ManageTracks, ManageGates, ManagePolicy],
        _ => return None,
    })
}

/// A method that changes something.
pub fn is_write(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// What the route acts on, for the refusal's wording.
fn resource(path: &str) -> Resource {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next()) {
        (Some("release-trains"), Some(name)) => Resource::Train(name.to_owned()),
        (Some("services"), Some(name)) => Resource::Service(name.to_owned()),
        (Some("tracks"), _) => Resource::Tracks,
        (Some("gate-templates" | "environments" | "promotion-policies"), _) => Resource::Gates,
        _ => Resource::Site,
    }
}

/// The middleware: refuses, before the body, a caller who may do none of
/// the route's actions.
pub async fn refuse_before_body(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    if let (Some(route), Some(actor)) = (route, request.extensions().get::<Actor>()) {
        if let Some(actions) = needed(request.method(), &route) {
            let address = request.uri().path();
            let below = address.strip_prefix("/api/v1").unwrap_or(address);
            // Which track a train runs on (or a new one will) only the
            // service can tell, so on a train route a token limited to some
            // trains is asked here only whether it may do this at all, and
            // the service judges its reach. Elsewhere a limited token is
            // refused here: it acts on its trains only.
            let judged = if below.starts_with("/release-trains") {
                actor.ignoring_reach()
            } else {
                actor.clone()
            };
            if let Err(refusal) = authorize_any(&judged, actions, &resource(below)) {
                return ApiError(refusal).into_response();
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_need_nothing_beyond_reading() {
        assert_eq!(needed(&Method::GET, "/api/v1/release-trains"), None);
        assert_eq!(needed(&Method::HEAD, "/api/v1/services/{name}"), None);
    }

    #[test]
    fn writes_name_the_actions_that_allow_them() {
        assert_eq!(
            needed(&Method::POST, "/api/v1/release-trains/{name}/gate-results"),
            Some(&[Action::RecordGateResults][..])
        );
        assert_eq!(
            needed(&Method::DELETE, "/api/v1/tracks/{name}"),
            Some(&[Action::ManageTracks][..])
        );
    }

    #[test]
    fn the_refusal_names_what_the_route_acts_on() {
        assert_eq!(
            resource("/release-trains/v1.2.0/rollback"),
            Resource::Train("v1.2.0".into())
        );
        assert_eq!(
            resource("/services/api/status"),
            Resource::Service("api".into())
        );
        assert_eq!(resource("/config"), Resource::Site);
    }
}
