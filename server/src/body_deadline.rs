//! Slow request bodies: a client may not hold a connection by sending its
//! body a byte at a time. Each body must arrive within a deadline that
//! starts at `TRAINYARD_BODY_READ_TIMEOUT` and grows by one second for every
//! `TRAINYARD_BODY_MIN_RATE` bytes received (Apache's `mod_reqtimeout`
//! rule: a large upload on a slow but steady link is fine, a trickle is
//! not). When it passes, the body ends in an error, whatever was reading it
//! gives up, and the answer is a 408 that closes the connection. Nothing
//! is changed: no handler acts on a body it could not read in full.

use app::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// How long a body may take: `base`, plus a second per `min_rate` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyDeadline {
    pub base: Duration,
    /// Bytes per second a body must keep up, on average.
    pub min_rate: u64,
}

impl BodyDeadline {
    /// When a body that started at `started` and has sent `received` bytes
    /// must be done.
    fn due(&self, started: Instant, received: u64) -> Instant {
        let earned = Duration::from_secs_f64(received as f64 / self.min_rate.max(1) as f64);
        started + self.base + earned
    }
}

/// The middleware: every request's body gets the deadline.
pub async fn enforce(
    State(deadline): State<BodyDeadline>,
    request: Request,
    next: Next,
) -> Response {
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let expired = Arc::new(AtomicBool::new(false));
    let flag = expired.clone();
    let request = request.map(|body| Body::new(TimedBody::new(body, deadline, flag)));
    let response = next.run(request).await;
    if !expired.load(Ordering::Acquire) {
        return response;
    }
    tracing::info!("a request body arrived too slowly; answered 408");
    let mut answer = crate::routes::api::error::ApiError(AppError::RequestTimeout).into_response();
    answer
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    answer
}

/// The error a body ends with when its deadline passed.
#[derive(Debug, thiserror::Error)]
#[error("the request body arrived too slowly")]
pub struct TooSlow;

struct TimedBody {
    inner: Body,
    deadline: BodyDeadline,
    started: Instant,
    received: u64,
    timer: Pin<Box<Sleep>>,
    expired: Arc<AtomicBool>,
}

impl TimedBody {
    fn new(inner: Body, deadline: BodyDeadline, expired: Arc<AtomicBool>) -> Self {
        let started = Instant::now();
        Self {
            inner,
            deadline,
            started,
            received: 0,
            timer: Box::pin(tokio::time::sleep_until(deadline.due(started, 0))),
            expired,
        }
    }
}

impl HttpBody for TimedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            if let Some(data) = frame.as_ref().and_then(|f| f.as_ref().ok()?.data_ref()) {
                this.received += data.len() as u64;
                let due = this.deadline.due(this.started, this.received);
                this.timer.as_mut().reset(due);
            }
            return Poll::Ready(frame);
        }
        match this.timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                this.expired.store(true, Ordering::Release);
                Poll::Ready(Some(Err(axum::Error::new(TooSlow))))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_grows_with_what_has_arrived() {
        let rule = BodyDeadline {
            base: Duration::from_secs(10),
            min_rate: 1024,
        };
        let start = Instant::now();
        assert_eq!(rule.due(start, 0), start + Duration::from_secs(10));
        assert_eq!(rule.due(start, 10 * 1024), start + Duration::from_secs(20));
    }
}
