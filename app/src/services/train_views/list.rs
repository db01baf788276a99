use crate::domain::calendar_edit::parse_date;
use crate::domain::participant::{progress, Phase};
use crate::domain::TrainState;
use crate::error::bad_field as bad;
use crate::error::AppError;
use crate::models::train_page::{TrainFilter, TrainList, TrainListRow};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{Days, NaiveTime};
use sqlx::PgPool;

pub const PER_PAGE: i64 = 25;

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// One page of trains matching the filter, newest planned first.
#[tracing::instrument(skip(pool))]
pub async fn train_list(
    pool: &PgPool,
    actor: &Actor,
    filter: &TrainFilter,
) -> Result<TrainList, AppError> {
    authorize_read(actor)?;
    let state = given(&filter.state)
        .map(|s| TrainState::parse(s).map_err(|e| bad("state", e)))
        .transpose()?;
    let from = given(&filter.from)
        .map(|d| parse_date(d).map_err(|e| bad("from", e)))
        .transpose()?
        .map(|d| d.and_time(NaiveTime::MIN).and_utc());
    let to = given(&filter.to)
        .map(|d| parse_date(d).map_err(|e| bad("to", e)))
        .transpose()?
        .map(|d| (d + Days::new(1)).and_time(NaiveTime::MIN).and_utc());
    let track = given(&filter.track);
    let service = given(&filter.service);
    let page = filter.page.unwrap_or(1).max(1);
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM train t LEFT JOIN track k USING (track_id)
           WHERE ($1::text IS NULL OR k.name = $1) AND ($2::text IS NULL OR t.state = $2)
             AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM participant p JOIN service s USING (service_id)
                                              WHERE p.train_id = t.train_id AND s.name = $3))
             AND ($4::timestamptz IS NULL OR t.planned_start >= $4)
             AND ($5::timestamptz IS NULL OR t.planned_start < $5)"#,
        track,
        state.map(|s| s.as_str()),
        service,
        from,
        to
    )
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query!(
        r#"SELECT t.name, t.tag, k.name AS "track?", t.state, t.planned_start, t.captain, t.on_call,
                  coalesce(array_agg(p.status) FILTER (WHERE p.status IS NOT NULL), '{}') AS "phases!"
           FROM train t LEFT JOIN track k USING (track_id) LEFT JOIN participant p USING (train_id)
           WHERE ($1::text IS NULL OR k.name = $1) AND ($2::text IS NULL OR t.state = $2)
             AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM participant p3 JOIN service s USING (service_id)
                                              WHERE p3.train_id = t.train_id AND s.name = $3))
             AND ($4::timestamptz IS NULL OR t.planned_start >= $4)
             AND ($5::timestamptz IS NULL OR t.planned_start < $5)
           GROUP BY t.train_id, k.name
           ORDER BY t.planned_start DESC NULLS FIRST, t.name
           LIMIT $6 OFFSET $7"#,
        track,
        state.map(|s| s.as_str()),
        service,
        from,
        to,
        PER_PAGE,
        (page - 1) * PER_PAGE
    )
    .fetch_all(pool)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let state = TrainState::parse(&r.state).map_err(|_| AppError::Internal)?;
            let phases: Vec<Phase> = r.phases.iter().filter_map(|p| Phase::parse(p)).collect();
            Ok(TrainListRow {
                name: r.name,
                tag: r.tag,
                track: r.track,
                state,
                planned_start: r.planned_start,
                captain: r.captain,
                on_call: r.on_call,
                participants: phases.len() as i64,
                progress: progress(state, &phases),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let tracks = sqlx::query_scalar!("SELECT name FROM track ORDER BY position, name")
        .fetch_all(pool)
        .await?;
    let services = sqlx::query_scalar!("SELECT name FROM service ORDER BY name")
        .fetch_all(pool)
        .await?;
    Ok(TrainList {
        rows,
        total,
        page,
        per_page: PER_PAGE,
        tracks,
        services,
    })
}
