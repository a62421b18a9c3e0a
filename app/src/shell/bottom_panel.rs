//! The bottom panel: the timeline, the event log and the check results.

use leptos::prelude::*;

#[component]
pub fn BottomPanel() -> impl IntoView {
    view! {
        <section class="region bottom-panel" data-region="bottom-panel" aria-label="Timeline and checks">
            <div class="tabs" role="tablist">
                <span class="tab active" role="tab" aria-selected="true">"Timeline"</span>
                <span class="tab" role="tab" aria-selected="false">"Event log"</span>
                <span class="tab" role="tab" aria-selected="false">"Checks"</span>
            </div>
            <p class="placeholder">"Run the design to see its timeline."</p>
        </section>
    }
}
