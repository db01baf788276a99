use super::slot_page::{INPUT, LABEL, PRIMARY};
use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::user_menu::use_current_user;
use crate::domain::calendar::edit::input_value;
use crate::error::AppError;
use crate::models::calendar::FreezeView;
use crate::models::TrackSummary;
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::{get_freeze, list_tracks, DeleteFreeze, SaveFreeze};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const FIELDS: [&str; 5] = ["starts_at", "ends_at", "reason", "tracks", "effect"];

/// `/calendar/freezes/new` and `/calendar/freezes/{id}`: a freeze window's
/// times (UTC), reason, tracks and effect; an existing one can be removed.
#[component]
pub fn FreezePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let data = Resource::new(id, |id| async move {
        let tracks = list_tracks().await?;
        let freeze = match id {
            Some(id) => Some(get_freeze(id).await?),
            None => None,
        };
        Ok::<_, AppError>((tracks, freeze))
    });
    view! {
        <Title text="Freeze window" />
        <p class="mb-2 text-sm"><a href="/calendar" class="text-sky-700 underline">"← Calendar"</a></p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let (tracks, freeze) = data.await?;
                    Ok::<_, AppError>(view! { <FreezeForm tracks freeze /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn FreezeForm(tracks: Vec<TrackSummary>, freeze: Option<FreezeView>) -> impl IntoView {
    let save = ServerAction::<SaveFreeze>::new();
    let me = use_current_user();
    let error = move |field: &'static str| field_message(&save.value().get_untracked(), field);
    let general = form_message(&save.value().get_untracked(), &FIELDS);
    let heading = if freeze.is_some() {
        "Edit freeze window"
    } else {
        "Add a freeze window"
    };
    let f = freeze.clone();
    let starts = f
        .as_ref()
        .map(|f| input_value(f.starts_at))
        .unwrap_or_default();
    let ends = f
        .as_ref()
        .map(|f| input_value(f.ends_at))
        .unwrap_or_default();
    let reason = f.as_ref().map(|f| f.reason.clone()).unwrap_or_default();
    let moves = f.as_ref().is_some_and(|f| f.effect == "move");
    let chosen = f.as_ref().map(|f| f.tracks.clone()).unwrap_or_default();
    let id_field = f
        .as_ref()
        .map(|f| view! { <input type="hidden" name="id" value=f.id.to_string() /> });
    let removal = f.map(|freeze| view! { <RemoveFreeze freeze /> });
    let read_only = move || {
        me.get()
            .and_then(|r| r.ok())
            .flatten()
            .is_none_or(|u| !u.roles.iter().any(|r| r == "owner"))
    };
    view! {
        <h1 class="mb-4 text-2xl font-semibold">{heading}</h1>
        <Show when=read_only>
            <p class="mb-3 rounded border border-slate-200 bg-white p-3 text-sm">
                "Only calendar owners can change freeze windows."
            </p>
        </Show>
        <FormError message=general />
        <ActionForm
            action=save
            attr:class="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
            {id_field}
            <FreezeTimes starts ends starts_error=error("starts_at") ends_error=error("ends_at") />
            <FreezeReason reason error=error("reason") />
            <FreezeTracks tracks chosen error=error("tracks") />
            <FreezeEffect moves error=error("effect") />
            <button type="submit" class=PRIMARY>"Save freeze window"</button>
        </ActionForm>
        {removal}
    }
}

/// When the window starts and ends, side by side.
#[component]
fn FreezeTimes(
    starts: String,
    ends: String,
    starts_error: Option<String>,
    ends_error: Option<String>,
) -> impl IntoView {
    view! {
        <div class="grid gap-3 sm:grid-cols-2">
            <div>
                <label for="starts_at" class=LABEL>"Starts (UTC)"</label>
                <input
                    id="starts_at"
                    name="starts_at"
                    type="datetime-local"
                    value=starts
                    class=INPUT
                    aria-describedby="starts_at-error"
                />
                <FieldError message=starts_error id="starts_at-error".to_owned() />
            </div>
            <div>
                <label for="ends_at" class=LABEL>"Ends (UTC)"</label>
                <input
                    id="ends_at"
                    name="ends_at"
                    type="datetime-local"
                    value=ends
                    class=INPUT
                    aria-describedby="ends_at-error"
                />
                <FieldError message=ends_error id="ends_at-error".to_owned() />
            </div>
        </div>
    }
}

/// Why the window exists, as the calendar and the audit trail show it.
#[component]
fn FreezeReason(reason: String, error: Option<String>) -> impl IntoView {
    view! {
        <div>
            <label for="freeze-reason" class=LABEL>"Reason"</label>
            <input
                id="freeze-reason"
                name="reason"
                value=reason
                class=INPUT
                placeholder="mtest-val-01 re-roll"
                aria-describedby="reason-error"
            />
            <FieldError message=error id="reason-error".to_owned() />
        </div>
    }
}

/// The tracks the window holds; none ticked means every track.
#[component]
fn FreezeTracks(
    tracks: Vec<TrackSummary>,
    chosen: Vec<String>,
    error: Option<String>,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend class=LABEL>"Tracks (none ticked: every track)"</legend>
            <div class="mt-1 flex flex-wrap gap-4 text-sm">
                {tracks
                    .into_iter()
                    .map(|t| {
                        let checked = chosen.contains(&t.name);
                        view! {
                            <label class="flex items-center gap-1">
                                <input type="checkbox" name="tracks[]" value=t.name.clone() checked=checked />
                                {t.name.clone()}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <FieldError message=error id="tracks-error".to_owned() />
        </fieldset>
    }
}

/// What happens to the trains planned inside the window.
#[component]
fn FreezeEffect(moves: bool, error: Option<String>) -> impl IntoView {
    view! {
        <fieldset>
            <legend class=LABEL>"Trains planned inside it"</legend>
            <div class="mt-1 flex flex-wrap gap-4 text-sm">
                <label class="flex items-center gap-1">
                    <input type="radio" name="effect" value="block" checked=!moves />
                    "do not run (blocked)"
                </label>
                <label class="flex items-center gap-1">
                    <input type="radio" name="effect" value="move" checked=moves />
                    "run when it ends (moved)"
                </label>
            </div>
            <FieldError message=error id="effect-error".to_owned() />
        </fieldset>
    }
}

/// Removes an existing window, behind a confirmation that names it.
#[component]
fn RemoveFreeze(freeze: FreezeView) -> impl IntoView {
    let delete = ServerAction::<DeleteFreeze>::new();
    let delete_error = form_message(&delete.value().get_untracked(), &[]);
    let f = freeze;
    view! {
        <details class="mt-6 rounded border border-rose-200 bg-white p-3">
            <summary class="cursor-pointer text-sm font-medium text-rose-800">"Remove this freeze window…"</summary>
            <FormError message=delete_error />
            <ActionForm action=delete attr:class="mt-2">
                <input type="hidden" name="id" value=f.id.to_string() />
                <p class="text-sm">"Trains it blocked or moved return to their planned slots."</p>
                <button type="submit" class="mt-2 rounded bg-rose-700 px-3 py-1.5 text-sm text-white">
                    {format!("Remove freeze: {}", f.reason)}
                </button>
            </ActionForm>
        </details>
    }
}
