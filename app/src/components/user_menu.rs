use crate::components::query::encode_value;
use crate::error::AppError;
use crate::models::access::CurrentUser;
use crate::server_fns::session::signed_in_user;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

const SIGN_IN: &str =
    "ml-auto rounded bg-white px-3 py-1 text-sm font-medium text-slate-900 hover:bg-slate-200";

/// The signed-in user, shared by the header and the pages that hide what the
/// user may not do (the server refuses it anyway).
pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

pub fn provide_current_user() {
    provide_context::<UserResource>(Resource::new(|| (), |_| signed_in_user()));
}

pub fn use_current_user() -> UserResource {
    expect_context::<UserResource>()
}

/// "Sign in", or the user's name and roles with "Sign out".
#[component]
pub fn UserMenu() -> impl IntoView {
    let me = use_current_user();
    let location = use_location();
    let login_href = move || {
        let here = format!("{}{}", location.pathname.get(), location.search.get());
        format!("/auth/login?next={}", encode_value(&here))
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! {
                        <div class="ml-auto flex items-center gap-3 text-sm">
                            <span>
                                <span class="font-medium text-white" data-testid="signed-in-user">
                                    {user.display_name}
                                </span>
                                <span class="ml-2 text-slate-400" data-testid="signed-in-roles">
                                    {user.roles.join(", ")}
                                </span>
                            </span>
                            <form method="post" action="/auth/logout">
                                <button
                                    type="submit"
                                    class="rounded border border-slate-600 px-3 py-1 text-slate-200 hover:bg-slate-700"
                                >
                                    "Sign out"
                                </button>
                            </form>
                            <form method="post" action="/auth/logout-everywhere">
                                <button
                                    type="submit"
                                    title="End every session you have, on every browser"
                                    class="rounded px-2 py-1 text-slate-400 hover:text-slate-200"
                                >
                                    "Sign out everywhere"
                                </button>
                            </form>
                        </div>
                    }
                    .into_any(),
                    _ => view! {
                        <a
                            rel="external"
                            href=login_href
                            class=SIGN_IN
                        >
                            "Sign in"
                        </a>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
