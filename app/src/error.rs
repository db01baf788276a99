//! The one error type of the application layer: returned by the service layer,
//! carried by server functions to the browser, mapped to HTTP statuses by the
//! API.

use crate::domain::evidence::Violation;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The request is malformed; `field` names the offending input when known.
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: String,
    },
    /// Well-formed but semantically refused (a dependency cycle, a bad cadence).
    #[error("{message}")]
    Unprocessable {
        field: Option<String>,
        message: String,
    },
    #[error("{0} was not found")]
    NotFound(String),
    /// The request conflicts with the current state (an illegal transition).
    #[error("{0}")]
    Conflict(String),
    #[error("sign in to do this")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    /// Details are in the server log, never in the response.
    #[error("something went wrong on the server; the error has been logged")]
    Internal,
    /// Every database connection stayed busy for the acquire time-out (or the
    /// database is down): nothing was done, and the same request may simply
    /// be sent again a moment later (`Retry-After`).
    #[error("the server is busy; nothing was changed, try again in a moment")]
    Unavailable,
    /// Too many failed attempts (tokens, sign-ins) from this client or for
    /// this token: wait this many seconds (`Retry-After`).
    #[error("too many attempts; try again in {0} seconds")]
    TooManyRequests(u64),
    /// Transport-level failure of a server function call.
    #[error("the request could not be completed: {0}")]
    Transport(String),
    /// The request body is larger than the configured limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The request body arrived too slowly (a client holding a connection
    /// open): nothing was read into any change.
    #[error("the request body arrived too slowly; send it again at a steady pace")]
    RequestTimeout,
    /// A document breaks the schema it must follow; every violation is
    /// listed with its JSON pointer.
    #[error("{message}")]
    SchemaViolations {
        field: Option<String>,
        message: String,
        violations: Vec<Violation>,
    },
}

impl AppError {
    pub fn status_code(&self) -> u16 {
        match self {
            Self::BadRequest { .. } => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::RequestTimeout => 408,
            Self::PayloadTooLarge(_) => 413,
            Self::Unprocessable { .. } | Self::SchemaViolations { .. } => 422,
            Self::Internal | Self::Transport(_) => 500,
            Self::Unavailable => 503,
            Self::TooManyRequests(_) => 429,
        }
    }

    /// A short machine-readable code for JSON error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { .. } => "bad_request",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Unprocessable { .. } => "unprocessable",
            Self::SchemaViolations { .. } => "schema_violation",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::RequestTimeout => "request_timeout",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::TooManyRequests(_) => "too_many_requests",
            Self::Transport(_) => "transport",
        }
    }
}

impl AppError {
    /// An internal failure: `what` failed because of `cause`. The cause is
    /// logged here, once, with what failed; the answer only says that
    /// something went wrong (details never leave the server).
    pub fn internal(what: &str, cause: impl std::fmt::Display) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(error = %cause, "{what}");
        #[cfg(not(feature = "ssr"))]
        let _ = (what, cause.to_string());
        Self::Internal
    }
}

/// `or_internal("what failed")`: turns any failure the caller cannot
/// explain to the user into [`AppError::Internal`], logging its cause.
pub trait ResultExt<T> {
    fn or_internal(self, what: &str) -> Result<T, AppError>;
}

impl<T, E: std::fmt::Display> ResultExt<T> for Result<T, E> {
    fn or_internal(self, what: &str) -> Result<T, AppError> {
        self.map_err(|e| AppError::internal(what, e))
    }
}

impl<T> ResultExt<T> for Option<T> {
    fn or_internal(self, what: &str) -> Result<T, AppError> {
        self.ok_or_else(|| AppError::internal(what, "a value was missing"))
    }
}

/// A value the rules refuse, naming the field it concerns: a 422. The
/// request itself was well-formed (a 400 is the edge's answer to what the
/// API's document or a form's shape forbids); what it said was not
/// acceptable.
pub fn bad_field(field: impl Into<String>, message: impl ToString) -> AppError {
    AppError::Unprocessable {
        field: Some(field.into()),
        message: message.to_string(),
    }
}

/// `raw` as text of `kind` (trimmed), or a 422 naming `field` and what
/// is wrong with it.
pub fn text_field(
    field: &str,
    kind: crate::domain::text::TextKind,
    raw: &str,
) -> Result<String, AppError> {
    kind.parse(raw)
        .map_err(|e| bad_field(field, crate::domain::text::FieldText(field, &e)))
}

/// Like [`text_field`]; a missing or blank value is `None`.
pub fn optional_text_field(
    field: &str,
    kind: crate::domain::text::TextKind,
    raw: Option<&str>,
) -> Result<Option<String>, AppError> {
    kind.parse_optional(raw)
        .map_err(|e| bad_field(field, crate::domain::text::FieldText(field, &e)))
}

impl AppError {
    /// The same refusal with its field and message rewritten (a form names
    /// its fields differently from the service); other errors unchanged.
    pub fn map_field(
        self,
        f: impl FnOnce(Option<String>, String) -> (Option<String>, String),
    ) -> Self {
        match self {
            Self::BadRequest { field, message } => {
                let (field, message) = f(field, message);
                Self::BadRequest { field, message }
            }
            Self::Unprocessable { field, message } => {
                let (field, message) = f(field, message);
                Self::Unprocessable { field, message }
            }
            other => other,
        }
    }
}

/// How long a client should wait before retrying an `Unavailable` request.
pub const RETRY_AFTER_SECONDS: u32 = 1;

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => Self::NotFound("the requested record".into()),
            // Busy or unreachable: the request did nothing and can be retried.
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed => {
                tracing::warn!(error = %error, "database unavailable");
                Self::Unavailable
            }
            // Two writers that waited for each other (Postgres ended this
            // one) or a serialization conflict: rolled back whole, so the
            // same request may simply be sent again.
            // The server shut down or restarted under the connection
            // (operator intervention, class 57) or the connection broke
            // (class 08): nothing of this transaction was committed.
            sqlx::Error::Database(db)
                if db
                    .code()
                    .is_some_and(|c| c.starts_with("57") || c.starts_with("08")) =>
            {
                tracing::warn!(error = %error, "the database went away mid-request");
                Self::Unavailable
            }
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("40P01" | "40001")) =>
            {
                tracing::warn!(error = %error, "a write lost a lock conflict and was rolled back");
                Self::Unavailable
            }
            sqlx::Error::Database(db) => match constraint_violation(db.as_ref()) {
                Some(refusal) => refusal,
                None => Self::internal("database error", &error),
            },
            _ => Self::internal("database error", &error),
        }
    }
}

/// A write a table's constraint refused, as the answer naming the field it
/// concerns (the one helper every constraint violation goes through; a
/// service that knows better words maps its own constraints first): a
/// duplicate is a 409, a reference to nothing or a value out of range 422.
#[cfg(feature = "ssr")]
fn constraint_violation(db: &dyn sqlx::error::DatabaseError) -> Option<AppError> {
    use sqlx::error::ErrorKind;
    let pg = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>();
    // `Key (name)=(curve) already exists.`
    let key = pg.and_then(|e| e.detail()).and_then(|d| {
        let column = d.strip_prefix("Key (")?.split(")=(").next()?;
        let value = d.split(")=(").nth(1)?.split(')').next()?;
        Some((column.to_owned(), value.to_owned()))
    });
    let constraint = db.constraint().unwrap_or("a constraint");
    let field = key
        .as_ref()
        .map(|(column, _)| column.clone())
        .or_else(|| pg.and_then(|e| e.column()).map(str::to_owned));
    let named = field.clone().unwrap_or_else(|| constraint.to_owned());
    let refusal = match db.kind() {
        ErrorKind::UniqueViolation => {
            let what = key.map_or(named, |(c, v)| format!("{c} {v:?}"));
            AppError::Conflict(format!("{what} already exists"))
        }
        ErrorKind::ForeignKeyViolation => AppError::Unprocessable {
            message: match &key {
                Some((c, v)) => {
                    format!("{c} {v:?} refers to nothing, or something still refers to it")
                }
                None => format!("{named} refers to nothing, or something still refers to it"),
            },
            field,
        },
        ErrorKind::NotNullViolation => AppError::Unprocessable {
            message: format!("{named} must be given"),
            field,
        },
        ErrorKind::CheckViolation => AppError::Unprocessable {
            message: format!("a value breaks the rule {constraint}"),
            field,
        },
        _ => return None,
    };
    tracing::info!(constraint, refusal = %refusal, "a constraint refused a write");
    Some(refusal)
}
