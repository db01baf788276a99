use crate::error::AppError;
use crate::models::promotion::WaitingForYou;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::serve, crate::domain::idempotency_key::IdempotencyKey,
    crate::services::promotions,
};

#[server(prefix = "/sfn", endpoint = "promotions/request")]
pub async fn request_promotion(name: String, note: String, key: String) -> Result<(), AppError> {
    serve(|c| async move {
        let key = IdempotencyKey::parse(&key);
        promotions::request_promotion(&c.pool, &c.actor, &name, &note, key.as_ref(), c.now)
            .await
            .map(|_| ())
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "promotions/approve")]
pub async fn approve_promotion(name: String, comment: String, key: String) -> Result<(), AppError> {
    serve(|c| async move {
        let key = IdempotencyKey::parse(&key);
        promotions::approve_promotion(&c.pool, &c.actor, &name, &comment, key.as_ref(), c.now)
            .await
            .map(|_| ())
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "promotions/reject")]
pub async fn reject_promotion(name: String, comment: String, key: String) -> Result<(), AppError> {
    serve(|c| async move {
        let key = IdempotencyKey::parse(&key);
        promotions::reject_promotion(&c.pool, &c.actor, &name, &comment, key.as_ref(), c.now)
            .await
            .map(|_| ())
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "promotions/cancel")]
pub async fn cancel_promotion(name: String, key: String) -> Result<(), AppError> {
    serve(|c| async move {
        let key = IdempotencyKey::parse(&key);
        promotions::cancel_promotion(&c.pool, &c.actor, &name, key.as_ref(), c.now)
            .await
            .map(|_| ())
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "promotions/break-glass")]
pub async fn break_glass(name: String, reason: String, key: String) -> Result<(), AppError> {
    serve(|c| async move {
        let key = IdempotencyKey::parse(&key);
        promotions::break_glass(&c.pool, &c.actor, &name, &reason, key.as_ref(), c.now)
            .await
            .map(|_| ())
    })
    .await
}

/// Requests waiting for the signed-in approver.
#[server(prefix = "/sfn", endpoint = "promotions/waiting")]
pub async fn waiting_for_me() -> Result<Vec<WaitingForYou>, AppError> {
    serve(|c| async move { promotions::waiting_for(&c.pool, &c.actor, c.now).await }).await
}

/// The admin form: one environment's policy; checkboxes are present when ticked.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/sfn", endpoint = "promotions/policies/save")]
pub async fn save_policy(
    environment: String,
    required_approvals: String,
    approver_role: String,
    requester_may_approve: Option<String>,
    wait_timer: String,
    require_gates: Option<String>,
    soak_hours: String,
    freeze_blocks: Option<String>,
    auto_rollback: Option<String>,
    require_evidence: Option<String>,
    owner_review: Option<String>,
    confirmed_by_cd: Option<String>,
) -> Result<(), AppError> {
    use crate::services::promotions::PolicyForm;
    let form = PolicyForm {
        environment,
        required_approvals,
        approver_role,
        requester_may_approve: requester_may_approve.is_some(),
        wait_timer,
        require_gates: require_gates.is_some(),
        soak_hours,
        freeze_blocks: freeze_blocks.is_some(),
        auto_rollback: auto_rollback.is_some(),
        require_evidence: require_evidence.is_some(),
        owner_review: owner_review.is_some(),
        confirmed_by_cd: confirmed_by_cd.is_some(),
    };
    let environment = form.environment.clone();
    serve(|c| async move { promotions::save_policy(&c.pool, &c.actor, &form, c.now).await })
        .await
        // The page shows one message for every environment's form: it names
        // the environment.
        .map_err(|e| e.map_field(|field, message| (field, format!("{environment}: {message}"))))
}
