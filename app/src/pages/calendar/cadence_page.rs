use super::slot_page::{INPUT, LABEL, PRIMARY};
use crate::components::form_error::{form_message, FormError};
use crate::components::moment::Moment;
use crate::domain::calendar::edit::{weekdays, CadenceSpec, UTC};
use crate::error::AppError;
use crate::models::calendar::{CadenceForm, CadenceView};
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::{get_cadence, SaveCadence};
use chrono::Weekday;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/calendar/tracks/{name}`: a track's cadence. "Preview" is a plain GET
/// that shows the next dates (and the trains that would move) before
/// anything is saved; "Save" then stores exactly what was previewed.
#[component]
pub fn CadencePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let source = move || {
        let track = params.read().get("name").unwrap_or_default();
        let q = query.read();
        let proposal = q.get("every").map(|every| CadenceForm {
            every,
            days: q.get_all("day").unwrap_or_default(),
            time: q.get("time").unwrap_or_default(),
            starts_on: q.get("starts_on").unwrap_or_default(),
            zone: q.get("zone").unwrap_or_default(),
        });
        (track, proposal)
    };
    let data = Resource::new(source, |(track, proposal)| get_cadence(track, proposal));
    view! {
        <Title text="Track cadence" />
        <p class="mb-2 text-sm"><a href="/calendar" class="text-sky-700 underline">"← Calendar"</a></p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let view = data.await?;
                    Ok::<_, AppError>(view! { <CadenceEditor view /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn CadenceEditor(view: CadenceView) -> impl IntoView {
    let shown: Option<CadenceSpec> = view.proposal.clone().or_else(|| view.current.clone());
    let every = shown
        .as_ref()
        .map_or("1".to_owned(), |s| s.every_weeks.to_string());
    let time = shown
        .as_ref()
        .map_or("14:00".to_owned(), |s| s.time.format("%H:%M").to_string());
    let starts = shown.as_ref().map_or(String::new(), |s| {
        s.starts_on.format("%Y-%m-%d").to_string()
    });
    let days = shown.as_ref().map(|s| s.days.clone()).unwrap_or_default();
    let zone = shown.as_ref().map_or(UTC.to_owned(), |s| s.zone.clone());
    let action = format!("/calendar/tracks/{}", view.track);
    let error = view.proposal_error.clone().map(|(field, message)| {
        view! {
            <p
                role="alert"
                class="rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-800"
                data-field=field
            >
                {message}
            </p>
        }
    });
    let preview = view
        .proposal
        .clone()
        .map(|spec| view! { <CadencePreview view=view.clone() spec /> });
    view! {
        <h1 class="text-2xl font-semibold">{format!("The {} track's cadence", view.track)}</h1>
        <p class="mb-4 text-sm text-slate-600">
            {format!("Now: {}", view.cadence_description)}
            {view.rule.clone().map(|r| view! { <code class="ml-2 whitespace-pre-wrap text-xs">{r}</code> })}
        </p>
        {error}
        <CadenceQuery action every time starts days zone />
        {preview}
    }
}

/// The cadence as a GET form: asking for it shows its preview.
#[component]
fn CadenceQuery(
    action: String,
    every: String,
    time: String,
    starts: String,
    days: Vec<Weekday>,
    zone: String,
) -> impl IntoView {
    view! {
        <form
            method="get"
            action=action
            class="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
            <div class="grid gap-3 sm:grid-cols-4">
                <div>
                    <label for="every" class=LABEL>"Every (weeks)"</label>
                    <input id="every" name="every" type="number" min="1" max="8" value=every class=INPUT />
                </div>
                <div>
                    <label for="time" class=LABEL>"At"</label>
                    <input id="time" name="time" type="time" value=time class=INPUT />
                </div>
                <div>
                    <label for="zone" class=LABEL>"Time zone"</label>
                    <input id="zone" name="zone" value=zone placeholder="Europe/Berlin" class=INPUT />
                </div>
                <div>
                    <label for="starts_on" class=LABEL>"From"</label>
                    <input id="starts_on" name="starts_on" type="date" value=starts class=INPUT />
                </div>
            </div>
            <fieldset>
                <legend class=LABEL>"On"</legend>
                <div class="mt-1 flex flex-wrap gap-3 text-sm">
                    {weekdays().map(|(day, code, name)| view! {
                        <label class="flex items-center gap-1">
                            <input type="checkbox" name="day" value=code checked=days.contains(&day) />
                            {name}
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            <button type="submit" class="rounded border border-slate-400 px-3 py-1.5 text-sm hover:bg-slate-100">
                "Preview the next dates"
            </button>
        </form>
    }
}

/// The next dates of a proposed cadence, the trains it would move, and
/// (for an owner) the form that saves exactly what is shown.
#[component]
fn CadencePreview(view: CadenceView, spec: CadenceSpec) -> impl IntoView {
    let moves = view.moves.clone();
    let save_form = view.may_edit.then(|| {
        view! { <SaveCadenceForm track=view.track.clone() spec=spec.clone() /> }
    });
    view! {
        <section aria-labelledby="preview-heading" class="mt-4 rounded-lg border border-sky-200 bg-sky-50 p-4">
            <h2 id="preview-heading" class="font-medium">{format!("Preview: {}", spec.describe())}</h2>
            <ol class="mt-2 list-decimal pl-5 text-sm" aria-label="Next dates">
                {view.preview.iter().map(|at| view! { <li><Moment at=*at /></li> }).collect_view()}
            </ol>
            {(!moves.is_empty()).then(|| view! {
                <p class="mt-2 text-sm font-medium">"Planned trains that would move:"</p>
                <ul class="list-disc pl-5 text-sm">
                    {moves.into_iter().map(|(name, from, to)| view! {
                        <li>
                            {format!(
                                "{name}: {} → {}",
                                from.format("%a %d %b %H:%M"),
                                to.format("%a %d %b %H:%M UTC")
                            )}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {save_form}
        </section>
    }
}

/// Stores the previewed cadence: every value travels as a hidden field.
#[component]
fn SaveCadenceForm(track: String, spec: CadenceSpec) -> impl IntoView {
    let save = ServerAction::<SaveCadence>::new();
    let save_error = form_message(&save.value().get_untracked(), &[]);
    let description = spec.describe();
    let hidden_days = spec
        .days
        .iter()
        .map(|d| {
            let code = weekdays()
                .find(|(w, _, _)| w == d)
                .map_or("MO", |(_, c, _)| c);
            view! { <input type="hidden" name="days[]" value=code /> }
        })
        .collect_view();
    let every_value = spec.every_weeks.to_string();
    let time_value = spec.time.format("%H:%M").to_string();
    let starts_value = spec.starts_on.format("%Y-%m-%d").to_string();
    let zone_value = spec.zone.clone();
    view! {
        <FormError message=save_error />
        <ActionForm action=save attr:class="mt-3">
            <input type="hidden" name="track" value=track />
            <input type="hidden" name="every" value=every_value />
            {hidden_days}
            <input type="hidden" name="time" value=time_value />
            <input type="hidden" name="starts_on" value=starts_value />
            <input type="hidden" name="zone" value=zone_value />
            <button type="submit" class=PRIMARY>{format!("Save: {description}")}</button>
        </ActionForm>
    }
}
