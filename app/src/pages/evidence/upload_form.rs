use super::CARD;
use crate::domain::byte_size;
use crate::domain::evidence::EvidenceKind;
use leptos::prelude::*;

/// The outcome of the last upload, carried back in the page's query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flash {
    pub uploaded: Option<String>,
    pub error: Option<String>,
    pub field: Option<String>,
}

impl Flash {
    fn message_for(&self, field: &str) -> Option<String> {
        (self.field.as_deref() == Some(field))
            .then(|| self.error.clone())
            .flatten()
    }

    fn general(&self) -> Option<String> {
        let placed = ["kind", "participant", "name", "sha256", "file"];
        match self.field.as_deref() {
            Some(f) if placed.contains(&f) => None,
            _ => self.error.clone(),
        }
    }
}

const LABEL: &str = "block text-sm font-medium text-slate-700";
const INPUT: &str = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

fn field_error(flash: &Flash, field: &'static str) -> impl IntoView {
    flash.message_for(field).map(|message| {
        view! { <p id=format!("{field}-error") role="alert" class="mt-1 text-sm text-rose-700">{message}</p> }
    })
}

/// A plain multipart form (it works without JavaScript) posting to the
/// server's upload route, which redirects back here with the outcome.
#[component]
pub fn UploadForm(
    train: String,
    participants: Vec<String>,
    max_bytes: u64,
    flash: Flash,
) -> impl IntoView {
    let action = format!("/trains/{train}/evidence");
    let general = flash.general();
    let uploaded = flash.uploaded.clone();
    view! {
        <section aria-labelledby="upload-heading" class=CARD>
            <h2 id="upload-heading" class="mb-2 text-lg font-medium">"Upload evidence"</h2>
            {uploaded.map(|name| view! {
                <p
                    role="status"
                    class="mb-3 rounded border border-emerald-300 bg-emerald-50 p-2 text-sm text-emerald-900"
                    data-testid="upload-done"
                >
                    {format!("Uploaded {name}: checked and stored.")}
                </p>
            })}
            {general.map(|message| view! {
                <p
                    role="alert"
                    class="mb-3 rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-800"
                    data-testid="upload-error"
                >
                    {message}
                </p>
            })}
            <form
                method="post"
                enctype="multipart/form-data"
                action=action
                class="space-y-3"
                aria-label="Upload evidence"
            >
                <div>
                    <label for="evidence-file" class=LABEL>"File"</label>
                    <input
                        id="evidence-file"
                        name="file"
                        type="file"
                        required
                        class=INPUT
                        aria-describedby="evidence-file-hint file-error"
                    />
                    <p id="evidence-file-hint" class="mt-1 text-xs text-slate-500">
                        {format!("Up to {}.", byte_size::label(max_bytes))}
                    </p>
                    {field_error(&flash, "file")}
                </div>
                <div>
                    <label for="evidence-kind" class=LABEL>"Kind"</label>
                    <select id="evidence-kind" name="kind" class=INPUT aria-describedby="kind-error">
                        {EvidenceKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str()>{k.label()}</option>
                        }).collect_view()}
                    </select>
                    {field_error(&flash, "kind")}
                </div>
                <div>
                    <label for="evidence-participant" class=LABEL>"Participant"</label>
                    <select
                        id="evidence-participant"
                        name="participant"
                        class=INPUT
                        aria-describedby="participant-error"
                    >
                        <option value="">"The whole train"</option>
                        {participants.into_iter().map(|p| view! {
                            <option value=p.clone()>{p.clone()}</option>
                        }).collect_view()}
                    </select>
                    {field_error(&flash, "participant")}
                </div>
                <div>
                    <label for="evidence-name" class=LABEL>"Name in the bundle (optional)"</label>
                    <input
                        id="evidence-name"
                        name="name"
                        class=INPUT
                        placeholder="the file's own name"
                        aria-describedby="name-error"
                    />
                    {field_error(&flash, "name")}
                </div>
                <div>
                    <label for="evidence-sha256" class=LABEL>"SHA-256 (optional)"</label>
                    <input
                        id="evidence-sha256"
                        name="sha256"
                        class=INPUT
                        placeholder="checked against the file when given"
                        aria-describedby="sha256-error"
                    />
                    {field_error(&flash, "sha256")}
                </div>
                <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">"Upload"</button>
            </form>
        </section>
    }
}
