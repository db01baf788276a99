//! Outgoing webhooks, as rules: which events a subscription wants, where
//! Trainyard may send them, and when a failed delivery is tried again.

pub mod allow;
pub mod event_type;
pub mod filter;
pub mod retry;
pub mod schema;
#[cfg(feature = "ssr")]
pub mod url;

pub use allow::AllowList;
pub use event_type::{is_event_type, EVENT_TYPES};
pub use filter::{EventFacts, Filter};
pub use retry::{parse_delay, NextAttempt, RetrySchedule};
#[cfg(feature = "ssr")]
pub use url::WebhookUrl;
