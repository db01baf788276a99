use crate::domain::promotion::EnvironmentPolicy;
use crate::error::AppError;
use crate::models::promotion::WaitingForYou;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::idempotency_key::IdempotencyKey;

#[server(prefix = "/sfn", endpoint = "promotions/request")]
pub async fn request_promotion(name: String, note: String, key: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::services::promotions::request_promotion(
            &pool,
            &actor,
            &name,
            &note,
            IdempotencyKey::parse(&key).as_ref(),
            chrono::Utc::now(),
        )
        .await
        .map(|_| ()),
    )
}

#[server(prefix = "/sfn", endpoint = "promotions/approve")]
pub async fn approve_promotion(name: String, comment: String, key: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::services::promotions::approve_promotion(
            &pool,
            &actor,
            &name,
            &comment,
            IdempotencyKey::parse(&key).as_ref(),
            chrono::Utc::now(),
        )
        .await
        .map(|_| ()),
    )
}

#[server(prefix = "/sfn", endpoint = "promotions/reject")]
pub async fn reject_promotion(name: String, comment: String, key: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::services::promotions::reject_promotion(
            &pool,
            &actor,
            &name,
            &comment,
            IdempotencyKey::parse(&key).as_ref(),
            chrono::Utc::now(),
        )
        .await
        .map(|_| ()),
    )
}

#[server(prefix = "/sfn", endpoint = "promotions/cancel")]
pub async fn cancel_promotion(name: String, key: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::services::promotions::cancel_promotion(
            &pool,
            &actor,
            &name,
            IdempotencyKey::parse(&key).as_ref(),
            chrono::Utc::now(),
        )
        .await
        .map(|_| ()),
    )
}

#[server(prefix = "/sfn", endpoint = "promotions/break-glass")]
pub async fn break_glass(name: String, reason: String, key: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::services::promotions::break_glass(
            &pool,
            &actor,
            &name,
            &reason,
            IdempotencyKey::parse(&key).as_ref(),
            chrono::Utc::now(),
        )
        .await
        .map(|_| ()),
    )
}

/// Requests waiting for the signed-in approver.
#[server(prefix = "/sfn", endpoint = "promotions/waiting")]
pub async fn waiting_for_me() -> Result<Vec<WaitingForYou>, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::promotions::waiting_for(
            &pool,
            &crate::server_fns::context::actor(),
            chrono::Utc::now(),
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "promotions/policies")]
pub async fn promotion_policies() -> Result<Vec<EnvironmentPolicy>, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::promotions::list_policies(&pool, &crate::server_fns::context::actor())
            .await,
    )
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
) -> Result<(), AppError> {
    use crate::services::promotions::PolicyForm;
    let pool = crate::server_fns::context::pool()?;
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
    };
    super::with_status(
        crate::services::promotions::save_policy(
            &pool,
            &crate::server_fns::context::actor(),
            &form,
            chrono::Utc::now(),
        )
        .await,
    )
}
