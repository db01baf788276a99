use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::moment::Moment;
use crate::domain::calendar::edit::input_value;
use crate::error::AppError;
use crate::models::calendar::SlotView;
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::{calendar_slot, AssignOnCall, MoveTrain, SkipTrain};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub const INPUT: &str =
    "mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm text-slate-900";
pub const LABEL: &str = "block text-sm font-medium text-slate-700";
pub const PRIMARY: &str = "rounded bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700";

/// `/calendar/trains/{name}`: an owner assigns the on-call, moves or skips a
/// planned train. Plain forms: they work without JavaScript.
#[component]
pub fn SlotPage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.read().get("name").unwrap_or_default();
    let slot = Resource::new(name, calendar_slot);
    view! {
        <Title text="Edit train" />
        <p class="mb-2 text-sm"><a href="/calendar" class="text-sky-700 underline">"← Calendar"</a></p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let data = slot.await?;
                    Ok::<_, AppError>(view! { <SlotEditor data /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn SlotEditor(data: SlotView) -> impl IntoView {
    let slot = data;
    let title = slot.tag.clone().unwrap_or_else(|| slot.name.clone());
    let body = match (&slot.locked, slot.may_edit) {
        (_, false) => view! {
            <p class="rounded border border-slate-200 bg-white p-3 text-sm">
                "Only calendar owners can change trains on the calendar."
            </p>
        }
        .into_any(),
        (Some(_), true) if slot.postpone_only => view! {
            <div class="grid gap-6 md:grid-cols-3">
                <MoveForm name=slot.name.clone() at=slot.at />
            </div>
        }
        .into_any(),
        (Some(why), true) => view! {
            <p role="status" class="rounded border border-amber-300 bg-amber-50 p-3 text-sm">{why.clone()}</p>
        }.into_any(),
        (None, true) => view! {
            <div class="grid gap-6 md:grid-cols-3">
                <AssignOnCallForm name=slot.name.clone() on_call=slot.on_call.clone() />
                <MoveForm name=slot.name.clone() at=slot.at />
                <SkipForm name=slot.name.clone() title=title.clone() />
            </div>
        }
        .into_any(),
    };
    view! {
        <SlotHeading train=slot title />
        {body}
    }
}

/// The train's tag or name, its track, when it is planned and who watches it.
#[component]
fn SlotHeading(train: SlotView, title: String) -> impl IntoView {
    let slot = train;
    view! {
        <h1 class="text-2xl font-semibold">{format!("Edit {title}")}</h1>
        <p class="mb-4 text-sm text-slate-600">
            {slot.track.clone().map(|t| format!("{t} track · "))}
            "planned for " <Moment at=slot.at />
            {slot.cadence_slot.map(|c| format!(" (moved from its slot {})", c.format("%a %d %b %H:%M UTC")))}
            {format!(
                " · {} · on-call: {}",
                slot.status.label(),
                slot.on_call.as_deref().map_or("nobody yet".to_owned(), |o| format!("@{o}"))
            )}
        </p>
    }
}

/// Assigns (or, left empty, removes) the train's on-call.
#[component]
fn AssignOnCallForm(name: String, on_call: Option<String>) -> impl IntoView {
    let assign = ServerAction::<AssignOnCall>::new();
    let on_call_error = field_message(&assign.value().get_untracked(), "on_call");
    let assign_error = form_message(&assign.value().get_untracked(), &["on_call"]);
    view! {
        <section
            aria-labelledby="assign-heading"
            class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
            <h2 id="assign-heading" class="mb-2 font-medium">"On-call"</h2>
            <FormError message=assign_error />
            <ActionForm action=assign>
                <input type="hidden" name="name" value=name />
                <label for="on_call" class=LABEL>"Who watches this train"</label>
                <input id="on_call" name="on_call" value=on_call.unwrap_or_default()
                    placeholder="@handle" aria-describedby="on_call-error" class=INPUT />
                <FieldError message=on_call_error id="on_call-error".to_owned() />
                <p class="mt-1 text-xs text-slate-500">
                    "Leave empty to unassign: the train is then skipped at cut time."
                </p>
                <button type="submit" class=format!("mt-3 {PRIMARY}")>"Save on-call"</button>
            </ActionForm>
        </section>
    }
}

/// Categories people pick most; any other one line may be typed.
const POSTPONE_CATEGORIES: [&str; 5] = [
    "chain-ops conflict",
    "freeze",
    "not ready",
    "on-call unavailable",
    "incident",
];

/// Moves the train to another date and time: earlier or within its slot
/// with an optional reason; past it, postponed with a reason and category.
#[component]
fn MoveForm(name: String, at: DateTime<Utc>) -> impl IntoView {
    let moving = ServerAction::<MoveTrain>::new();
    let to_error = field_message(&moving.value().get_untracked(), "to");
    let move_reason_error = field_message(&moving.value().get_untracked(), "reason");
    let category_error = field_message(&moving.value().get_untracked(), "category");
    let move_error = form_message(
        &moving.value().get_untracked(),
        &["to", "reason", "category"],
    );
    view! {
        <section
            aria-labelledby="move-heading"
            class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
            <h2 id="move-heading" class="mb-2 font-medium">"Move"</h2>
            <FormError message=move_error />
            <ActionForm action=moving>
                <input type="hidden" name="name" value=name />
                <label for="to" class=LABEL>"New date and time (UTC)"</label>
                <input id="to" name="to" type="datetime-local" required value=input_value(at)
                    aria-describedby="to-error" class=INPUT />
                <FieldError message=to_error id="to-error".to_owned() />
                <label for="move-reason" class=format!("mt-2 {LABEL}")>"Why"</label>
                <input id="move-reason" name="reason" class=INPUT aria-describedby="move-reason-error move-help" />
                <FieldError message=move_reason_error id="move-reason-error".to_owned() />
                <label for="move-category" class=format!("mt-2 {LABEL}")>"Postponement category"</label>
                <input id="move-category" name="category" list="postpone-categories" class=INPUT
                    aria-describedby="move-category-error move-help" />
                <datalist id="postpone-categories">
                    {POSTPONE_CATEGORIES.iter().map(|c| view! { <option value=*c /> }).collect_view()}
                </datalist>
                <FieldError message=category_error id="move-category-error".to_owned() />
                <p id="move-help" class="mt-1 text-xs text-slate-500">
                    "Past its slot the train is postponed: give the reason and a category (postponements are counted by category)."
                </p>
                <button type="submit" class=format!("mt-3 {PRIMARY}")>"Move train"</button>
            </ActionForm>
        </section>
    }
}

/// Skips the train, for a reason that is required.
#[component]
fn SkipForm(name: String, title: String) -> impl IntoView {
    let skip = ServerAction::<SkipTrain>::new();
    let skip_reason_error = field_message(&skip.value().get_untracked(), "reason");
    let skip_error = form_message(&skip.value().get_untracked(), &["reason"]);
    view! {
        <section
            aria-labelledby="skip-heading"
            class="rounded-lg border border-rose-200 bg-white p-4 shadow-sm"
        >
            <h2 id="skip-heading" class="mb-2 font-medium">"Skip"</h2>
            <FormError message=skip_error />
            <ActionForm action=skip>
                <input type="hidden" name="name" value=name />
                <label for="skip-reason" class=LABEL>"Reason (required)"</label>
                <textarea
                    id="skip-reason"
                    name="reason"
                    rows="2"
                    aria-describedby="skip-reason-error"
                    class=INPUT
                >
                </textarea>
                <FieldError message=skip_reason_error id="skip-reason-error".to_owned() />
                <button
                    type="submit"
                    class="mt-3 rounded bg-rose-700 px-3 py-1.5 text-sm text-white hover:bg-rose-600"
                >
                    {format!("Skip {title}")}
                </button>
            </ActionForm>
        </section>
    }
}
