//! The left panel: the exercise brief and checklist, or the palette when editing freely.

use leptos::prelude::*;

#[component]
pub fn LeftPanel() -> impl IntoView {
    view! {
        <aside class="region left-panel" data-region="left-panel" aria-label="Exercise and palette">
            <h2 class="panel-title">"Exercises"</h2>
            <p class="placeholder">
                "Guided exercises and the node palette will live here."
            </p>
        </aside>
    }
}
