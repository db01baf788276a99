//! The release notes of a train: its published versions with downloads,
//! and for the captain and communications the draft's editor and the
//! publish form. Both forms name the draft revision they started from, so
//! a draft saved meanwhile by someone else is never overwritten.

use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::moment::Moment;
use crate::models::release_notes::{NotesDraftView, NotesVersionView};
use crate::pages::calendar::slot_page::{INPUT, LABEL, PRIMARY};
use crate::pages::evidence::CARD;
use crate::server_fns::release_notes::{PublishNotes, SaveNotesDraft};
use leptos::prelude::*;

#[component]
pub fn NotesPanel(
    train: String,
    notes: NotesDraftView,
    may_edit: bool,
    sealed: bool,
) -> impl IntoView {
    let status = match (&notes.edited_by, notes.edited_at) {
        (Some(by), Some(at)) => view! {
            <span>{format!("Draft revision {} by {by}, ", notes.revision)}<Moment at /></span>
        }
        .into_any(),
        _ => {
            view! { <span>"Generated from the reported changes; nobody has edited it yet."</span> }
                .into_any()
        }
    };
    let editor = if may_edit {
        view! { <NotesEditor train=train.clone() notes=notes.clone() sealed /> }.into_any()
    } else {
        view! {
            <pre class="max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs"
                data-testid="notes-draft">{notes.markdown.clone()}</pre>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="notes-heading" class=format!("{CARD} min-w-0 space-y-3")>
            <h2 id="notes-heading" class="text-lg font-medium">"Release notes"</h2>
            <p class="text-sm text-slate-700" data-testid="notes-status">{status}</p>
            <Versions train=train.clone() versions=notes.versions.clone() />
            {editor}
        </section>
    }
}

#[component]
fn Versions(train: String, versions: Vec<NotesVersionView>) -> impl IntoView {
    if versions.is_empty() {
        return view! { <p class="text-sm text-slate-600" data-testid="notes-versions">"Not published yet."</p> }
            .into_any();
    }
    view! {
        <ul class="space-y-1 text-sm" data-testid="notes-versions">
            {versions.into_iter().map(|v| {
                let href = format!(
                    "/api/v1/release-trains/{train}/release-notes/versions/{}/markdown",
                    v.version
                );
                let where_kept = if v.in_evidence { "in the evidence bundle" } else { "after the seal" };
                view! {
                    <li data-testid=format!("notes-version-{}", v.version)>
                        <a class="font-medium text-sky-700 underline" href=href download="" rel="external">
                            {format!("Version {}", v.version)}
                        </a>
                        {format!(" by {}, ", v.published_by)}
                        <Moment at=v.published_at />
                        {format!(" · {where_kept}")}
                        {v.reason.clone().map(|r| view! { <span class="text-slate-600">{format!(" — {r}")}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn NotesEditor(train: String, notes: NotesDraftView, sealed: bool) -> impl IntoView {
    let save = ServerAction::<SaveNotesDraft>::new();
    let publish = ServerAction::<PublishNotes>::new();
    let save_error = form_message(&save.value().get_untracked(), &["markdown"]);
    let markdown_error = field_message(&save.value().get_untracked(), "markdown");
    let publish_error = form_message(&publish.value().get_untracked(), &["reason"]);
    let reason_error = field_message(&publish.value().get_untracked(), "reason");
    let revision = notes.revision.to_string();
    let (publish_train, publish_revision) = (train.clone(), revision.clone());
    let sealed_note = sealed.then(|| view! {
        <p class="text-xs text-amber-800">
            "The evidence bundle is sealed: a version published now is kept here, not in the bundle."
        </p>
    });
    view! {
        <FormError message=save_error />
        <ActionForm action=save attr:class="space-y-2">
            <input type="hidden" name="train" value=train />
            <input type="hidden" name="revision" value=revision />
            <label for="notes-markdown" class=LABEL>"Draft (Markdown)"</label>
            <textarea id="notes-markdown" name="markdown" rows="18" required
                aria-describedby="notes-markdown-error"
                class=format!("{INPUT} font-mono text-xs")>{notes.markdown.clone()}</textarea>
            <FieldError message=markdown_error id="notes-markdown-error".to_owned() />
            <button type="submit" class=PRIMARY>"Save draft"</button>
        </ActionForm>
        <FormError message=publish_error />
        <ActionForm action=publish attr:class="space-y-2 border-t border-slate-200 pt-3">
            <input type="hidden" name="train" value=publish_train />
            <input type="hidden" name="revision" value=publish_revision />
            <label for="notes-reason" class=LABEL>"Why this version (optional)"</label>
            <input id="notes-reason" name="reason" class=INPUT aria-describedby="notes-reason-error" />
            <FieldError message=reason_error id="notes-reason-error".to_owned() />
            {sealed_note}
            <button type="submit" class=PRIMARY>"Publish the saved draft"</button>
        </ActionForm>
    }
}
