use crate::components::live::LiveIndicator;
use crate::components::user_menu::{provide_current_user, UserMenu};
use leptos::prelude::*;
use leptos_router::components::A;

const NAV_LINK: &str = concat!(
    "rounded px-3 py-1.5 text-sm text-slate-300 hover:bg-slate-700 hover:text-white ",
    "aria-[current=page]:bg-slate-700 aria-[current=page]:text-white"
);

const NAV: [(&str, &str); 8] = [
    ("/", "Dashboard"),
    ("/calendar", "Calendar"),
    ("/trains", "Trains"),
    ("/deployments", "Deployments"),
    ("/metrics", "Metrics"),
    ("/evidence", "Evidence"),
    ("/audit", "Audit"),
    ("/admin", "Admin"),
];

/// The application frame: top navigation and the page's content.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    provide_current_user();
    view! {
        <div class="min-h-full">
            <header class="bg-slate-900 text-slate-100">
                <nav
                    aria-label="Main"
                    class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3"
                >
                    <a href="/" class="mr-4 text-lg font-semibold tracking-tight text-white">
                        "Trainyard"
                    </a>
                    <ul class="flex flex-wrap gap-1">
                        {NAV
                            .into_iter()
                            .map(|(href, label)| {
                                view! {
                                    <li>
                                        <A
                                            href=href
                                            exact=true
                                            attr:class=NAV_LINK
                                        >
                                            {label}
                                        </A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <LiveIndicator />
                    <UserMenu />
                </nav>
            </header>
            <main class="mx-auto max-w-7xl px-4 py-6">{children()}</main>
        </div>
    }
}
