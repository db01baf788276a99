//! Outgoing webhooks, as rules: which events a subscription wants, where
//! Trainyard may send them, what a delivery looks like (Standard Webhooks
//! JSON, a Slack message or an e-mail), and when a failed delivery is tried
//! again.

pub mod allow;
pub mod audience;
#[cfg(feature = "ssr")]
pub mod destination;
pub mod email;
pub mod event_type;
pub mod filter;
pub mod format;
pub mod mailto;
pub mod retry;
pub mod schema;
pub mod slack;
#[cfg(feature = "ssr")]
pub mod url;

pub use allow::AllowList;
pub use audience::{Audience, NotificationPolicy};
#[cfg(feature = "ssr")]
pub use destination::{Channels, Destination};
pub use event_type::{is_event_type, EVENT_TYPES};
pub use filter::{EventFacts, Filter};
pub use format::Format;
pub use mailto::Recipients;
pub use retry::{parse_delay, verdict, NextAttempt, RetrySchedule, Verdict};
#[cfg(feature = "ssr")]
pub use url::WebhookUrl;
