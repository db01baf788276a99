use leptos::prelude::*;
use leptos_meta::Title;

/// Any unknown path: a real 404 status on the server, a helpful page for people.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <h1 class="mb-2 text-2xl font-semibold">"Page not found"</h1>
        <p class="text-slate-600">
            "Nothing lives at this address. "
            <a href="/" class="text-sky-700 underline">"Back to the dashboard"</a>
        </p>
    }
}
