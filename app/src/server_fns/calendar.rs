use crate::error::AppError;
use crate::models::calendar::{CadenceForm, CadenceView, CalendarPageData, FreezeView, SlotView};
use crate::models::CalendarView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::{serve, serve_cached},
    crate::services::calendar_edit as edit,
};

/// The trains shown on the calendar, from today on.
#[server(prefix = "/sfn", endpoint = "calendar/view")]
pub async fn get_calendar_view() -> Result<CalendarView, AppError> {
    serve(|c| async move {
        crate::services::calendar::calendar_view(&c.pool, &c.actor, c.now, 200).await
    })
    .await
}

/// The calendar page: the agenda (no month), or a month (`YYYY-MM`, or
/// `current`).
#[server(prefix = "/sfn", endpoint = "calendar/page")]
pub async fn calendar_page(month: Option<String>) -> Result<CalendarPageData, AppError> {
    use crate::domain::calendar::month::Month;
    let today = chrono::Utc::now().date_naive();
    let month = month
        .map(|m| match m.trim() {
            "" | "current" => Ok(Month::of(today)),
            m => Month::parse(m),
        })
        .transpose();
    match month {
        Ok(month) => {
            serve_cached(&format!("calendar {month:?}"), move |c| async move {
                edit::calendar_page(&c.pool, &c.actor, c.now, month).await
            })
            .await
        }
        Err(message) => {
            serve(|_| async move { Err(crate::error::bad_field("month", message)) }).await
        }
    }
}

#[server(prefix = "/sfn", endpoint = "calendar/slot")]
pub async fn calendar_slot(name: String) -> Result<SlotView, AppError> {
    serve(|c| async move { edit::slot_view(&c.pool, &c.actor, &name, c.now).await }).await
}

/// Back to `to` once an edit is saved; a refused edit stays on its page,
/// which shows the error beside the form.
#[cfg(feature = "ssr")]
fn redirect_when_saved(result: Result<(), AppError>, to: &str) -> Result<(), AppError> {
    if result.is_ok() {
        leptos_axum::redirect(to);
    }
    result
}

#[server(prefix = "/sfn", endpoint = "calendar/on-call")]
pub async fn assign_on_call(name: String, on_call: String) -> Result<(), AppError> {
    let saved = serve(|c| async move {
        edit::assign_on_call(&c.pool, &c.actor, &name, &on_call, c.now).await
    });
    redirect_when_saved(saved.await, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/move")]
pub async fn move_train(
    name: String,
    to: String,
    reason: String,
    category: Option<String>,
) -> Result<(), AppError> {
    let saved = serve(|c| async move {
        let category = category.unwrap_or_default();
        edit::move_train(&c.pool, &c.actor, &name, &to, &reason, &category, c.now).await
    });
    redirect_when_saved(saved.await, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/skip")]
pub async fn skip_train(name: String, reason: String) -> Result<(), AppError> {
    let saved =
        serve(|c| async move { edit::skip_train(&c.pool, &c.actor, &name, &reason, c.now).await });
    redirect_when_saved(saved.await, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/hotfix")]
pub async fn record_hotfix(
    track: String,
    tag: String,
    at: String,
    on_call: String,
    reason: String,
) -> Result<(), AppError> {
    let form = edit::HotfixForm {
        track,
        tag,
        at,
        on_call,
        reason,
    };
    let saved =
        serve(|c| async move { edit::record_hotfix(&c.pool, &c.actor, &form, c.now).await });
    match saved.await {
        Ok(name) => redirect_when_saved(Ok(()), &format!("/trains/{name}")),
        Err(e) => Err(e),
    }
}

#[server(prefix = "/sfn", endpoint = "calendar/freeze")]
pub async fn get_freeze(id: i64) -> Result<FreezeView, AppError> {
    serve(|c| async move { edit::freeze_view(&c.pool, &c.actor, id).await }).await
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
    let form = edit::FreezeForm {
        starts_at,
        ends_at,
        reason,
        tracks: tracks.unwrap_or_default(),
        effect,
    };
    let saved = serve(|c| async move {
        edit::save_freeze(&c.pool, &c.actor, id, &form, c.now)
            .await
            .map(|_| ())
    });
    redirect_when_saved(saved.await, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/freeze/delete")]
pub async fn delete_freeze(id: i64) -> Result<(), AppError> {
    let saved = serve(|c| async move { edit::delete_freeze(&c.pool, &c.actor, id, c.now).await });
    redirect_when_saved(saved.await, "/calendar")
}

/// A track's cadence, with the preview of a proposed one.
#[server(prefix = "/sfn", endpoint = "calendar/cadence")]
pub async fn get_cadence(
    track: String,
    proposal: Option<CadenceForm>,
) -> Result<CadenceView, AppError> {
    serve(|c| async move { edit::cadence_view(&c.pool, &c.actor, &track, proposal, c.now).await })
        .await
}

#[server(prefix = "/sfn", endpoint = "calendar/cadence/save")]
pub async fn save_cadence(
    track: String,
    every: String,
    days: Option<Vec<String>>,
    time: String,
    starts_on: String,
    zone: Option<String>,
) -> Result<(), AppError> {
    let form = CadenceForm {
        every,
        days: days.unwrap_or_default(),
        time,
        starts_on,
        zone: zone.unwrap_or_default(),
    };
    let saved =
        serve(|c| async move { edit::save_cadence(&c.pool, &c.actor, &track, &form, c.now).await });
    redirect_when_saved(saved.await, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/rotation/save")]
pub async fn save_rotation(teams: String, starts_on: String) -> Result<(), AppError> {
    let saved = serve(|c| async move {
        edit::save_rotation(&c.pool, &c.actor, &teams, &starts_on, c.now).await
    });
    redirect_when_saved(saved.await, "/calendar")
}

#[server(prefix = "/sfn", endpoint = "calendar/tracks")]
pub async fn list_tracks() -> Result<Vec<crate::models::TrackSummary>, AppError> {
    serve(|c| async move { crate::services::calendar::list_tracks(&c.pool, &c.actor).await }).await
}

/// The planning part of a track form as the input it stands for.
#[cfg(feature = "ssr")]
fn planning_input(
    form: Option<crate::pages::track_planning_fields::PlanningForm>,
) -> Result<crate::domain::calendar::planning::PlanningInput, AppError> {
    form.unwrap_or_default()
        .input()
        .map_err(|(field, message)| crate::error::bad_field(field, message))
}

/// Adds a track from the admin form; `on_demand` ticked means no cadence.
/// Then shows it on the calendar.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/sfn", endpoint = "calendar/tracks/create")]
pub async fn create_track(
    name: String,
    description: String,
    on_demand: Option<String>,
    every: String,
    days: Option<Vec<String>>,
    time: String,
    starts_on: String,
    zone: String,
    freeze_offset_minutes: String,
    soak_hours: String,
    rollback_timeout_minutes: Option<String>,
    promotes_to: String,
    pipeline: Option<String>,
    direct: Option<String>,
    direct_approvals: Option<String>,
    patches: Option<String>,
    gate_template: Option<String>,
    naming: Option<crate::domain::release_naming::NamingInput>,
    planning: Option<crate::pages::track_planning_fields::PlanningForm>,
    runs_without_on_call: Option<String>,
    colour: Option<String>,
) -> Result<(), AppError> {
    let planning = planning_input(planning)?;
    let number = |field: &str, raw: &str| -> Result<i64, AppError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(0);
        }
        raw.parse()
            .map_err(|_| crate::error::bad_field(field, format!("{raw:?} is not a whole number")))
    };
    let input = crate::domain::track_input::TrackInput {
        name,
        description,
        cadence: on_demand.is_none().then(|| CadenceForm {
            every,
            days: days.unwrap_or_default(),
            time,
            starts_on,
            zone,
        }),
        freeze_offset_minutes: number("freeze_offset_minutes", &freeze_offset_minutes)?,
        soak_hours: number("soak_hours", &soak_hours)?,
        rollback_timeout_minutes: optional_number(
            "rollback_timeout_minutes",
            rollback_timeout_minutes.as_deref(),
        )?,
        promotes_to: Some(promotes_to),
        naming: naming.unwrap_or_default(),
        planning,
        runs_without_on_call: runs_without_on_call.is_some(),
        colour,
        ..lane_input(pipeline, direct, direct_approvals, patches, gate_template)?
    };
    let created = serve(|c| async move {
        crate::services::tracks::create_track(&c.pool, &c.actor, &input, c.now).await
    })
    .await;
    match created {
        Ok(track) => {
            leptos_axum::redirect(&format!("/calendar?track={}", track.name));
            Ok(())
        }
        // The form's cadence fields have no `cadence.` prefix.
        Err(e) => Err(e.map_field(|field, message| {
            let field = field.map(|f| f.trim_start_matches("cadence.").to_owned());
            (field, message)
        })),
    }
}

/// Changes a track's description, freeze, soak and promotion target.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/sfn", endpoint = "calendar/tracks/save")]
pub async fn save_track(
    name: String,
    description: String,
    freeze_offset_minutes: String,
    soak_hours: String,
    rollback_timeout_minutes: Option<String>,
    promotes_to: String,
    pipeline: Option<String>,
    direct: Option<String>,
    direct_approvals: Option<String>,
    patches: Option<String>,
    gate_template: Option<String>,
    naming: Option<crate::domain::release_naming::NamingInput>,
    planning: Option<crate::pages::track_planning_fields::PlanningForm>,
    runs_without_on_call: Option<String>,
    colour: Option<String>,
) -> Result<(), AppError> {
    let planning = planning_input(planning)?;
    let number = |field: &str, raw: &str| -> Result<i64, AppError> {
        raw.trim().parse().map_err(|_| {
            crate::error::bad_field(field, format!("{:?} is not a whole number", raw.trim()))
        })
    };
    let input = crate::domain::track_input::TrackInput {
        name: name.clone(),
        description,
        cadence: None,
        freeze_offset_minutes: number("freeze_offset_minutes", &freeze_offset_minutes)?,
        soak_hours: number("soak_hours", &soak_hours)?,
        rollback_timeout_minutes: optional_number(
            "rollback_timeout_minutes",
            rollback_timeout_minutes.as_deref(),
        )?,
        promotes_to: Some(promotes_to),
        naming: naming.unwrap_or_default(),
        planning,
        runs_without_on_call: runs_without_on_call.is_some(),
        colour,
        ..lane_input(pipeline, direct, direct_approvals, patches, gate_template)?
    };
    let saved = serve(|c| async move {
        crate::services::tracks::update_track(&c.pool, &c.actor, &name, &input, c.now).await
    });
    saved
        .await
        .map(|t| leptos_axum::redirect(&format!("/admin/tracks/{}", t.name)))
}

#[server(prefix = "/sfn", endpoint = "calendar/tracks/archive")]
pub async fn archive_track(name: String, reason: String) -> Result<(), AppError> {
    let archived = serve(|c| async move {
        crate::services::tracks::archive_track(&c.pool, &c.actor, &name, &reason, c.now).await
    });
    archived
        .await
        .map(|t| leptos_axum::redirect(&format!("/admin/tracks/{}", t.name)))
}

/// A number a form may leave empty (then the default holds).
#[cfg(feature = "ssr")]
fn optional_number(field: &str, raw: Option<&str>) -> Result<Option<i64>, AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => raw
            .parse()
            .map(Some)
            .map_err(|_| crate::error::bad_field(field, format!("{raw:?} is not a whole number"))),
    }
}

/// A track form's pipeline (environments separated by commas or spaces) and
/// direct-lane fields, as the part of a track input they fill.
#[cfg(feature = "ssr")]
fn lane_input(
    pipeline: Option<String>,
    direct: Option<String>,
    direct_approvals: Option<String>,
    patches: Option<String>,
    gate_template: Option<String>,
) -> Result<crate::domain::track_input::TrackInput, AppError> {
    let approvals = match direct_approvals.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(raw) => raw.parse().map_err(|_| {
            crate::error::bad_field(
                "direct_approvals",
                format!("{raw:?} is not a number from 0 to 10"),
            )
        })?,
    };
    Ok(crate::domain::track_input::TrackInput {
        pipeline: pipeline
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|e| !e.trim().is_empty())
            .map(|e| e.trim().to_owned())
            .collect(),
        direct: direct.is_some(),
        direct_approvals: approvals,
        patches,
        gate_template,
        ..Default::default()
    })
}
