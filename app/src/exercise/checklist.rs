//! The checklist: the exercise's locked checks in plain words, ticked or crossed after "Check my
//! design". A failed line says on how many seeds it failed and why (core's explanation, and the
//! smallest failing case behind a fold), with a button that opens the failing seed's run in the
//! run views. When a check finishes, the panel scrolls to the checklist (`scroll_to_checklist`),
//! so the verdict is on screen wherever the person had scrolled.

use leptos::prelude::*;

use super::catalog::ExerciseEntry;
use super::html;
use super::session::use_exercises;

#[component]
pub fn Checklist(entry: &'static ExerciseEntry) -> impl IntoView {
    let exercises = use_exercises();
    // The lines are HTML text (see `html.rs`): the bundle's budget. One click handler serves
    // every line's "Open seed N's run" button.
    let lines = move || {
        let verdict = exercises.verdict();
        let stale = verdict.as_ref().is_some_and(|(_, stale)| *stale);
        entry
            .checks
            .iter()
            .map(|line| {
                let summary = verdict
                    .as_ref()
                    .and_then(|(report, _)| report.summary(line));
                html::checklist_line(line, summary, stale)
            })
            .collect::<String>()
    };
    let open_seed = move |event: leptos::ev::MouseEvent| {
        if let Some(seed) = html::clicked(&event, "data-seed").and_then(|s| s.parse().ok()) {
            exercises.run_seed(seed);
        }
    };
    view! {
        <h3 class="panel-subtitle checklist-heading">"Checklist"</h3>
        <ul class="checklist" aria-label="Checklist" inner_html=lines on:click=open_seed></ul>
    }
}

/// Brings the checklist to the top of the left panel: a verdict just arrived. (A direct DOM
/// call from the answer's handler rather than a node ref and an effect: less code in the
/// page's bundle.)
pub fn scroll_to_checklist() {
    let heading = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".checklist-heading").ok().flatten());
    if let Some(heading) = heading {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Start);
        heading.scroll_into_view_with_scroll_into_view_options(&options);
    }
}
