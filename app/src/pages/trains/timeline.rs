use crate::components::moment::Moment;
use crate::domain::change::{
    CalendarEvent, Edit, EvidenceEvent, GateResultLine, NotesEvent, PromotionEvent, TimelineEvent,
};
use crate::domain::rollback_progress::RollbackOutcome;
use crate::domain::TrainState;
use crate::models::train::TrainEventView;
use chrono::SecondsFormat;
use leptos::prelude::*;

/// A one-line account of an event.
fn summary(e: &TrainEventView) -> String {
    match &e.event {
        TimelineEvent::Transition { .. } => {
            let state =
                |s: Option<TrainState>| s.map_or("?".to_owned(), |s| s.as_str().replace('_', " "));
            format!("{} → {}", state(e.from_state), state(e.to_state))
        }
        TimelineEvent::Created { participants, .. } => {
            format!("created with {} participant(s)", participants.len())
        }
        TimelineEvent::GateResults { results } => gate_results(results),
        TimelineEvent::Rollback { step, environment } => format!(
            "{} {} {} → {}{}",
            step.service,
            if step.status == "requested" {
                "rollback requested from CD:"
            } else {
                "rolled back"
            },
            step.from_version.as_deref().unwrap_or("?"),
            step.to_version.as_deref().unwrap_or("?"),
            environment
                .as_deref()
                .map(|e| format!(" in {e}"))
                .unwrap_or_default()
        ),
        TimelineEvent::RollbackSettled {
            outcome, detail, ..
        } => match outcome {
            RollbackOutcome::Completed => format!("rollback completed: {detail}"),
            RollbackOutcome::Stuck => format!("rollback stuck, {detail}"),
        },
        TimelineEvent::Calendar(c) => calendar(c),
        TimelineEvent::Promotion(p) => promotion(p),
        TimelineEvent::Health {
            service,
            environment,
            outcome,
            ..
        } => format!(
            "rollback criteria held for {service} in {environment}: {}",
            outcome.label()
        ),
        TimelineEvent::Edited(Edit::Participant {
            participant,
            target_version,
        }) => format!("{participant} now releases {}", target_version.to),
        TimelineEvent::Edited(Edit::Train { .. }) => "edited".to_owned(),
        TimelineEvent::Edited(Edit::Gates { gates }) => format!("gates set: {}", gates.join(", ")),
        TimelineEvent::Evidence(ev) => evidence(ev),
        TimelineEvent::Participant {
            service, status, ..
        } => format!("{service} is {}", status.as_str().replace('_', " ")),
        TimelineEvent::Deployment {
            service,
            version,
            environment,
            status,
            ..
        } => format!(
            "deployment of {service} {version} to {environment}: {}",
            status.as_str().replace('_', " ")
        ),
        TimelineEvent::Incident {
            incident,
            title,
            service,
            environment,
            ..
        } => format!(
            "incident {incident} ({title}) caused by the deployment of {service} to {environment}"
        ),
        TimelineEvent::Changes { participant, shas } => {
            format!("{} change(s) reported for {participant}", shas.len())
        }
        TimelineEvent::Notes(NotesEvent::Drafted { drafted_revision }) => {
            format!("release notes draft saved (revision {drafted_revision})")
        }
        TimelineEvent::Notes(NotesEvent::AnnouncementDrafted {
            announcement_revision,
        }) => format!("change announcement saved (revision {announcement_revision})"),
        TimelineEvent::Notes(NotesEvent::PostRelease { .. }) => {
            "post-release notes written".to_owned()
        }
        TimelineEvent::Notes(NotesEvent::Published {
            published_version,
            in_evidence,
        }) => format!(
            "release notes version {published_version} published{}",
            if *in_evidence {
                ", in the evidence bundle"
            } else {
                " (the evidence bundle was sealed already)"
            }
        ),
    }
}

/// `3 gate result(s): curve quality_score 92, …` (the first six).
fn gate_results(results: &[GateResultLine]) -> String {
    let shown: Vec<String> = results
        .iter()
        .take(6)
        .map(|r| {
            let value = match (r.value, r.passed) {
                // As JSON writes it (`92.0`), the way CI sent it.
                (Some(v), _) => serde_json::json!(v).to_string(),
                (None, Some(p)) => p.to_string(),
                (None, None) => "null".to_owned(),
            };
            format!("{} {} {value}", r.participant, r.gate)
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

fn calendar(c: &CalendarEvent) -> String {
    match c {
        CalendarEvent::Moved {
            moved, postponed, ..
        } => format!(
            "{} from {} to {}{}",
            if postponed.is_some() {
                "postponed"
            } else {
                "moved"
            },
            moved.from.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            moved.to.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            postponed
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ),
        CalendarEvent::Cut {
            release_branch,
            tag,
            ..
        } => format!("cut {tag} on {release_branch}"),
        CalendarEvent::Tagged {
            tagged,
            general_availability: true,
            ..
        } => format!("tagged {tagged}: generally available"),
        CalendarEvent::Tagged { tagged, .. } => format!("tagged {tagged}"),
        CalendarEvent::RolledForward { hotfix, into, .. } => {
            format!("hotfix {hotfix} rolled forward into {into}")
        }
        CalendarEvent::OnCall { on_call } => match &on_call.to {
            Some(to) => format!("on-call set to @{to}"),
            None => "on-call removed".to_owned(),
        },
        CalendarEvent::Skipped { .. } => "skipped on the calendar".to_owned(),
        CalendarEvent::Upcoming {
            before_minutes,
            will_skip,
            ..
        } => format!(
            "reminder: the cut is {} away{}",
            ahead(*before_minutes),
            if *will_skip {
                "; nobody is on call, so it will be skipped unless someone takes it"
            } else {
                ""
            }
        ),
        CalendarEvent::HotfixRecorded { .. } => "hotfix recorded after the fact".to_owned(),
    }
}

fn promotion(p: &PromotionEvent) -> String {
    match p {
        PromotionEvent::Settled {
            settled,
            deployed: true,
            ..
        } => format!("CD confirmed the deploy to {settled}"),
        PromotionEvent::Settled {
            settled, detail, ..
        } => format!("the promotion to {settled} failed: {detail}"),
        PromotionEvent::Promoted {
            promoted,
            break_glass: Some(glass),
            ..
        } => format!("promoted to {promoted} ({glass})"),
        PromotionEvent::Promoted { promoted, .. } => format!("promoted to {promoted}"),
        PromotionEvent::Requested { requested, .. } => {
            format!("requested promotion to {requested}")
        }
        PromotionEvent::Approved { approved, .. } => format!("approved promotion to {approved}"),
        PromotionEvent::Rejected { rejected, .. } => format!("rejected promotion to {rejected}"),
        PromotionEvent::Cancelled { cancelled, .. } => {
            format!("cancelled the promotion to {cancelled}")
        }
        PromotionEvent::GlassBroken { break_glass, .. } => {
            format!("BREAK-GLASS for the promotion to {break_glass}")
        }
        PromotionEvent::Waiting {
            waiting,
            approver_role,
            approvals_needed,
            owners,
            ..
        } => {
            let owners = if owners.is_empty() {
                String::new()
            } else {
                format!(" and the owners of {}", owners.join(", "))
            };
            format!(
                "the promotion to {waiting} waits for {approvals_needed} approval(s) by {approver_role}{owners}"
            )
        }
    }
}

/// `1 h`, `1 d`, `90 min`.
fn ahead(minutes: i64) -> String {
    match minutes {
        m if m % 1440 == 0 => format!("{} d", m / 1440),
        m if m % 60 == 0 => format!("{} h", m / 60),
        m => format!("{m} min"),
    }
}

/// `uploaded curve.cdx.json (cyclonedx sbom, curve)`, `evidence bundle sealed: …`.
fn evidence(ev: &EvidenceEvent) -> String {
    let (action, a) = match ev {
        EvidenceEvent::Sealed {
            artifacts,
            manifest_sha256,
            ..
        } => {
            let digest = &manifest_sha256[..manifest_sha256.len().min(12)];
            return format!(
                "evidence bundle sealed: {artifacts} artifact(s), manifest SHA-256 {digest}…"
            );
        }
        EvidenceEvent::Uploaded(a) => ("uploaded", a),
        EvidenceEvent::Replaced(a) => ("replaced", a),
        EvidenceEvent::Removed(a) => ("removed", a),
    };
    let whose = a
        .participant
        .as_ref()
        .map_or_else(String::new, |p| format!(", {p}"));
    format!(
        "evidence {action}: {} ({}{whose})",
        a.name,
        a.kind.replace('_', " ")
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
                        <li class="text-sm" data-kind=e.event.kind()>
                            <span
                                class="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border border-white bg-slate-400"
                                aria-hidden="true"
                            >
                            </span>
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

#[cfg(test)]
mod tests {
    use super::summary;
    use crate::domain::change::examples::examples;
    use crate::models::train::TrainEventView;

    #[test]
    fn every_timeline_entry_of_every_change_reads_as_a_line() {
        let mut lines = 0;
        for change in examples() {
            for entry in change.timeline() {
                let view = TrainEventView {
                    at: chrono::Utc::now(),
                    actor: "ana".into(),
                    from_state: entry.states.as_ref().map(|s| s.from),
                    to_state: entry.states.as_ref().map(|s| s.to),
                    reason: entry.reason.clone(),
                    event: entry.event.clone(),
                };
                let line = summary(&view);
                assert!(
                    !line.is_empty() && !line.contains('?'),
                    "{change:?}: {line}"
                );
                lines += 1;
            }
        }
        assert!(lines >= 25, "{lines}");
    }

    #[test]
    fn lines_say_what_happened() {
        let lines: Vec<String> = examples()
            .iter()
            .flat_map(|c| c.timeline())
            .map(|entry| {
                summary(&TrainEventView {
                    at: chrono::Utc::now(),
                    actor: "ana".into(),
                    from_state: entry.states.as_ref().map(|s| s.from),
                    to_state: entry.states.as_ref().map(|s| s.to),
                    reason: None,
                    event: entry.event,
                })
            })
            .collect();
        for expected in [
            "planning → validating",
            "curve rolled back 2.1.0 → 2.0.3 in prod",
            "1 gate result(s): curve quality_score 92.0",
            "promoted to prod (break-glass by ana: outage fix)",
            "evidence replaced: curve.cdx.json (cyclonedx sbom, curve)",
            "curve is deployed",
            "on-call set to @ana",
        ] {
            assert!(
                lines.iter().any(|l| l == expected),
                "{expected} not in {lines:#?}"
            );
        }
    }
}
