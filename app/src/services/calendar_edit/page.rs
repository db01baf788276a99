use crate::domain::access::Action;
use crate::domain::calendar::month::Month;
use crate::error::AppError;
use crate::models::calendar::CalendarPageData;
use crate::services::access::may;
use crate::services::actor::Actor;
use crate::services::calendar::list_tracks;
use crate::services::calendar_plan::calendar_entries;
use chrono::{DateTime, Days, Duration, NaiveTime, Utc};
use sqlx::PgPool;

/// How far the agenda looks ahead.
const AGENDA_WEEKS: i64 = 8;
/// How far back the agenda's recent trains reach.
const RECENT_DAYS: i64 = 14;

/// The calendar page: a month's grid when `month` is given, otherwise the
/// agenda from the start of today.
#[tracing::instrument(skip(pool))]
pub async fn calendar_page(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
    month: Option<Month>,
) -> Result<CalendarPageData, AppError> {
    let tracks = list_tracks(pool, actor).await?;
    let today = now.date_naive().and_time(NaiveTime::MIN).and_utc();
    let agenda = month.is_none();
    let (from, to) = match month {
        None => (
            today - Duration::days(RECENT_DAYS),
            today + Duration::weeks(AGENDA_WEEKS),
        ),
        Some(month) => {
            let weeks = month.weeks();
            let first = weeks.first().map_or(month.first_day(), |w| w[0]);
            let last = weeks.last().map_or(month.first_day(), |w| w[6]);
            (
                first.and_time(NaiveTime::MIN).and_utc(),
                (last + Days::new(1)).and_time(NaiveTime::MIN).and_utc(),
            )
        }
    };
    let (mut recent, entries): (Vec<_>, Vec<_>) = calendar_entries(pool, actor, now, from, to)
        .await?
        .into_iter()
        .partition(|e| agenda && e.at < today);
    recent.reverse();
    let mut conn = pool.acquire().await?;
    let freezes = super::list_freezes(&mut conn, now.min(from)).await?;
    let rotation = super::rotation::load(&mut conn, now).await?;
    Ok(CalendarPageData {
        now,
        tracks,
        entries,
        recent,
        freezes,
        rotation,
        may_edit: may(actor, Action::EditCalendar),
        may_manage_rotation: may(actor, Action::ManageRotation),
    })
}
