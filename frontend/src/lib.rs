//! The browser entry point: starts the islands of the server-rendered page
//! (live updates, local times, countdowns, the token form). Everything else
//! stays plain HTML from the server.

// The islands' exports live in `app`, which nothing here calls: keep the
// crate linked (leptos-rs/leptos#2083).
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Lets people (and the browser tests) tell a page whose islands run from
    // plain HTML.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
