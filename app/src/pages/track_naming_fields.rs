//! The part of a track's form that says how its releases are named: the tag
//! template, what a train does to the version line, the release branch and
//! the train id inside it.

use crate::components::form_error::FieldError;
use crate::components::labelled_input::LabelledInput;
use crate::domain::release_naming::{
    NamingInput, BRANCH_TEMPLATE, CANDIDATES_TEMPLATE, RELEASE_TEMPLATE, TRACK_TEMPLATE,
    TRAIN_ID_FORMAT,
};
use crate::pages::calendar::slot_page::{INPUT, LABEL};
use leptos::prelude::*;

const NEXT_VERSIONS: [(&str, &str); 5] = [
    (
        "",
        "the default: minor with release candidates, patch with releases, same otherwise",
    ),
    ("same", "same: the next trains count on in this version"),
    (
        "patch",
        "patch: the next trains take the next patch version",
    ),
    (
        "minor",
        "minor: the next trains take the next minor version",
    ),
    (
        "major",
        "major: the next trains take the next major version",
    ),
];

#[component]
pub fn NamingFields(
    /// The track's naming; empty fields show their default as a hint.
    values: NamingInput,
    /// The message of a refused field, by name.
    error: impl Fn(&'static str) -> Option<String> + Copy + Send + 'static,
) -> impl IntoView {
    let current = values.next_version.clone();
    let tag_hint = format!(
        "{TRACK_TEMPLATE}, v{{version}}-beta.{{n}}, {CANDIDATES_TEMPLATE} or {RELEASE_TEMPLATE}"
    );
    view! {
        <fieldset class="space-y-2 rounded border border-slate-200 p-3">
            <legend class=LABEL>"Tags and release branches"</legend>
            <div class="grid gap-3 sm:grid-cols-2">
                <LabelledInput id="naming-tag" name="naming[tag]" label="Tag template" value=values.tag
                    hint=TRACK_TEMPLATE title=tag_hint error=error("naming.tag") />
                <div>
                    <label for="naming-next" class=LABEL>"After each train, the version"</label>
                    <select id="naming-next" name="naming[next_version]" class=INPUT
                        aria-describedby="naming-next-error">
                        {NEXT_VERSIONS.into_iter().map(|(value, label)| {
                            view! { <option value=value selected=value == current>{label}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError message=error("naming.next_version") id="naming-next-error".to_owned() />
                </div>
                <LabelledInput id="naming-branch" name="naming[branch]" label="Release branch"
                    value=values.branch hint=BRANCH_TEMPLATE error=error("naming.branch") />
                <LabelledInput id="naming-train-id" name="naming[train_id]" label="Train id in the branch"
                    value=values.train_id hint=TRAIN_ID_FORMAT error=error("naming.train_id") />
            </div>
            <p class="text-xs text-slate-600">
                "A tag is " {TRACK_TEMPLATE} " (the n-th train of the track in a version), "
                "v{version}-<word>.{n}, or " {CANDIDATES_TEMPLATE}
                " (release candidates, then v{version} at GA), or " {RELEASE_TEMPLATE}
                " (every train a release; a hotfix lane makes patch releases). A train id takes {year}, {month}, {day}, "
                "{week_of_month}, {iso_week} and {track}; a branch takes {train_id}, {track} and {version}."
            </p>
        </fieldset>
    }
}
