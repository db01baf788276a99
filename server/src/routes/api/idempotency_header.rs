//! The optional `Idempotency-Key` header of the API's writes (promotions,
//! gate results): a retry with the same key gets the first answer.

use app::domain::idempotency_key::IdempotencyKey;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The optional `Idempotency-Key` header (blank: none).
pub struct IdempotencyHeader(pub Option<IdempotencyKey>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyHeader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .and_then(IdempotencyKey::parse);
        Ok(Self(key))
    }
}

/// The header as the API document describes it, for `params(...)`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // read only by the API document
pub struct IdempotencyKeyParam {
    /// 8-128 characters without spaces at the ends: the same call sent
    /// again with the key changes nothing and gets the first answer.
    #[param(
        rename = "Idempotency-Key",
        min_length = 8,
        max_length = 128,
        pattern = r"^\S(.*\S)?$"
    )]
    idempotency_key: Option<String>,
}
