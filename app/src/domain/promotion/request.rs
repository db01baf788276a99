//! A promotion request and its lifecycle: made by a captain with a note,
//! then open until it is promoted, rejected, cancelled or superseded by a
//! newer request. Every transition leaves `open`; nothing comes back to it.

use super::{Environment, Fingerprint};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Open,
    /// An approver said no; a new request starts over.
    Rejected,
    Promoted,
    /// Withdrawn by the captain.
    Cancelled,
    /// A newer request for the same train and environment replaced it.
    Superseded,
}

impl RequestState {
    pub const ALL: [RequestState; 5] = [
        Self::Open,
        Self::Rejected,
        Self::Promoted,
        Self::Cancelled,
        Self::Superseded,
    ];

    /// The stored and API form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Rejected => "rejected",
            Self::Promoted => "promoted",
            Self::Cancelled => "cancelled",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, RequestError> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| RequestError::UnknownState(raw.to_owned()))
    }

    pub fn is_open(self) -> bool {
        self == Self::Open
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who turned a request down, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub by: String,
    pub at: DateTime<Utc>,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionRequest {
    /// Where the release is to go.
    pub environment: Environment,
    /// The subject of whoever asked.
    pub requester: String,
    pub note: String,
    pub requested_at: DateTime<Utc>,
    /// What would have been promoted when the request was made.
    pub fingerprint: Fingerprint,
    pub state: RequestState,
    /// Set exactly when `state` is `Rejected`.
    pub rejection: Option<Rejection>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("unknown promotion request state {0:?}")]
    UnknownState(String),
    #[error("a promotion request needs a note saying what is promoted and why")]
    NoteRequired,
    #[error("a promotion request needs someone who makes it")]
    RequesterRequired,
    #[error("there is nothing to promote: the train has no participants")]
    NothingToPromote,
    #[error("this promotion request is already {state}; only an open request can be {action}")]
    NotOpen {
        state: RequestState,
        action: &'static str,
    },
    #[error("rejecting a promotion needs a comment saying why")]
    CommentRequired,
}

impl PromotionRequest {
    /// A new, open request. Whether `requester` may make it (the captain
    /// role) is the caller's check, through `access::permit`.
    pub fn open(
        environment: Environment,
        requester: &str,
        note: &str,
        fingerprint: Fingerprint,
        now: DateTime<Utc>,
    ) -> Result<Self, RequestError> {
        let requester = requester.trim();
        if requester.is_empty() {
            return Err(RequestError::RequesterRequired);
        }
        let note = note.trim();
        if note.is_empty() {
            return Err(RequestError::NoteRequired);
        }
        if fingerprint.is_empty() {
            return Err(RequestError::NothingToPromote);
        }
        Ok(Self {
            environment,
            requester: requester.to_owned(),
            note: note.to_owned(),
            requested_at: now,
            fingerprint,
            state: RequestState::Open,
            rejection: None,
        })
    }

    fn leave_open(&self, to: RequestState, action: &'static str) -> Result<Self, RequestError> {
        if !self.state.is_open() {
            return Err(RequestError::NotOpen {
                state: self.state,
                action,
            });
        }
        Ok(Self {
            state: to,
            ..self.clone()
        })
    }

    /// Turned down by `by`. Whether `by` may reject is checked by
    /// [`super::reject`], which calls this.
    pub fn reject(
        &self,
        by: &str,
        comment: &str,
        now: DateTime<Utc>,
    ) -> Result<Self, RequestError> {
        let comment = comment.trim();
        if comment.is_empty() {
            return Err(RequestError::CommentRequired);
        }
        let mut next = self.leave_open(RequestState::Rejected, "rejected")?;
        next.rejection = Some(Rejection {
            by: by.to_owned(),
            at: now,
            comment: comment.to_owned(),
        });
        Ok(next)
    }

    /// Carried out; only after [`super::evaluate`] said `ready`.
    pub fn promoted(&self) -> Result<Self, RequestError> {
        self.leave_open(RequestState::Promoted, "promoted")
    }

    pub fn cancel(&self) -> Result<Self, RequestError> {
        self.leave_open(RequestState::Cancelled, "cancelled")
    }

    /// Replaced by a newer request for the same train and environment.
    pub fn supersede(&self) -> Result<Self, RequestError> {
        self.leave_open(RequestState::Superseded, "superseded")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap()
    }

    fn request() -> PromotionRequest {
        let fp = Fingerprint::new([("scenario", "2.0.0")]).unwrap();
        PromotionRequest::open(
            Environment::parse("prod").unwrap(),
            "carla",
            " ship 2.0 ",
            fp,
            now(),
        )
        .unwrap()
    }

    #[test]
    fn a_new_request_is_open_with_its_note() {
        let r = request();
        assert_eq!(r.state, RequestState::Open);
        assert_eq!(r.note, "ship 2.0");
        assert_eq!(r.rejection, None);
    }

    #[test]
    fn a_request_needs_a_note_a_requester_and_something_to_promote() {
        let fp = Fingerprint::new([("scenario", "2.0.0")]).unwrap();
        let open = |who, note, fp| {
            PromotionRequest::open(Environment::parse("prod").unwrap(), who, note, fp, now())
        };
        assert_eq!(
            open("carla", "  ", fp.clone()),
            Err(RequestError::NoteRequired)
        );
        assert_eq!(open("", "go", fp), Err(RequestError::RequesterRequired));
        assert_eq!(
            open("carla", "go", Fingerprint::default())
                .unwrap_err()
                .to_string(),
            "there is nothing to promote: the train has no participants"
        );
    }

    #[test]
    fn a_rejection_needs_a_comment_and_records_who_and_why() {
        let r = request();
        assert_eq!(
            r.reject("pia", " ", now()),
            Err(RequestError::CommentRequired)
        );
        let rejected = r.reject("pia", "error budget is spent", now()).unwrap();
        assert_eq!(rejected.state, RequestState::Rejected);
        let rejection = rejected.rejection.unwrap();
        assert_eq!(
            (rejection.by.as_str(), rejection.comment.as_str()),
            ("pia", "error budget is spent")
        );
    }

    #[test]
    fn every_transition_leaves_open_and_none_leaves_a_closed_request() {
        let open = request();
        let closed = [
            open.reject("pia", "no", now()).unwrap(),
            open.promoted().unwrap(),
            open.cancel().unwrap(),
            open.supersede().unwrap(),
        ];
        for r in &closed {
            assert!(!r.state.is_open());
            assert!(r.promoted().is_err());
            assert!(r.cancel().is_err());
            assert!(r.supersede().is_err());
            assert!(r.reject("pia", "no", now()).is_err());
        }
        assert_eq!(
            closed[1].cancel().unwrap_err().to_string(),
            "this promotion request is already promoted; only an open request can be cancelled"
        );
    }

    #[test]
    fn every_state_parses_back_from_its_name() {
        for s in RequestState::ALL {
            assert_eq!(RequestState::parse(s.as_str()), Ok(s));
        }
        assert!(RequestState::parse("approved").is_err());
    }
}
