use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::time::utc_label;
use crate::error::AppError;
use crate::models::TrackSummary;
use crate::pages::calendar::slot_page::{INPUT, LABEL, PRIMARY};
use crate::pages::track_colour_field::ColourField;
use crate::pages::track_lane_fields::{LaneFields, LaneValues};
use crate::pages::track_naming_fields::NamingFields;
use crate::pages::track_planning_fields::PlanningFields;
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::{list_tracks, ArchiveTrack, SaveTrack};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const FIELDS: [&str; 14] = [
    "colour",
    "naming.tag",
    "naming.next_version",
    "naming.branch",
    "naming.train_id",
    "gate_template",
    "description",
    "freeze_offset_minutes",
    "soak_hours",
    "rollback_timeout_minutes",
    "promotes_to",
    "pipeline",
    "direct_approvals",
    "patches",
];
const ARCHIVE: &str =
    "rounded border border-rose-300 px-3 py-1.5 text-sm text-rose-800 hover:bg-rose-50";

/// `/admin/tracks/{name}`: a track's settings (its cadence has its own
/// page, which previews the trains a change moves) and archiving it.
#[component]
pub fn TrackPage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.read().get("name").unwrap_or_default();
    let tracks = Resource::new(|| (), |_| list_tracks());
    view! {
        <Title text="Track" />
        <p class="mb-2 text-sm"><a href="/admin/tracks" class="text-sky-700 underline">"← Tracks"</a></p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let all = tracks.await?;
                    let name = name();
                    let track = all
                        .iter()
                        .find(|t| t.name == name)
                        .cloned()
                        .ok_or_else(|| AppError::NotFound(format!("track {name:?}")))?;
                    let others: Vec<String> = all
                        .into_iter()
                        .filter(|t| t.name != name && t.archived_at.is_none())
                        .map(|t| t.name)
                        .collect();
                    Ok::<_, AppError>(view! { <TrackSettings track others /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn TrackSettings(track: TrackSummary, others: Vec<String>) -> impl IntoView {
    let save = ServerAction::<SaveTrack>::new();
    let error = move |field: &'static str| field_message(&save.value().get_untracked(), field);
    let general = form_message(&save.value().get_untracked(), &FIELDS);
    let cadence = format!("/calendar/tracks/{}", track.name);
    let archived = track.archived_at.map(|at| {
        view! {
            <p class="mb-3 rounded border border-slate-200 bg-white p-3 text-sm" data-testid="track-archived">
                {format!("Archived {}: it plans no trains and takes no new ones.", utc_label(at))}
            </p>
        }
    });
    let archive = track
        .archived_at
        .is_none()
        .then(|| view! { <Archive name=track.name.clone() /> });
    let current = track.promotes_to.clone().unwrap_or_default();
    let lane = LaneValues {
        pipeline: track.pipeline.clone().unwrap_or_default().join(", "),
        direct: track.direct,
        direct_approvals: track.direct_approvals.to_string(),
        patches: track.patches.clone().unwrap_or_default(),
        gate_template: track.gate_template.clone().unwrap_or_default(),
        runs_without_on_call: track.runs_without_on_call,
    };
    let lane_others = others.clone();
    let chosen_colour = if track.colour_chosen {
        track.colour.clone()
    } else {
        String::new()
    };
    view! {
        <h1 class="mb-1 text-2xl font-semibold">{format!("Track {}", track.name)}</h1>
        <p class="mb-4 text-sm">
            <a href=cadence class="text-sky-700 underline">{track.cadence_description.clone()}</a>
            " — change the cadence there: it shows the trains a new one moves."
        </p>
        {archived}
        <FormError message=general />
        <ActionForm
            action=save
            attr:class="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
            <input type="hidden" name="name" value=track.name.clone() />
            <div>
                <label for="description" class=LABEL>"Description"</label>
                <input id="description" name="description" value=track.description.clone() class=INPUT />
                <FieldError message=error("description") id="description-error".to_owned() />
            </div>
            <ColourField chosen=chosen_colour error />
            <div class="grid gap-3 sm:grid-cols-3">
                <div>
                    <label for="freeze_offset_minutes" class=LABEL>"Freeze before the cut (minutes)"</label>
                    <input id="freeze_offset_minutes" name="freeze_offset_minutes" type="number" min="0"
                        value=track.freeze_offset_minutes.to_string() class=INPUT />
                    <FieldError message=error("freeze_offset_minutes") id="freeze-error".to_owned() />
                </div>
                <div>
                    <label for="soak_hours" class=LABEL>"Soak before promotion (hours)"</label>
                    <input id="soak_hours" name="soak_hours" type="number" min="0"
                        value=track.soak_hours.to_string() class=INPUT />
                    <FieldError message=error("soak_hours") id="soak-error".to_owned() />
                </div>
                <div>
                    <label for="rollback_timeout_minutes" class=LABEL>"Rollback timeout (minutes)"</label>
                    <input id="rollback_timeout_minutes" name="rollback_timeout_minutes" type="number"
                        min="1" value=track.rollback_timeout_minutes.to_string() class=INPUT
                        aria-describedby="rollback-timeout-help" />
                    <p id="rollback-timeout-help" class="mt-1 text-xs text-slate-500">
                        "Where CD confirms deploys, a rollback not confirmed by then is marked stuck."
                    </p>
                    <FieldError message=error("rollback_timeout_minutes") id="rollback-timeout-error".to_owned() />
                </div>
                <div>
                    <label for="promotes_to" class=LABEL>"Promotes to"</label>
                    <select id="promotes_to" name="promotes_to" class=INPUT>
                        <option value="">"— nowhere —"</option>
                        {others.into_iter().map(|t| {
                            let selected = t == current;
                            view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError message=error("promotes_to") id="promotes_to-error".to_owned() />
                </div>
            </div>
            <LaneFields values=lane others=lane_others error />
            <NamingFields values=track.naming.clone() error />
            <PlanningFields values=track.planning.clone() error />
            <button type="submit" class=PRIMARY disabled=track.archived_at.is_some()>"Save the track"</button>
        </ActionForm>
        {archive}
    }
}

#[component]
fn Archive(name: String) -> impl IntoView {
    let archive = ServerAction::<ArchiveTrack>::new();
    let error = move |field: &'static str| field_message(&archive.value().get_untracked(), field);
    let general = form_message(&archive.value().get_untracked(), &["reason"]);
    view! {
        <section class="mt-6 max-w-xl rounded-lg border border-rose-200 bg-white p-4">
            <h2 class="mb-1 text-lg font-semibold">"Archive"</h2>
            <p class="mb-2 text-sm text-slate-600">
                "An archived track plans no more trains and takes no new ones; its planned trains are "
                "skipped with your reason, and its past trains keep it. Not while one of its trains is in "
                "flight or another track promotes to it."
            </p>
            <FormError message=general />
            <ActionForm action=archive attr:class="space-y-2">
                <input type="hidden" name="name" value=name.clone() />
                <label for="reason" class=LABEL>"Why"</label>
                <input id="reason" name="reason" required aria-describedby="reason-error" class=INPUT />
                <FieldError message=error("reason") id="reason-error".to_owned() />
                <button type="submit" class=ARCHIVE>{format!("Archive {name}")}</button>
            </ActionForm>
        </section>
    }
}
