use crate::error::AppError;
use crate::models::calendar::{CadenceForm, CadenceView, CalendarPageData, FreezeView, SlotView};
use crate::models::CalendarView;
use leptos::prelude::*;

/// The trains shown on the calendar, from today on.
#[server(prefix = "/sfn", endpoint = "calendar/view")]
pub async fn get_calendar_view() -> Result<CalendarView, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::calendar::calendar_view(
            &pool,
            &crate::server_fns::context::actor(),
            chrono::Utc::now(),
            200,
        )
        .await,
    )
}

/// The calendar page: the agenda (no month), or a month (`YYYY-MM`, or
/// `current`).
#[server(prefix = "/sfn", endpoint = "calendar/page")]
pub async fn calendar_page(month: Option<String>) -> Result<CalendarPageData, AppError> {
    use crate::domain::calendar::month::Month;
    let now = chrono::Utc::now();
    let month = month
        .map(|m| match m.trim() {
            "" | "current" => Ok(Month::of(now.date_naive())),
            m => Month::parse(m),
        })
        .transpose()
        .map_err(|message| AppError::BadRequest {
            field: Some("month".into()),
            message,
        })?;
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    super::with_status(
        crate::server_fns::context::read_cache()?
            .read(&actor, &format!("calendar {month:?}"), || {
                crate::services::calendar_edit::calendar_page(&pool, &actor, now, month)
            })
            .await,
    )
}

#[server(prefix = "/sfn", endpoint = "calendar/slot")]
pub async fn calendar_slot(name: String) -> Result<SlotView, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::calendar_edit::slot_view(
            &pool,
            &crate::server_fns::context::actor(),
            &name,
            chrono::Utc::now(),
        )
        .await,
    )
}

/// Back to the calendar once an edit is saved.
#[cfg(feature = "ssr")]
fn done(result: Result<(), AppError>, to: &str) -> Result<(), AppError> {
    let result = super::with_status(result);
    if result.is_ok() {
        leptos_axum::redirect(to);
    }
    result
}

#[server(prefix = "/sfn", endpoint = "calendar/on-call")]
pub async fn assign_on_call(name: String, on_call: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let result = crate::services::calendar_edit::assign_on_call(
        &pool,
        &actor,
        &name,
        &on_call,
        chrono::Utc::now(),
    )
    .await;
    done(result, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/move")]
pub async fn move_train(name: String, to: String, reason: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let result = crate::services::calendar_edit::move_train(
        &pool,
        &actor,
        &name,
        &to,
        &reason,
        chrono::Utc::now(),
    )
    .await;
    done(result, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/skip")]
pub async fn skip_train(name: String, reason: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let result = crate::services::calendar_edit::skip_train(
        &pool,
        &actor,
        &name,
        &reason,
        chrono::Utc::now(),
    )
    .await;
    done(result, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/hotfix")]
pub async fn record_hotfix(
    track: String,
    tag: String,
    at: String,
    on_call: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::services::calendar_edit::HotfixForm;
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let form = HotfixForm {
        track,
        tag,
        at,
        on_call,
        reason,
    };
    let result =
        crate::services::calendar_edit::record_hotfix(&pool, &actor, &form, chrono::Utc::now())
            .await;
    match result {
        Ok(name) => done(Ok(()), &format!("/trains/{name}")),
        Err(e) => done(Err(e), "/calendar"),
    }
}

#[server(prefix = "/sfn", endpoint = "calendar/freeze")]
pub async fn get_freeze(id: i64) -> Result<FreezeView, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::calendar_edit::freeze_view(
            &pool,
            &crate::server_fns::context::actor(),
            id,
        )
        .await,
    )
}

/// Creates (no `id`) or changes a freeze window; ticked `tracks[]` (none:
/// every track).
#[server(prefix = "/sfn", endpoint = "calendar/freeze/save")]
pub async fn save_freeze(
    id: Option<i64>,
    starts_at: String,
    ends_at: String,
    reason: String,
    tracks: Option<Vec<String>>,
    effect: String,
) -> Result<(), AppError> {
    use crate::services::calendar_edit::FreezeForm;
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let form = FreezeForm {
        starts_at,
        ends_at,
        reason,
        tracks: tracks.unwrap_or_default(),
        effect,
    };
    let result =
        crate::services::calendar_edit::save_freeze(&pool, &actor, id, &form, chrono::Utc::now())
            .await
            .map(|_| ());
    done(result, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/freeze/delete")]
pub async fn delete_freeze(id: i64) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let result =
        crate::services::calendar_edit::delete_freeze(&pool, &actor, id, chrono::Utc::now()).await;
    done(result, "/calendar")
}

/// A track's cadence, with the preview of a proposed one.
#[server(prefix = "/sfn", endpoint = "calendar/cadence")]
pub async fn get_cadence(
    track: String,
    proposal: Option<CadenceForm>,
) -> Result<CadenceView, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::calendar_edit::cadence_view(
            &pool,
            &crate::server_fns::context::actor(),
            &track,
            proposal,
            chrono::Utc::now(),
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "calendar/cadence/save")]
pub async fn save_cadence(
    track: String,
    every: String,
    days: Option<Vec<String>>,
    time: String,
    starts_on: String,
) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let form = CadenceForm {
        every,
        days: days.unwrap_or_default(),
        time,
        starts_on,
    };
    let result = crate::services::calendar_edit::save_cadence(
        &pool,
        &actor,
        &track,
        &form,
        chrono::Utc::now(),
    )
    .await;
    done(result, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/rotation/save")]
pub async fn save_rotation(teams: String, starts_on: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    let actor = crate::server_fns::context::actor();
    let result = crate::services::calendar_edit::save_rotation(
        &pool,
        &actor,
        &teams,
        &starts_on,
        chrono::Utc::now(),
    )
    .await;
    done(result, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/tracks")]
pub async fn list_tracks() -> Result<Vec<crate::models::TrackSummary>, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::calendar::list_tracks(&pool, &crate::server_fns::context::actor()).await,
    )
}
