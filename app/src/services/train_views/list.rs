use crate::domain::calendar::edit::parse_date;
use crate::domain::keyset::{PageAt, PageLinks, TimeAndName};
use crate::domain::participant::{progress, Phase};
use crate::domain::TrainState;
use crate::error::bad_field as bad;
use crate::error::AppError;
use crate::models::train_page::{TrainFilter, TrainList, TrainListRow};
use crate::models::MatchCount;
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{DateTime, Days, NaiveTime, Utc};
use sqlx::{PgConnection, PgPool};

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
    let criteria = parse_filter(filter)?;
    let at = PageAt::<TimeAndName>::parse(filter.after.as_deref(), filter.before.as_deref())
        .map_err(|e| bad(e.0, e))?;
    let mut conn = pool.begin().await?;
    let total = count_matching(&mut conn, &criteria).await?;
    let rows = page_rows(&mut conn, &criteria, &at).await?;
    let (tracks, services) = filter_choices(&mut conn).await?;
    let (rows, links) = PageLinks::settle(&at, rows, PER_PAGE as usize, |r: &TrainListRow| {
        TimeAndName {
            at: r.planned_start,
            name: r.name.clone(),
        }
    });
    Ok(TrainList {
        rows,
        total: MatchCount::from_capped(total),
        links,
        tracks,
        services,
    })
}

/// The filter's criteria, each parsed; blank fields do not filter.
struct Criteria<'a> {
    state: Option<TrainState>,
    /// The first day's start.
    from: Option<DateTime<Utc>>,
    /// The end of the last day (the next day's start).
    to: Option<DateTime<Utc>>,
    track: Option<&'a str>,
    service: Option<&'a str>,
}

fn parse_filter(filter: &TrainFilter) -> Result<Criteria<'_>, AppError> {
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
    Ok(Criteria {
        state,
        from,
        to,
        track: given(&filter.track),
        service: given(&filter.service),
    })
}

/// How many trains match, counted up to just past the shown limit.
async fn count_matching(conn: &mut PgConnection, c: &Criteria<'_>) -> Result<i64, AppError> {
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM (
               SELECT 1 FROM train t LEFT JOIN track k USING (track_id)
               WHERE ($1::text IS NULL OR k.name = $1) AND ($2::text IS NULL OR t.state = $2)
                 AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM participant p JOIN service s USING (service_id)
                                                  WHERE p.train_id = t.train_id AND s.name = $3))
                 AND ($4::timestamptz IS NULL OR t.planned_start >= $4)
                 AND ($5::timestamptz IS NULL OR t.planned_start < $5)
               LIMIT $6) matching"#,
        c.track,
        c.state.map(|s| s.as_str()),
        c.service,
        c.from,
        c.to,
        MatchCount::LIMIT + 1
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(total)
}

/// The page's rows: newest planned first (unplanned, `infinity`, before
/// everything), then by name; a page before a key is read in reverse, then
/// turned. One row more than a page tells whether another page follows.
async fn page_rows(
    conn: &mut PgConnection,
    c: &Criteria<'_>,
    at: &PageAt<TimeAndName>,
) -> Result<Vec<TrainListRow>, AppError> {
    let (key, backwards) = at.key_and_direction();
    let rows = sqlx::query!(
        r#"SELECT t.name, t.tag, k.name AS "track?", t.state, t.planned_start, t.captain, t.on_call,
                  coalesce((SELECT array_agg(p.status) FROM participant p WHERE p.train_id = t.train_id), '{}')
                      AS "phases!"
           FROM train t LEFT JOIN track k USING (track_id)
           WHERE ($1::text IS NULL OR k.name = $1) AND ($2::text IS NULL OR t.state = $2)
             AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM participant p3 JOIN service s USING (service_id)
                                              WHERE p3.train_id = t.train_id AND s.name = $3))
             AND ($4::timestamptz IS NULL OR t.planned_start >= $4)
             AND ($5::timestamptz IS NULL OR t.planned_start < $5)
             AND ($9 OR CASE
                   WHEN $8 THEN (coalesce(t.planned_start, 'infinity'::timestamptz), t.name)
                              > (coalesce($6, 'infinity'::timestamptz), $7)
                   ELSE (coalesce(t.planned_start, 'infinity'::timestamptz), t.name)
                      < (coalesce($6, 'infinity'::timestamptz), $7)
                 END)
           ORDER BY CASE WHEN $8 THEN coalesce(t.planned_start, 'infinity'::timestamptz) END ASC,
                    CASE WHEN $8 THEN t.name END ASC,
                    coalesce(t.planned_start, 'infinity'::timestamptz) DESC, t.name DESC
           LIMIT $10"#,
        c.track,
        c.state.map(|s| s.as_str()),
        c.service,
        c.from,
        c.to,
        key.and_then(|k| k.at),
        key.map_or("", |k| k.name.as_str()),
        backwards,
        key.is_none(),
        PER_PAGE + 1
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let state = TrainState::parse(&r.state).map_err(|e| {
                tracing::error!(error = %e, "stored train state does not parse");
                AppError::Internal
            })?;
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
        .collect::<Result<Vec<_>, AppError>>()
}

/// Every track and every service, for the filter's choices.
async fn filter_choices(conn: &mut PgConnection) -> Result<(Vec<String>, Vec<String>), AppError> {
    let tracks = sqlx::query_scalar!("SELECT name FROM track ORDER BY position, name")
        .fetch_all(&mut *conn)
        .await?;
    let services = sqlx::query_scalar!("SELECT name FROM service ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    Ok((tracks, services))
}
