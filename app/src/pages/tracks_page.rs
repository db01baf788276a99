use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::labelled_input::LabelledInput;
use crate::components::user_menu::use_current_user;
use crate::domain::calendar::edit::weekdays;
use crate::error::AppError;
use crate::models::TrackSummary;
use crate::pages::calendar::slot_page::{INPUT, LABEL, PRIMARY};
use crate::pages::track_colour_field::ColourField;
use crate::pages::track_lane_fields::{LaneFields, LaneValues};
use crate::pages::track_naming_fields::NamingFields;
use crate::pages::track_planning_fields::PlanningFields;
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::{list_tracks, CreateTrack};
use leptos::prelude::*;
use leptos_meta::Title;

const TABLE: &str =
    "min-w-full divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm";
const FIELDS: [&str; 18] = [
    "colour",
    "naming.tag",
    "naming.next_version",
    "naming.branch",
    "naming.train_id",
    "gate_template",
    "pipeline",
    "direct_approvals",
    "patches",
    "name",
    "description",
    "every",
    "days",
    "time",
    "starts_on",
    "zone",
    "freeze_offset_minutes",
    "soak_hours",
];

fn is_admin() -> Signal<bool> {
    let me = use_current_user();
    Signal::derive(move || {
        me.get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|u| u.roles.iter().any(|r| r == "admin"))
    })
}

/// `/admin/tracks`: every track with its cadence, freeze, soak and where it
/// promotes to; admins add tracks, owners change a cadence from here.
#[component]
pub fn TracksPage() -> impl IntoView {
    let tracks = Resource::new(|| (), |_| list_tracks());
    let admin = is_admin();
    view! {
        <Title text="Tracks" />
        <p class="mb-2 text-sm"><a href="/admin" class="text-sky-700 underline">"← Admin"</a></p>
        <h1 class="mb-4 text-2xl font-semibold">"Tracks"</h1>
        <Suspense fallback=|| ()>
            <Show when=move || admin.get()>
                <p class="mb-4"><a href="/admin/tracks/new" class=PRIMARY>"Add a track"</a></p>
            </Show>
        </Suspense>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let list = tracks.await?;
                    Ok::<_, AppError>(view! { <TrackTable list /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// `dev → stage → prod`, `straight to prod (2 approvals)`, or every
/// environment.
fn releases_go(t: &TrackSummary) -> String {
    let pipeline = t
        .pipeline
        .clone()
        .map_or("every environment, in order".to_owned(), |p| p.join(" → "));
    let approvals = match t.direct_approvals {
        0 => "no approval".to_owned(),
        1 => "1 approval".to_owned(),
        n => format!("{n} approvals"),
    };
    match (t.direct, t.pipeline.as_ref().and_then(|p| p.last())) {
        (true, Some(last)) => format!("straight to {last} ({approvals})"),
        (true, None) => format!("straight to the last environment ({approvals})"),
        (false, _) => pipeline,
    }
}

#[component]
fn TrackTable(list: Vec<TrackSummary>) -> impl IntoView {
    view! {
        <table class=TABLE aria-label="Tracks">
            <thead class="bg-slate-50 text-left text-xs font-semibold uppercase text-slate-600">
                <tr>
                    <th scope="col" class="px-3 py-2">"Track"</th>
                    <th scope="col" class="px-3 py-2">"Cadence"</th>
                    <th scope="col" class="px-3 py-2">"Freeze before the cut"</th>
                    <th scope="col" class="px-3 py-2">"Promotes to, after a soak of"</th>
                    <th scope="col" class="px-3 py-2">"Releases go"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {list.into_iter().map(|t| {
                    let cadence = format!("/calendar/tracks/{}", t.name);
                    let settings = format!("/admin/tracks/{}", t.name);
                    let state = t.archived_at.map(|at| format!(" (archived {})", at.format("%Y-%m-%d")));
                    let promotes = t.promotes_to.clone().map_or("—".to_owned(), |p| format!("{p}, {} h", t.soak_hours));
                    view! {
                        <tr data-testid=format!("track-{}", t.name)>
                            <td class="px-3 py-2">
                                <a href=settings class="font-medium text-sky-700 underline">{t.name.clone()}</a>
                                {state}
                            </td>
                            <td class="px-3 py-2">
                                <a href=cadence class="text-sky-700 underline">{t.cadence_description.clone()}</a>
                            </td>
                            <td class="px-3 py-2 tabular-nums">{format!("{} min", t.freeze_offset_minutes)}</td>
                            <td class="px-3 py-2">{promotes}</td>
                            <td class="px-3 py-2">{releases_go(&t)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/admin/tracks/new`: a track's name, cadence (or on demand), freeze,
/// soak and promotion target. Saving shows the calendar it plans.
#[component]
pub fn NewTrackPage() -> impl IntoView {
    let create = ServerAction::<CreateTrack>::new();
    let tracks = Resource::new(|| (), |_| list_tracks());
    let error = move |field: &'static str| field_message(&create.value().get_untracked(), field);
    let general = form_message(&create.value().get_untracked(), &FIELDS);
    let input =
        move |id: &'static str, label: &'static str, kind: &'static str, value: &'static str| {
            view! { <LabelledInput id label kind value error=error(id) /> }
        };
    view! {
        <Title text="Add a track" />
        <p class="mb-2 text-sm"><a href="/admin/tracks" class="text-sky-700 underline">"← Tracks"</a></p>
        <h1 class="mb-4 text-2xl font-semibold">"Add a track"</h1>
        <FormError message=general />
        <ActionForm
            action=create
            attr:class="max-w-2xl space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
            {input("name", "Name (it appears in tags: a-z, 0-9, -)", "text", "")}
            {input("description", "Description", "text", "")}
            <ColourField chosen=String::new() error />
            <fieldset class="space-y-2 rounded border border-slate-200 p-3">
                <legend class=LABEL>"Cadence"</legend>
                <label class="flex items-center gap-1 text-sm">
                    <input type="checkbox" name="on_demand" value="on" />"On demand: no planned trains"
                </label>
                <div class="grid gap-3 sm:grid-cols-4">
                    {input("every", "Every (weeks)", "number", "1")}
                    {input("time", "At", "time", "14:00")}
                    {input("zone", "Time zone", "text", "UTC")}
                    {input("starts_on", "From", "date", "")}
                </div>
                <div class="flex flex-wrap gap-3 text-sm">
                    {weekdays().map(|(_, code, name)| view! {
                        <label class="flex items-center gap-1">
                            <input type="checkbox" name="days[]" value=code />{name}
                        </label>
                    }).collect_view()}
                </div>
                <FieldError message=error("days") id="days-error".to_owned() />
            </fieldset>
            <div class="grid gap-3 sm:grid-cols-3">
                {input("freeze_offset_minutes", "Freeze before the cut (minutes)", "number", "0")}
                {input("soak_hours", "Soak before promotion (hours)", "number", "0")}
                <div>
                    <label for="promotes_to" class=LABEL>"Promotes to"</label>
                    <select id="promotes_to" name="promotes_to" class=INPUT>
                        <option value="">"— nowhere —"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                tracks.await.unwrap_or_default().into_iter().map(|t| {
                                    view! { <option value=t.name.clone()>{t.name.clone()}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                    <FieldError message=error("promotes_to") id="promotes_to-error".to_owned() />
                </div>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let others = tracks.await.unwrap_or_default().into_iter().map(|t| t.name).collect::<Vec<_>>();
                    view! { <LaneFields values=LaneValues::default() others error /> }
                })}
            </Suspense>
            <NamingFields values=Default::default() error />
            <PlanningFields values=Default::default() error />
            <button type="submit" class=PRIMARY>"Add the track"</button>
        </ActionForm>
    }
}
