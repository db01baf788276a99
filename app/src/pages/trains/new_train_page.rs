//! `/trains/new`: a captain creates a train by hand. The form posts without
//! JavaScript and goes through the same service call as seed 002's
//! `POST /api/v1/release-trains`.

use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::labelled_input::LabelledInput;
use crate::pages::calendar::slot_page::{INPUT, LABEL, PRIMARY};
use crate::server_fns::calendar::list_tracks;
use crate::server_fns::trains::CreateTrainByHand;
use leptos::prelude::*;
use leptos_meta::Title;

const FIELDS: [&str; 9] = [
    "name",
    "track",
    "tag",
    "target_version",
    "participants",
    "dependencies",
    "planned_start",
    "captain",
    "on_call",
];
const AREA: &str = "mt-1 h-28 w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm";

#[component]
pub fn NewTrainPage() -> impl IntoView {
    let create = ServerAction::<CreateTrainByHand>::new();
    let tracks = Resource::new(|| (), |_| list_tracks());
    let error = move |field: &'static str| field_message(&create.value().get_untracked(), field);
    let general = form_message(&create.value().get_untracked(), &FIELDS);
    let input =
        move |id: &'static str, label: &'static str, kind: &'static str, hint: &'static str| {
            view! { <LabelledInput id label kind hint error=error(id) /> }
        };
    let area = move |id: &'static str, label: &'static str, hint: &'static str| {
        let error_id = format!("{id}-error");
        view! {
            <div>
                <label for=id class=LABEL>{label}</label>
                <textarea id=id name=id placeholder=hint aria-describedby=error_id.clone() class=AREA></textarea>
                <FieldError message=error(id) id=error_id />
            </div>
        }
    };
    view! {
        <Title text="New train" />
        <p class="mb-2 text-sm"><a href="/trains" class="text-sky-700 underline">"← Trains"</a></p>
        <h1 class="mb-1 text-2xl font-semibold">"New train"</h1>
        <p class="mb-4 text-sm text-slate-600">
            "It starts in planning with its track's gate template (or the release-train policy's quality gates); "
            "CI reports the gates through the API."
        </p>
        <FormError message=general />
        <ActionForm
            action=create
            attr:class="max-w-2xl space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
            {input("name", "Name", "text", "Q3-pricing-upgrade")}
            <div class="grid gap-3 sm:grid-cols-3">
                <div>
                    <label for="track" class=LABEL>"Track"</label>
                    <select id="track" name="track" aria-describedby="track-error" class=INPUT>
                        <option value="">"— no track —"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                tracks.await.unwrap_or_default().into_iter()
                                    .filter(|t| t.archived_at.is_none())
                                    .map(|t| view! { <option value=t.name.clone()>{t.name.clone()}</option> })
                                    .collect_view()
                            })}
                        </Suspense>
                    </select>
                    <FieldError message=error("track") id="track-error".to_owned() />
                </div>
                {input("tag", "Tag (on a track)", "text", "v0.5.0-dev.3")}
                {input("target_version", "Target version", "text", "3.0.0")}
            </div>
            {area("participants", "Participants: one per line, service then target and previous version",
                "curve 2.1.0 2.0.3")}
            {area("dependencies", "Dependencies: one per line, spec or library, name, version range",
                "spec curves-api >=2.0.0")}
            <div class="grid gap-3 sm:grid-cols-3">
                {input("planned_start", "Planned start (UTC)", "datetime-local", "")}
                {input("captain", "Captain", "text", "")}
                {input("on_call", "On call", "text", "")}
            </div>
            <button type="submit" class=PRIMARY>"Create the train"</button>
        </ActionForm>
    }
}
