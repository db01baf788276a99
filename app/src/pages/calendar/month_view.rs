use super::track_filter::{colours, TrackFilter};
use crate::components::track_badge::track_colour;
use crate::domain::calendar::month::Month;
use crate::domain::CalendarStatus;
use crate::models::calendar::CalendarPageData;
use crate::models::CalendarEntry;
use chrono::NaiveDate;
use leptos::prelude::*;
use std::collections::HashMap;

/// The month view: whole weeks, Monday first, each day with its trains in
/// their track's colour; today is marked.
#[component]
pub fn MonthView(
    data: CalendarPageData,
    month: Month,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let rest = format!("view=month&month={month}&");
    view! {
        <TrackFilter tracks=data.tracks.clone() selected rest />
        <MonthNav month selected />
        <div class="overflow-x-auto rounded-lg border border-slate-200 shadow-sm">
            <table class="w-full table-fixed border-collapse text-sm" aria-label=format!("Trains in {}", month.label())>
                <thead class="bg-slate-50 text-xs uppercase text-slate-600">
                    <tr>
                        {["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                            .into_iter()
                            .map(|d| view! { <th scope="col" class="px-1 py-1">{d}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{month_weeks(data, month, selected)}</tbody>
            </table>
        </div>
    }
}

/// The month's name between links to the one before and the one after,
/// keeping the track filter.
#[component]
fn MonthNav(month: Month, selected: Memo<Option<String>>) -> impl IntoView {
    let nav_track = move || {
        selected
            .get()
            .map(|t| format!("&track={t}"))
            .unwrap_or_default()
    };
    view! {
        <div class="mb-2 flex items-center justify-between">
            <a
                class="text-sm text-sky-700 underline"
                href=move || format!("/calendar?view=month&month={}{}", month.previous(), nav_track())
            >
                {format!("← {}", month.previous().label())}
            </a>
            <h2 class="text-lg font-medium" data-testid="month-label">{month.label()}</h2>
            <a
                class="text-sm text-sky-700 underline"
                href=move || format!("/calendar?view=month&month={}{}", month.next(), nav_track())
            >
                {format!("{} →", month.next().label())}
            </a>
        </div>
    }
}

/// One row per week, the trains of the selected track (or of every track)
/// on their days; follows the track filter.
fn month_weeks(
    data: CalendarPageData,
    month: Month,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let colours = colours(&data.tracks);
    let today = data.now.date_naive();
    let entries = data.entries;
    let weeks = month.weeks();
    move || {
        let selected = selected.get();
        let mut by_day: HashMap<chrono::NaiveDate, Vec<CalendarEntry>> = HashMap::new();
        for e in entries
            .iter()
            .filter(|e| selected.as_deref().is_none_or(|s| s == e.track))
        {
            by_day.entry(e.at.date_naive()).or_default().push(e.clone());
        }
        weeks
            .iter()
            .map(|week| {
                let days = week
                    .iter()
                    .map(|day| {
                        let trains = by_day.remove(day).unwrap_or_default();
                        day_cell(*day, month, today, trains, &colours)
                    })
                    .collect_view();
                view! { <tr>{days}</tr> }
            })
            .collect_view()
    }
}

/// A day of the grid with its trains; days of the months around are
/// greyed, today is ringed.
fn day_cell(
    day: NaiveDate,
    month: Month,
    today: NaiveDate,
    trains: Vec<CalendarEntry>,
    colours: &HashMap<String, String>,
) -> impl IntoView {
    let is_today = day == today;
    let class = format!(
        "min-h-24 border border-slate-100 p-1 align-top {} {}",
        if month.contains(day) {
            "bg-white"
        } else {
            "bg-slate-50 text-slate-400"
        },
        if is_today {
            "ring-2 ring-inset ring-sky-500"
        } else {
            ""
        }
    );
    let items = trains
        .into_iter()
        .map(|t| {
            let colour = track_colour(colours.get(&t.track).map_or("", String::as_str));
            month_entry(t, colour)
        })
        .collect_view();
    view! {
        <td class=class aria-current=is_today.then_some("date") data-date=day.to_string()>
            <div class="flex items-center justify-between text-xs">
                <span class="font-medium">{day.format("%-d").to_string()}</span>
                {is_today.then(|| view! {
                    <span class="rounded bg-sky-600 px-1 text-white">"Today"</span>
                })}
            </div>
            <ul class="mt-1 space-y-1">
                {items}
            </ul>
        </td>
    }
}

/// One train (or cadence slot) in a day, linked to its page once it exists.
fn month_entry(t: CalendarEntry, colour: &str) -> AnyView {
    let skipped = t.status == CalendarStatus::Skipped;
    let label = t.tag.clone().unwrap_or_else(|| format!("{} slot", t.track));
    let title = format!(
        "{} {} · {} UTC · {}{}",
        t.track,
        label,
        t.at.format("%H:%M"),
        t.status.label(),
        t.on_call
            .as_ref()
            .map(|o| format!(" · on-call @{o}"))
            .unwrap_or_default()
    );
    let class = format!(
        "block truncate rounded px-1 text-xs ring-1 ring-inset {colour} {}",
        if skipped {
            "line-through opacity-70"
        } else {
            ""
        }
    );
    let body = view! {
        <span>{t.at.format("%H:%M").to_string()}" "{label.clone()}</span>
    };
    match t.train {
        Some(name) => view! {
            <li>
                <a class=class title=title href=format!("/trains/{name}")>
                    {body}
                </a>
            </li>
        }
        .into_any(),
        None => view! {
            <li><span class=class title=title>{body}</span></li>
        }
        .into_any(),
    }
}
