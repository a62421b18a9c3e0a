//! The inspector: details of the selected node, rule, event or item.

use leptos::prelude::*;

#[component]
pub fn Inspector() -> impl IntoView {
    view! {
        <aside class="region inspector" data-region="inspector" aria-label="Inspector">
            <h2 class="panel-title">"Inspector"</h2>
            <p class="placeholder">"Select a node, a message or an item to see its details."</p>
        </aside>
    }
}
