use super::slot_page::{INPUT, LABEL, PRIMARY};
use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::error::AppError;
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::{list_tracks, RecordHotfix};
use leptos::prelude::*;
use leptos_meta::Title;

const FIELDS: [&str; 5] = ["track", "tag", "at", "on_call", "reason"];

/// `/calendar/hotfixes/new`: records a hotfix after it ran, for the PIR.
#[component]
pub fn HotfixPage() -> impl IntoView {
    let tracks = Resource::new(|| (), |_| list_tracks());
    let record = ServerAction::<RecordHotfix>::new();
    let error = move |field: &'static str| field_message(&record.value().get_untracked(), field);
    let general = form_message(&record.value().get_untracked(), &FIELDS);
    view! {
        <Title text="Record a hotfix" />
        <p class="mb-2 text-sm"><a href="/calendar" class="text-sky-700 underline">"← Calendar"</a></p>
        <h1 class="text-2xl font-semibold">"Record a hotfix"</h1>
        <p class="mb-4 text-sm text-slate-600">
            "A hotfix runs when it must; the calendar records it afterwards \
             so the post-incident review can cite its tag."
        </p>
        <FormError message=general />
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let tracks = tracks.await?;
                    let on_demand: Vec<String> = tracks
                        .into_iter()
                        .filter(|t| t.cadence_rule.is_none())
                        .map(|t| t.name)
                        .collect();
                    Ok::<_, AppError>(view! {
                        <ActionForm
                            action=record
                            attr:class="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
                        >
                            <div>
                                <label for="track" class=LABEL>"Track"</label>
                                <select id="track" name="track" class=INPUT>
                                    {on_demand.into_iter().map(|t| view! {
                                        <option value=t.clone()>{t.clone()}</option>
                                    }).collect_view()}
                                </select>
                                <FieldError message=error("track") id="track-error".to_owned() />
                            </div>
                            <div>
                                <label for="tag" class=LABEL>"Tag"</label>
                                <input
                                    id="tag"
                                    name="tag"
                                    class=INPUT
                                    placeholder="v0.5.0-hotfix.1"
                                    aria-describedby="tag-hint tag-error"
                                />
                                <p id="tag-hint" class="mt-1 text-xs text-slate-500">
                                    "Leave empty for the next hotfix tag off the staging release it patched."
                                </p>
                                <FieldError message=error("tag") id="tag-error".to_owned() />
                            </div>
                            <div>
                                <label for="at" class=LABEL>"When it ran (UTC)"</label>
                                <input
                                    id="at"
                                    name="at"
                                    type="datetime-local"
                                    class=INPUT
                                    aria-describedby="at-error"
                                />
                                <FieldError message=error("at") id="at-error".to_owned() />
                            </div>
                            <div>
                                <label for="hotfix-on-call" class=LABEL>"Who was paged"</label>
                                <input
                                    id="hotfix-on-call"
                                    name="on_call"
                                    class=INPUT
                                    placeholder="@handle"
                                    aria-describedby="on_call-error"
                                />
                                <FieldError message=error("on_call") id="on_call-error".to_owned() />
                            </div>
                            <div>
                                <label for="hotfix-reason" class=LABEL>"What it fixed"</label>
                                <textarea
                                    id="hotfix-reason"
                                    name="reason"
                                    rows="2"
                                    class=INPUT
                                    aria-describedby="hotfix-reason-error"
                                >
                                </textarea>
                                <FieldError message=error("reason") id="hotfix-reason-error".to_owned() />
                            </div>
                            <button type="submit" class=PRIMARY>"Record hotfix"</button>
                        </ActionForm>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}
