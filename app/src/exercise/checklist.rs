//! The checklist: the exercise's locked checks in plain words, ticked or crossed after "Check my
//! design". A failed line says on how many seeds it failed and why (core's explanation, and the
//! smallest failing case behind a fold), with a button that opens the failing seed's run in the
//! run views.

use leptos::prelude::*;

use super::catalog::{CheckLine, ExerciseEntry};
use super::model::{CheckSummaryView, Mark};
use super::session::use_exercises;

#[component]
pub fn Checklist(entry: &'static ExerciseEntry) -> impl IntoView {
    view! {
        <h3 class="panel-subtitle">"Checklist"</h3>
        <ul class="checklist" aria-label="Checklist">
            {entry.checks.iter().map(|line| view! { <ChecklistLine line=*line /> }).collect_view()}
        </ul>
    }
}

#[component]
fn ChecklistLine(line: CheckLine) -> impl IntoView {
    let exercises = use_exercises();
    // This line's summary in the last verdict, and whether the design changed since.
    let summary = Memo::new(move |_| {
        exercises.verdict().and_then(|(report, stale)| {
            report
                .summary(&line)
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
            aria-label=line.words
            data-mark=move || mark().class()
        >
            <span class="checklist-mark" aria-hidden="true">{move || mark().symbol()}</span>
            <div class="checklist-words">
                <span>{line.words}</span>
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
    let explanation = summary.failure.as_ref().map(|f| f.explanation.clone());
    let smallest = summary
        .smallest_failing_case
        .as_ref()
        .map(|case| case.explanation.clone());
    let seed = summary.first_failing_seed;
    view! {
        <p class="checklist-seeds">{summary.seeds_text()}</p>
        {explanation.map(|text| view! { <p class="checklist-explanation">{text}</p> })}
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
