//! A train's release branch and every tag it carried, each with the
//! participants' versions; a captain cuts the next release candidate here.

use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::moment::Moment;
use crate::models::train::TagRecord;
use crate::models::train_page::TrainPageData;
use crate::server_fns::trains::CutCandidate;
use leptos::prelude::*;

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "cut" => "cut",
        "candidate" => "release candidate",
        "general_availability" => "generally available",
        _ => "tag",
    }
}

#[component]
pub fn TagHistory(data: TrainPageData) -> impl IntoView {
    let s = data.status.clone();
    if s.release_branch.is_none() && s.tags.is_empty() && s.baseline.is_none() {
        return view! { <span></span> }.into_any();
    }
    let may_cut = data.may_manage
        && s.state != crate::domain::TrainState::Planning
        && s.state.is_unfinished()
        && s.tags.last().is_some_and(|t| t.tag.contains("-rc"));
    view! {
        <section aria-labelledby="tags-heading" class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 id="tags-heading" class="mb-2 text-lg font-medium">"Release branch and tags"</h2>
            <dl class="mb-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                {s.release_branch.clone().map(|b| view! {
                    <dt class="text-slate-500">"Release branch"</dt>
                    <dd class="font-mono" data-testid="release-branch">{b}</dd>
                })}
                {s.release_id.clone().map(|id| view! {
                    <dt class="text-slate-500">"Train id"</dt>
                    <dd class="font-mono">{id}</dd>
                })}
                {s.baseline.clone().map(|b| view! {
                    <dt class="text-slate-500">"Starts from hotfix"</dt>
                    <dd><a class="font-mono text-sky-800 underline" href=format!("/trains/{b}")>{b.clone()}</a></dd>
                })}
            </dl>
            <ol class="space-y-2 text-sm" aria-label="Tag history">
                {s.tags.into_iter().map(|t| view! { <TagLine tag=t /> }).collect_view()}
            </ol>
            {may_cut.then(|| view! { <CutCandidateForm train=s.name.clone() /> })}
        </section>
    }
    .into_any()
}

#[component]
fn TagLine(tag: TagRecord) -> impl IntoView {
    let versions = tag
        .versions
        .iter()
        .map(|(service, version)| format!("{service} {version}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="rounded border border-slate-100 p-2">
            <span class="font-mono font-medium">{tag.tag.clone()}</span>
            <span class="ml-2 text-xs text-slate-500">{kind_label(&tag.kind)}</span>
            <span class="ml-2 text-xs text-slate-500">"by " {tag.tagged_by.clone()} " · " <Moment at=tag.tagged_at /></span>
            {(!versions.is_empty()).then(|| view! { <span class="block text-xs text-slate-700">{versions}</span> })}
            {tag.reason.map(|r| view! { <span class="block text-xs text-slate-600">{format!("Why: {r}")}</span> })}
        </li>
    }
}

/// The next release candidate, with the reason.
#[component]
fn CutCandidateForm(train: String) -> impl IntoView {
    let cut = ServerAction::<CutCandidate>::new();
    let reason_error = field_message(&cut.value().get_untracked(), "reason");
    let cut_error = form_message(&cut.value().get_untracked(), &["reason"]);
    view! {
        <details class="mt-3 rounded border border-slate-200 p-2">
            <summary class="cursor-pointer text-sm font-medium">"Cut the next release candidate…"</summary>
            <FormError message=cut_error />
            <ActionForm action=cut attr:class="mt-2">
                <input type="hidden" name="name" value=train />
                <label for="candidate-reason" class="block text-sm">"Why (required)"</label>
                <input id="candidate-reason" name="reason" aria-describedby="candidate-reason-error"
                    class="mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm" />
                <FieldError message=reason_error id="candidate-reason-error".to_owned() />
                <button type="submit" class="mt-2 rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                    "Cut candidate"
                </button>
            </ActionForm>
        </details>
    }
}
