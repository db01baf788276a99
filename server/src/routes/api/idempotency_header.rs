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
