use super::slot_page::{INPUT, LABEL, PRIMARY};
use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::error::AppError;
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::{calendar_page, SaveRotation};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/calendar/rotation`: admins set which teams take turns owning the
/// calendar, a month each.
#[component]
pub fn RotationPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| calendar_page(None));
    let save = ServerAction::<SaveRotation>::new();
    let error = move |field: &'static str| field_message(&save.value().get_untracked(), field);
    let general = form_message(&save.value().get_untracked(), &["teams", "starts_on"]);
    view! {
        <Title text="Calendar owner rotation" />
        <p class="mb-2 text-sm"><a href="/calendar" class="text-sky-700 underline">"← Calendar"</a></p>
        <h1 class="mb-4 text-2xl font-semibold">"Calendar owner rotation"</h1>
        <FormError message=general />
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let data = data.await?;
                    let (teams, starts) = data
                        .rotation
                        .as_ref()
                        .map(|r| (r.teams.join("\n"), r.starts_on.format("%Y-%m-%d").to_string()))
                        .unwrap_or_else(|| {
                            ("dev infra\nvalidators".to_owned(), data.now.format("%Y-%m-01").to_string())
                        });
                    let note = (!data.may_manage_rotation)
                        .then(|| view! {
                            <p class="mb-3 rounded border border-slate-200 bg-white p-3 text-sm">
                                "Only admins can change the rotation."
                            </p>
                        });
                    Ok::<_, AppError>(view! {
                        {note}
                        <ActionForm
                            action=save
                            attr:class="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
                        >
                            <div>
                                <label for="teams" class=LABEL>"Teams, one per line, in turn order"</label>
                                <textarea id="teams" name="teams" rows="4" class=INPUT aria-describedby="teams-error">
                                    {teams}
                                </textarea>
                                <FieldError message=error("teams") id="teams-error".to_owned() />
                            </div>
                            <div>
                                <label for="starts_on" class=LABEL>"The first team owns the month of"</label>
                                <input
                                    id="starts_on"
                                    name="starts_on"
                                    type="date"
                                    value=starts
                                    class=INPUT
                                    aria-describedby="starts_on-error"
                                />
                                <FieldError message=error("starts_on") id="starts_on-error".to_owned() />
                            </div>
                            <button type="submit" class=PRIMARY>"Save rotation"</button>
                        </ActionForm>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}
