use crate::domain::evidence::{FailureKind, JunitView};
use leptos::prelude::*;

/// Test results: the totals, and each failing case opening on its message
/// and detail.
#[component]
pub fn JunitViewer(view: JunitView) -> impl IntoView {
    let totals = [
        ("Tests", view.tests.to_string()),
        ("Passed", view.passed().to_string()),
        ("Failures", view.failures.to_string()),
        ("Errors", view.errors.to_string()),
        ("Skipped", view.skipped.to_string()),
        ("Suites", view.suites.to_string()),
        (
            "Time",
            view.time_seconds
                .map_or("—".into(), |t| format!("{t:.2} s")),
        ),
    ];
    let verdict = if view.is_green() {
        view! {
            <p class="mb-3 font-medium text-emerald-800" data-testid="junit-verdict">
                "Green: no failure and no error."
            </p>
        }
        .into_any()
    } else {
        view! {
            <p class="mb-3 font-medium text-rose-800" data-testid="junit-verdict">
                {format!("{} failing case(s).", view.failing.len())}
            </p>
        }
        .into_any()
    };
    let none_failing = view.failing.is_empty();
    view! {
        <h2 class="mb-2 text-lg font-medium">"Test results"</h2>
        {verdict}
        <dl class="mb-4 grid grid-cols-3 gap-x-6 gap-y-1 text-sm sm:grid-cols-7" data-testid="junit-totals">
            {totals.into_iter().map(|(k, v)| view! {
                <div><dt class="text-xs uppercase text-slate-500">{k}</dt><dd class="font-mono">{v}</dd></div>
            }).collect_view()}
        </dl>
        {(!none_failing).then(|| view! { <h3 class="mb-2 font-medium">"Failing cases"</h3> })}
        <ul class="space-y-2" aria-label="Failing cases">
            {view.failing.into_iter().map(|case| {
                let kind = match case.kind {
                    FailureKind::Failure => "failure",
                    FailureKind::Error => "error",
                };
                let title = match &case.classname {
                    Some(class) => format!("{class} › {}", case.name),
                    None => case.name.clone(),
                };
                view! {
                    <li>
                        <details class="rounded border border-rose-200 bg-rose-50 p-2" data-testid="failing-case">
                            <summary class="cursor-pointer text-sm">
                                <span class="font-mono">{title}</span>
                                <span class="ml-2 rounded bg-rose-200 px-1.5 text-xs text-rose-900">{kind}</span>
                                <span class="ml-2 text-xs text-slate-600">{format!("suite {}", case.suite)}</span>
                            </summary>
                            <p class="mt-2 text-sm font-medium text-rose-900">
                                {case.message.clone().unwrap_or_else(|| "no message".into())}
                            </p>
                            {case.detail.map(|d| view! {
                                <pre class="mt-2 overflow-auto rounded bg-white p-2 text-xs">{d}</pre>
                            })}
                        </details>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
