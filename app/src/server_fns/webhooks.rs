//! The webhooks pages' doors: subscriptions (list, add, change, remove,
//! rotate the secret) and one subscription's delivery log (send a test,
//! send a delivery again). The forms send text; the comma lists are split
//! here, and the service layer checks everything else.

use crate::error::AppError;
use crate::models::webhook::{CreatedWebhook, DeliveryView, RotatedSecret, WebhookView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::serve,
    crate::domain::webhook::{Channels, Format},
    crate::models::webhook::WebhookInput,
    crate::services::webhooks::{self as service, LOG_LIMIT},
    std::sync::Arc,
};

#[server(prefix = "/sfn", endpoint = "admin/webhooks")]
pub async fn list_webhooks() -> Result<Vec<WebhookView>, AppError> {
    serve(|c| async move { service::list_webhooks(&c.pool, &c.actor, c.now).await }).await
}

#[server(prefix = "/sfn", endpoint = "admin/webhooks/one")]
pub async fn get_webhook(id: i64) -> Result<WebhookView, AppError> {
    serve(|c| async move { service::get_webhook(&c.pool, &c.actor, id, c.now).await }).await
}

/// Whether the forms may offer e-mail: only with the server's SMTP relay.
#[server(prefix = "/sfn", endpoint = "admin/webhooks/email")]
pub async fn webhook_email_offered() -> Result<bool, AppError> {
    serve(|c| {
        let channels = channels();
        async move { service::email_offered(&c.actor, &*channels?) }
    })
    .await
}

/// Adds a subscription and answers with its signing secret, shown once
/// (the form is an island, so the answer never becomes an address).
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/sfn", endpoint = "admin/webhooks/create")]
pub async fn create_webhook(
    url: String,
    description: Option<String>,
    events: String,
    tracks: Option<String>,
    trains: Option<String>,
    enabled: Option<String>,
    format: Option<String>,
    audience: Option<String>,
) -> Result<CreatedWebhook, AppError> {
    let input = input_of(
        url,
        description,
        &events,
        tracks,
        trains,
        enabled,
        format,
        audience,
    );
    serve(|c| {
        let channels = channels();
        async move {
            let channels = channels?;
            service::create_webhook(&c.pool, &c.actor, &input, &channels, c.now).await
        }
    })
    .await
}

/// Replaces a subscription's settings: an unticked `enabled` turns it off,
/// a ticked one turns back on a subscription Trainyard turned off.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/sfn", endpoint = "admin/webhooks/update")]
pub async fn update_webhook(
    id: i64,
    url: String,
    description: Option<String>,
    events: String,
    tracks: Option<String>,
    trains: Option<String>,
    enabled: Option<String>,
    format: Option<String>,
    audience: Option<String>,
) -> Result<(), AppError> {
    let input = input_of(
        url,
        description,
        &events,
        tracks,
        trains,
        enabled,
        format,
        audience,
    );
    serve(|c| {
        let channels = channels();
        async move {
            let channels = channels?;
            service::update_webhook(&c.pool, &c.actor, id, &input, &channels, c.now)
                .await
                .map(|_| ())
        }
    })
    .await
}

/// Removes a subscription with its log; back to the list when it is gone.
#[server(prefix = "/sfn", endpoint = "admin/webhooks/delete")]
pub async fn delete_webhook(id: i64, reason: String) -> Result<(), AppError> {
    let deleted =
        serve(
            |c| async move { service::delete_webhook(&c.pool, &c.actor, id, &reason, c.now).await },
        )
        .await;
    deleted.map(|()| leptos_axum::redirect("/admin/webhooks"))
}

/// A new signing secret, shown once; the previous one signs too for
/// `grace_hours` (blank: the service's default).
#[server(prefix = "/sfn", endpoint = "admin/webhooks/rotate")]
pub async fn rotate_webhook_secret(
    id: i64,
    grace_hours: Option<String>,
) -> Result<RotatedSecret, AppError> {
    serve(|c| async move {
        let grace_hours = match grace_hours.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(hours) => Some(hours.parse::<u16>().map_err(|_| {
                crate::error::bad_field(
                    "grace_hours",
                    format!("{hours:?} is not a number of hours (0 to 168)"),
                )
            })?),
        };
        service::rotate_secret(&c.pool, &c.actor, id, grace_hours, c.now).await
    })
    .await
}

/// The newest deliveries of a subscription, newest first.
#[server(prefix = "/sfn", endpoint = "admin/webhooks/deliveries")]
pub async fn list_webhook_deliveries(id: i64) -> Result<Vec<DeliveryView>, AppError> {
    serve(|c| async move { service::list_deliveries(&c.pool, &c.actor, id, LOG_LIMIT).await }).await
}

#[server(prefix = "/sfn", endpoint = "admin/webhooks/redeliver")]
pub async fn redeliver_webhook_delivery(
    webhook_id: i64,
    delivery_id: i64,
) -> Result<DeliveryView, AppError> {
    serve(|c| async move {
        service::redeliver(&c.pool, &c.actor, webhook_id, delivery_id, c.now).await
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "admin/webhooks/test")]
pub async fn send_webhook_test(id: i64) -> Result<DeliveryView, AppError> {
    serve(|c| async move { service::send_test(&c.pool, &c.actor, id, c.now).await }).await
}

/// The form's fields as the service takes them: a checkbox is sent only
/// when ticked, each list is comma-separated, and no format is the default.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
fn input_of(
    url: String,
    description: Option<String>,
    events: &str,
    tracks: Option<String>,
    trains: Option<String>,
    enabled: Option<String>,
    format: Option<String>,
    audience: Option<String>,
) -> WebhookInput {
    WebhookInput {
        url: url.trim().to_owned(),
        description: description.unwrap_or_default(),
        events: comma_list(events),
        tracks: comma_list(tracks.as_deref().unwrap_or_default()),
        trains: comma_list(trains.as_deref().unwrap_or_default()),
        enabled: enabled.is_some(),
        format: format.unwrap_or_else(|| Format::Standard.as_str().to_owned()),
        audience,
    }
}

/// `promotion.*, train.cut,` → `["promotion.*", "train.cut"]`.
#[cfg(feature = "ssr")]
fn comma_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Where webhooks may be sent, and whether e-mail can be: the server
/// provides it beside the pool.
#[cfg(feature = "ssr")]
fn channels() -> Result<Arc<Channels>, AppError> {
    use_context::<Arc<Channels>>().ok_or_else(|| {
        tracing::error!("no webhook channels in the Leptos context");
        AppError::Internal
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_comma_list_drops_blanks_and_spaces() {
        assert_eq!(
            comma_list(" promotion.*, ,train.cut,"),
            vec!["promotion.*".to_owned(), "train.cut".to_owned()]
        );
        assert!(comma_list("  ").is_empty());
    }

    #[test]
    fn an_unticked_checkbox_turns_a_webhook_off() {
        let input = input_of(
            " http://hooks.example/in ".into(),
            None,
            "train.*",
            Some(String::new()),
            None,
            None,
            None,
            None,
        );
        assert_eq!(input.url, "http://hooks.example/in");
        assert_eq!(input.events, vec!["train.*".to_owned()]);
        assert!(input.tracks.is_empty() && input.trains.is_empty());
        assert!(!input.enabled);
        assert_eq!(input.format, "standard", "no format sent: the default");
    }
}
