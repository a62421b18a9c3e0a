//! The Checks tab: each property with its verdict, the explanation core wrote in business
//! terms, the faults behind a failure, and "Show where", which moves the playhead to the event
//! that decided it. The cards are the worker's HTML (`worker/src/checks_html.rs`): drawn by
//! page components they cost the page's bundle about 2 KB gzipped.

use leptos::prelude::*;

use super::explore::ExploreBar;
use super::session::use_run;

#[component]
pub fn ChecksTab() -> impl IntoView {
    let run = use_run();
    // The cards arrive as HTML from the worker (`worker/src/checks_html.rs`, escaped there);
    // their "Show where" buttons carry `data-seq`, which one click handler reads.
    let html = move || {
        run.run
            .with(|f| f.as_ref().map(|f| f.view.checks_html.clone()))
            .unwrap_or_default()
    };
    let none = move || {
        run.run.with(|f| {
            f.as_ref()
                .is_none_or(|f| f.view.checks.is_empty() && f.view.check_problems == 0)
        })
    };
    view! {
        <div class="run-view checks-view">
            <Show when=none>
                <p class="placeholder">
                    "This design declares no checks. Add properties to its \"checks\" to have each run judged."
                </p>
            </Show>
            <ul
                class="check-list"
                aria-label="Check results"
                inner_html=html
                on:click=move |ev| run.show_clicked(&ev)
            ></ul>
            <ExploreBar />
        </div>
    }
}
