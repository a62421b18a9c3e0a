//! The checklist: the exercise's locked checks in plain words, ticked or crossed after "Check my
//! design". A failed line says on how many seeds it failed and why (core's explanation, and the
//! smallest failing case behind a fold), with a button that opens the failing seed's run in the
//! run views. When a check finishes, the panel scrolls to the checklist, so the verdict is on
//! screen wherever the person had scrolled.

use leptos::prelude::*;

use super::catalog::{CheckLine, ExerciseEntry};
use super::model::{CheckSummaryView, Mark};
use super::session::{use_exercises, CheckStatus};

#[component]
pub fn Checklist(entry: &'static ExerciseEntry) -> impl IntoView {
    let exercises = use_exercises();
    let heading = NodeRef::<leptos::html::H3>::new();
    // Only outward: the verdict just arrived, so bring it into view.
    Effect::new(move |_| {
        let finished = exercises
            .check
            .with(|c| matches!(c, CheckStatus::Finished { .. }));
        if let (true, Some(element)) = (finished, heading.get_untracked()) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Start);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    view! {
        <h3 class="panel-subtitle" node_ref=heading>"Checklist"</h3>
        <ul class="checklist" aria-label="Checklist">
            {entry.checks.iter().map(|line| view! { <ChecklistLine line /> }).collect_view()}
        </ul>
    }
}

#[component]
fn ChecklistLine(line: &'static CheckLine) -> impl IntoView {
    let exercises = use_exercises();
    // This line's summary in the last verdict, and whether the design changed since.
    let summary = Memo::new(move |_| {
        exercises.verdict().and_then(|(report, stale)| {
            report
                .summary(line)
                .cloned()
                .map(|summary| (summary, stale))
        })
    });
    let mark =
        move || summary.with(|s| s.as_ref().map_or(Mark::Open, |(summary, _)| summary.mark()));
    let stale = move || summary.with(|s| s.as_ref().is_some_and(|(_, stale)| *stale));
    view! {
        <li
            class=move || format!("checklist-line {}", mark().class())
            class:stale=stale
            aria-label=line.words.as_str()
            data-mark=move || mark().class()
        >
            <span class="checklist-mark" aria-hidden="true">{move || mark().symbol()}</span>
            <div class="checklist-words">
                <span>{line.words.as_str()}</span>
                {line.about.then(|| view! { <span class="checklist-about">" (the brief's goal)"</span> })}
                {move || {
                    summary
                        .get()
                        .filter(|(summary, _)| summary.status != "passed")
                        .map(|(summary, _)| view! { <Failure summary /> })
                }}
            </div>
        </li>
    }
}

/// Why a check did not hold, and the way to watch it happen.
#[component]
fn Failure(summary: CheckSummaryView) -> impl IntoView {
    let exercises = use_exercises();
    let explanation = summary.explanation.clone();
    let smallest = summary.smallest.clone();
    // A lint check fails on the design itself: no run shows it better than its explanation.
    let seed = summary.first_failing_seed.filter(|_| !summary.on_design());
    view! {
        <p class="checklist-seeds">{summary.seeds_text()}</p>
        {explanation
            .map(|text| {
                let whole = text.clone();
                view! { <p class="checklist-explanation" title=whole>{text}</p> }
            })}
        {smallest
            .map(|text| {
                view! {
                    <details class="checklist-smallest">
                        <summary>"Smallest failing case"</summary>
                        <p>{text}</p>
                    </details>
                }
            })}
        {seed
            .map(|seed| {
                view! {
                    <button class="button small" on:click=move |_| exercises.run_seed(seed)>
                        {format!("Open seed {seed}'s run")}
                    </button>
                }
            })}
    }
}
