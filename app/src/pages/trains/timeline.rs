use crate::components::moment::Moment;
use crate::models::train::TrainEventView;
use leptos::prelude::*;

/// A one-line account of an event's detail.
fn summary(e: &TrainEventView) -> String {
    let d = &e.detail;
    match e.kind.as_str() {
        "transition" => format!(
            "{} → {}",
            e.from_state.as_deref().unwrap_or("?").replace('_', " "),
            e.to_state.as_deref().unwrap_or("?").replace('_', " ")
        ),
        "gate_results" => {
            let results = d["results"].as_array().cloned().unwrap_or_default();
            let shown: Vec<String> = results
                .iter()
                .take(6)
                .map(|r| {
                    let value = if r["value"].is_null() {
                        r["passed"].to_string()
                    } else {
                        r["value"].to_string()
                    };
                    format!(
                        "{} {} {}",
                        r["participant"].as_str().unwrap_or("?"),
                        r["gate"].as_str().unwrap_or("?"),
                        value
                    )
                })
                .collect();
            let more = results.len().saturating_sub(shown.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!(
                "{} gate result(s): {}{more}",
                results.len(),
                shown.join(", ")
            )
        }
        "rollback" => format!(
            "{} rolled back {} → {}{}",
            d["service"].as_str().unwrap_or("?"),
            d["from_version"].as_str().unwrap_or("?"),
            d["to_version"].as_str().unwrap_or("?"),
            d["environment"]
                .as_str()
                .map(|e| format!(" in {e}"))
                .unwrap_or_default()
        ),
        "created" => format!(
            "created with {} participant(s)",
            d["participants"].as_array().map_or(0, Vec::len)
        ),
        "calendar" => {
            if let Some(m) = d.get("moved") {
                format!(
                    "moved from {} to {}",
                    m["from"].as_str().unwrap_or("?"),
                    m["to"].as_str().unwrap_or("?")
                )
            } else if let Some(o) = d.get("on_call") {
                match o["to"].as_str() {
                    Some(to) => format!("on-call set to @{to}"),
                    None => "on-call removed".to_owned(),
                }
            } else if d.get("calendar_status").is_some() {
                "skipped on the calendar".to_owned()
            } else if d.get("recorded_after_the_fact").is_some() {
                "hotfix recorded after the fact".to_owned()
            } else {
                "calendar change".to_owned()
            }
        }
        "promotion" => {
            let env = |k: &str| d[k].as_str().map(str::to_owned);
            if let Some(e) = env("promoted") {
                match d["break_glass"].as_str() {
                    Some(glass) => format!("promoted to {e} ({glass})"),
                    None => format!("promoted to {e}"),
                }
            } else if let Some(e) = env("requested") {
                format!("requested promotion to {e}")
            } else if let Some(e) = env("approved") {
                format!("approved promotion to {e}")
            } else if let Some(e) = env("rejected") {
                format!("rejected promotion to {e}")
            } else if let Some(e) = env("cancelled") {
                format!("cancelled the promotion to {e}")
            } else if let Some(e) = env("break_glass") {
                format!("BREAK-GLASS for the promotion to {e}")
            } else {
                "promotion".to_owned()
            }
        }
        "health" => format!(
            "rollback criteria held for {} in {}: {}",
            d["service"].as_str().unwrap_or("?"),
            d["environment"].as_str().unwrap_or("?"),
            if d["outcome"] == "rolled_back" {
                "rolled back automatically"
            } else {
                "rollback recommended"
            }
        ),
        "edited" if d.get("participant").is_some() => format!(
            "{} now releases {}",
            d["participant"].as_str().unwrap_or("?"),
            d["target_version"]["to"].as_str().unwrap_or("?")
        ),
        "evidence" => evidence_summary(d),
        "participant" => format!(
            "{} is {}",
            d["service"].as_str().unwrap_or("?"),
            d["status"].as_str().unwrap_or("?").replace('_', " ")
        ),
        other => other.replace('_', " "),
    }
}

/// `uploaded curve.cdx.json (cyclonedx_sbom, curve)`, `evidence bundle sealed: …`.
fn evidence_summary(d: &serde_json::Value) -> String {
    let action = d["action"].as_str().unwrap_or("changed");
    if action == "sealed" {
        let digest = d["manifest_sha256"].as_str().unwrap_or("?");
        return format!(
            "evidence bundle sealed: {} artifact(s), manifest SHA-256 {}…",
            d["artifacts"],
            &digest[..digest.len().min(12)]
        );
    }
    let whose = d["participant"]
        .as_str()
        .map_or_else(String::new, |p| format!(", {p}"));
    format!(
        "evidence {action}: {} ({}{whose})",
        d["name"].as_str().unwrap_or("?"),
        d["kind"].as_str().unwrap_or("?").replace('_', " ")
    )
}

/// Every event of the train, newest first: who, when, what and why.
#[component]
pub fn Timeline(events: Vec<TrainEventView>) -> impl IntoView {
    view! {
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading" class="mb-2 text-lg font-medium">"Timeline"</h2>
            <ol class="relative space-y-3 border-l border-slate-300 pl-4" aria-label="Timeline">
                {events.into_iter().rev().map(|e| {
                    let line = summary(&e);
                    view! {
                        <li class="text-sm" data-kind=e.kind.clone()>
                            <span class="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border border-white bg-slate-400" aria-hidden="true"></span>
                            <p class="text-xs text-slate-500"><Moment at=e.at />" · "{e.actor.clone()}</p>
                            <p class="font-medium">{line}</p>
                            {e.reason.clone().map(|r| view! { <p class="text-slate-700">{format!("Why: {r}")}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
