use crate::error::AppError;
use crate::models::CalendarView;
use leptos::prelude::*;

/// The trains shown on the calendar, from today on.
#[server(prefix = "/sfn", endpoint = "calendar/view")]
pub async fn get_calendar_view() -> Result<CalendarView, AppError> {
    let pool = crate::services::db::pool()?;
    super::with_status(
        crate::services::calendar::calendar_view(
            &pool,
            &crate::services::request::actor(),
            chrono::Utc::now(),
            200,
        )
        .await,
    )
}
