//! Outgoing webhooks: subscriptions (admins manage them), the outbox every
//! announced change writes to in its own transaction, the queue delivery
//! workers claim from, and the delivery log.

mod log;
pub mod outbox;
mod policy;
mod queue;
mod rows;
mod secret;
mod subscriptions;

pub use log::{list_deliveries, redeliver, send_test, LOG_LIMIT};
pub(crate) use policy::policy_effects;
pub use policy::PolicyEffects;
pub use queue::{claim, fan_out, finish, prune, Attempt, Claimed, Outcome, QueueSettings};
pub use subscriptions::{
    create_webhook, delete_webhook, email_offered, get_webhook, list_webhooks, rotate_secret,
    update_webhook,
};
