//! The change announcement (seed 001's pre-train template) on the Changes
//! tab: drafted from the train, editable by the captain and
//! communications, and sent with each reminder before the cut.

use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::moment::Moment;
use crate::models::release_notes::AnnouncementView;
use crate::pages::calendar::slot_page::{INPUT, LABEL, PRIMARY};
use crate::pages::evidence::CARD;
use crate::server_fns::release_notes::SaveAnnouncementDraft;
use leptos::prelude::*;

#[component]
pub fn AnnouncementPanel(
    train: String,
    announcement: AnnouncementView,
    may_edit: bool,
) -> impl IntoView {
    let status = match (&announcement.edited_by, announcement.edited_at) {
        (Some(by), Some(at)) => view! {
            <span>{format!("Revision {} by {by}, ", announcement.revision)}<Moment at /></span>
        }
        .into_any(),
        _ => view! { <span>"Drafted from the train; nobody has edited it yet."</span> }.into_any(),
    };
    let body = if may_edit {
        view! { <AnnouncementEditor train announcement /> }.into_any()
    } else {
        view! {
            <pre class="max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs"
                data-testid="announcement-text">{announcement.markdown.clone()}</pre>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="announcement-heading" class=format!("{CARD} space-y-3")>
            <h2 id="announcement-heading" class="text-lg font-medium">"Change announcement"</h2>
            <p class="text-sm text-slate-700" data-testid="announcement-status">
                {status}
                " It is sent with the reminders before the cut (train.upcoming)."
            </p>
            {body}
        </section>
    }
}

#[component]
fn AnnouncementEditor(train: String, announcement: AnnouncementView) -> impl IntoView {
    let save = ServerAction::<SaveAnnouncementDraft>::new();
    let general = form_message(&save.value().get_untracked(), &["markdown"]);
    let error = field_message(&save.value().get_untracked(), "markdown");
    view! {
        <FormError message=general />
        <ActionForm action=save attr:class="space-y-2">
            <input type="hidden" name="train" value=train />
            <input type="hidden" name="revision" value=announcement.revision.to_string() />
            <label for="announcement-markdown" class=LABEL>"Announcement (Markdown)"</label>
            <textarea id="announcement-markdown" name="markdown" rows="14" required
                aria-describedby="announcement-markdown-error"
                class=format!("{INPUT} font-mono text-xs")>{announcement.markdown}</textarea>
            <FieldError message=error id="announcement-markdown-error".to_owned() />
            <button type="submit" class=PRIMARY>"Save announcement"</button>
        </ActionForm>
    }
}
