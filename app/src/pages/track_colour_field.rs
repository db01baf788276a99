//! A track form's colour: one of the palette, or none to take the colour
//! its position gives it.

use crate::components::form_error::FieldError;
use crate::domain::track_colour::TrackColour;
use crate::pages::calendar::slot_page::{INPUT, LABEL};
use leptos::prelude::*;

#[component]
pub fn ColourField(
    /// The colour the track picked; empty for none.
    chosen: String,
    /// The message of a refused field, by name.
    error: impl Fn(&'static str) -> Option<String> + Copy + Send + 'static,
) -> impl IntoView {
    view! {
        <div>
            <label for="colour" class=LABEL>"Colour"</label>
            <select id="colour" name="colour" class=INPUT aria-describedby="colour-error">
                <option value="" selected=chosen.is_empty()>"— by its place in the list —"</option>
                {TrackColour::ALL.into_iter().map(|c| {
                    view! { <option value=c.as_str() selected=c.as_str() == chosen>{c.as_str()}</option> }
                }).collect_view()}
            </select>
            <FieldError message=error("colour") id="colour-error".to_owned() />
        </div>
    }
}
