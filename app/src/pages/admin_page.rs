use crate::components::live::LiveRegion;
use crate::components::time::utc_label;
use crate::domain::access::Reach;
use crate::error::AppError;
use crate::pages::{error_fallback, loading};
use crate::server_fns::admin::{list_tokens, CreateToken, RevokeToken, VerifyAudit};
use leptos::prelude::*;
use leptos_meta::Title;

const TOKENS_TABLE: &str =
    "min-w-full divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm";
const REVOKE: &str = "rounded border border-rose-300 px-2 py-1 text-rose-800 hover:bg-rose-50";

/// `/admin`: CI tokens (create, list, revoke) and the audit chain check.
/// Only admins get data; everyone else sees the server's refusal.
#[component]
pub fn AdminPage() -> impl IntoView {
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(|| (), |_| list_tokens());
    view! {
        <Title text="Admin" />
        <h1 class="mb-4 text-2xl font-semibold">"Admin"</h1>
        <ul class="mb-6 space-y-1 text-sm">
            <li>
                <a href="/setup" class="text-sky-700 underline">"Set-up"</a>
                " — what this install holds and what is missing"
            </li>
            <li>
                <a href="/admin/services" class="text-sky-700 underline">"Services"</a>
                " — the catalog: owners, repositories, dependencies"
            </li>
            <li>
                <a href="/admin/tracks" class="text-sky-700 underline">"Tracks"</a>
                " — lanes and their cadences, freezes, soaks"
            </li>
            <li>
                <a href="/admin/policies" class="text-sky-700 underline">"Environments"</a>
                " — the order of promotion; approvals, wait timers, soaks and freezes per environment"
            </li>
            <li>
                <a href="/admin/gates" class="text-sky-700 underline">"Gate templates"</a>
                " — the gates a track's new trains get"
            </li>
            <li>
                <a href="/admin/webhooks" class="text-sky-700 underline">"Webhooks"</a>
                " — signed events sent to CD systems and chat"
            </li>
        </ul>
        <section aria-labelledby="tokens-heading" class="mb-8">
            <h2 id="tokens-heading" class="mb-2 text-lg font-semibold">"CI tokens"</h2>
            <Suspense fallback=loading>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let list = tokens.await?;
                        Ok::<_, AppError>(view! {
                        // A token created on this page shows up by itself.
                        <LiveRegion id="tokens" topics="token:".to_owned()>
                            <table
                                class=TOKENS_TABLE
                                aria-label="Tokens"
                            >
                                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase text-slate-600">
                                    <tr>
                                        <th scope="col" class="px-3 py-2">"Name"</th>
                                        <th scope="col" class="px-3 py-2">"Starts with"</th>
                                        <th scope="col" class="px-3 py-2">"Scopes"</th>
                                        <th scope="col" class="px-3 py-2">"Reach"</th>
                                        <th scope="col" class="px-3 py-2">"State"</th>
                                        <th scope="col" class="px-3 py-2">"Last used"</th>
                                        <th scope="col" class="px-3 py-2"><span class="sr-only">"Actions"</span></th>
                                    </tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100">
                                    {list.into_iter().map(|t| {
                                        let active = t.active;
                                        let state = match (t.revoked_at, t.expires_at) {
                                            (Some(r), _) => format!("revoked {}", utc_label(r)),
                                            (None, Some(e)) if !active => format!("expired {}", utc_label(e)),
                                            (None, Some(e)) => format!("active until {}", utc_label(e)),
                                            (None, None) => "active".to_owned(),
                                        };
                                        let name = t.name.clone();
                                        view! {
                                            <tr>
                                                <td class="px-3 py-2 font-mono">{t.name.clone()}</td>
                                                <td class="px-3 py-2 font-mono text-xs">{format!("{}…", t.prefix)}</td>
                                                <td class="px-3 py-2">{t.scopes.join(", ")}</td>
                                                <td class="px-3 py-2">{reach_label(&t.tracks, &t.trains)}</td>
                                                <td class="px-3 py-2">{state}</td>
                                                <td class="px-3 py-2">
                                                    {t.last_used_at.map(utc_label).unwrap_or_else(|| "never".into())}
                                                </td>
                                                <td class="px-3 py-2">
                                                    {active.then(|| view! {
                                                        <ActionForm action=revoke>
                                                            <input type="hidden" name="name" value=name.clone() />
                                                            <button
                                                                type="submit"
                                                                aria-label=format!("Revoke {name}")
                                                                class=REVOKE
                                                            >
                                                                "Revoke"
                                                            </button>
                                                        </ActionForm>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </LiveRegion>
                        })
                    })}
                </ErrorBoundary>
            </Suspense>
            <TokenForm />
            {move || revoke.value().get().and_then(|r| r.err()).map(|e| view! {
                <p role="alert" class="mt-3 text-sm text-rose-800">{e.to_string()}</p>
            })}
        </section>
        <section aria-labelledby="chain-heading">
            <h2 id="chain-heading" class="mb-2 text-lg font-semibold">"Audit trail integrity"</h2>
            <ChainCheck />
        </section>
    }
}

/// Where a token may act, as the list shows it.
fn reach_label(tracks: &[String], trains: &[String]) -> String {
    let reach = Reach::from_stored(tracks, trains);
    if reach.is_everywhere() {
        "everywhere".to_owned()
    } else {
        reach.to_string()
    }
}

/// Creates a CI token and shows its secret once: an island, since the
/// secret must never travel in an address (as a plain form's answer would).
#[island]
pub fn TokenForm() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    view! {
            <ActionForm action=create attr:class="mt-4 flex flex-wrap items-end gap-3">
                <label class="flex flex-col text-xs font-medium text-slate-600">"Name"
                    <input
                        name="name"
                        required
                        placeholder="ci-main"
                        class="mt-1 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
                    />
                </label>
                <fieldset class="flex gap-3 text-sm">
                    <legend class="text-xs font-medium text-slate-600">"Scopes"</legend>
                    <label><input type="checkbox" name="gates_write" />" gates:write"</label>
                    <label><input type="checkbox" name="evidence_write" />" evidence:write"</label>
                    <label><input type="checkbox" name="trains_write" />" trains:write"</label>
                    <label><input type="checkbox" name="deployments_write" />" deployments:write"</label>
                    <label><input type="checkbox" name="incidents_write" />" incidents:write"</label>
                </fieldset>
                <ReachInput
                    label="Only the trains of tracks"
                    name="tracks"
                    example="dev, staging"
                    hint="Comma-separated. Blank: every track."
                />
                <ReachInput
                    label="Only trains"
                    name="trains"
                    example="2025.09-wk3"
                    hint="Comma-separated; they need not exist yet. Both blank: every train."
                />
                <label class="flex flex-col text-xs font-medium text-slate-600">"Expires in (days, optional)"
                    <input
                        name="expires_in_days"
                        inputmode="numeric"
                        class="mt-1 w-24 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
                    />
                </label>
                <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                    "Create token"
                </button>
            </ActionForm>
            {move || create.value().get().map(|result| match result {
                Ok(created) => view! {
                    <div role="status" class="mt-3 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm">
                        <p>{format!("Token {} created. Copy it now: it is not shown again.", created.token.name)}</p>
                        <code class="mt-1 block break-all font-mono" data-testid="new-token">{created.secret}</code>
                    </div>
                }.into_any(),
                Err(e) => view! { <p role="alert" class="mt-3 text-sm text-rose-800">{e.to_string()}</p> }.into_any(),
            })}
    }
}

/// Checks the whole audit chain and says whether it is intact.
#[island]
pub fn ChainCheck() -> impl IntoView {
    let verify = ServerAction::<VerifyAudit>::new();
    view! {
            <ActionForm action=verify>
                <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                    "Verify the audit chain"
                </button>
            </ActionForm>
            {move || verify.value().get().map(|result| match result {
                Ok(check) => match check.broken {
                    None => view! {
                        <p role="status" class="mt-2 text-sm text-emerald-800">
                            {format!("Intact: all {} records match their hashes.", check.records)}
                        </p>
                    }.into_any(),
                    Some((id, why)) => view! {
                        <p role="alert" class="mt-2 text-sm font-medium text-rose-800">
                            {format!("Broken at record {id}: {why}")}
                        </p>
                    }.into_any(),
                },
                Err(e) => view! { <p role="alert" class="mt-2 text-sm text-rose-800">{e.to_string()}</p> }.into_any(),
            })}
    }
}

/// One list of a token's reach, with its hint beside the label rather
/// than in it, so that the hint describes the input without becoming its
/// name.
#[component]
fn ReachInput(
    label: &'static str,
    name: &'static str,
    example: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let hint_id = format!("token-{name}-hint");
    view! {
        <div class="flex max-w-56 flex-col">
            <label class="flex flex-col text-xs font-medium text-slate-600">{label}
                <input
                    name=name
                    placeholder=example
                    aria-describedby=hint_id.clone()
                    class="mt-1 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
                />
            </label>
            <span id=hint_id class="mt-1 text-xs text-slate-500">{hint}</span>
        </div>
    }
}
