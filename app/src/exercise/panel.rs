//! The left panel in exercise mode: which exercise, its brief, the checklist, "Check my
//! design" with its progress and a sentence saying what to do next; then, on success, what
//! was learned and the next exercise; hints one at a time; the solution behind a confirmation.

use leptos::prelude::*;

use super::catalog::{next_after, ExerciseEntry};
use super::checklist::Checklist;
use super::help::{Hints, Solution};
use super::model::next_step;
use super::progress::Stage;
use super::session::{use_exercises, CatalogStatus, CheckStatus};

/// The open exercise, or what keeps it from showing yet (the catalog is on its way from the
/// worker, or could not be had).
#[component]
pub fn ExercisePanel() -> impl IntoView {
    let exercises = use_exercises();
    move || match (exercises.current(), exercises.catalog.get()) {
        (Some(entry), _) => view! { <Exercise entry /> }.into_any(),
        (None, CatalogStatus::Failed(message)) => view! {
            <p class="placeholder">{format!("The exercise could not be loaded: {message}.")}</p>
        }
        .into_any(),
        (None, _) => view! { <p class="placeholder">"Loading the exercise…"</p> }.into_any(),
    }
}

#[component]
fn Exercise(entry: &'static ExerciseEntry) -> impl IntoView {
    let exercises = use_exercises();
    let total = exercises.entries().len();
    view! {
        <section class="exercise-panel" aria-label="Exercise">
            <div class="exercise-head">
                <button class="link-button back" on:click=move |_| exercises.home_open.set(true)>
                    "← All exercises"
                </button>
                <span class="exercise-count">{format!("Exercise {} of {total}", entry.order)}</span>
            </div>
            <h2 class="exercise-name">
                {entry.title.as_str()}
                {move || {
                    (exercises.stage(&entry.id) == Stage::Done)
                        .then(|| view! { <span class="stage stage-done">"Done"</span> })
                }}
            </h2>
            <div class="brief" inner_html=entry.brief_html.as_str()></div>
            <Checklist entry />
            <CheckBar entry />
            <Learned entry />
            <Hints entry />
            <Solution entry />
            <button class="link-button leave" on:click=move |_| exercises.leave()>
                "Leave the exercise for free design"
            </button>
        </section>
    }
}

/// "Check my design", its progress, and what to do next.
#[component]
fn CheckBar(entry: &'static ExerciseEntry) -> impl IntoView {
    let exercises = use_exercises();
    let has_next = next_after(exercises.entries(), &entry.id).is_some();
    let status = move || match exercises.check.get() {
        CheckStatus::Running(Some(p)) if p.seeds_done >= p.seeds_total => format!(
            "Ran all {} seeds; finding the smallest failing case…",
            p.seeds_total
        ),
        CheckStatus::Running(Some(p)) => {
            format!("Checking seed {} of {}…", p.seeds_done + 1, p.seeds_total)
        }
        CheckStatus::Running(None) => "Starting the check…".to_string(),
        CheckStatus::Failed(message) => {
            format!("The check did not finish: {message}. Press Check my design again.")
        }
        _ => {
            let verdict = exercises.verdict();
            let checked = verdict.as_ref().map(|(report, _)| report.as_ref());
            let stale = verdict.as_ref().is_some_and(|(_, stale)| *stale);
            next_step(checked, stale, has_next)
        }
    };
    // One closure for the button and the sentence: they change together.
    move || {
        let button = if exercises.is_checking() {
            view! {
                <button class="button danger" on:click=move |_| exercises.stop_check()>
                    "Stop checking"
                </button>
            }
            .into_any()
        } else {
            view! {
                <button class="button primary" on:click=move |_| exercises.check_design()>
                    "Check my design"
                </button>
            }
            .into_any()
        };
        view! {
            <div class="check-bar">
                {button}
                <p class="next-step" aria-live="polite" data-testid="next-step">{status()}</p>
            </div>
        }
    }
}

/// On success: the takeaway and the way on.
#[component]
fn Learned(entry: &'static ExerciseEntry) -> impl IntoView {
    let exercises = use_exercises();
    let next = next_after(exercises.entries(), &entry.id);
    let passed = move || {
        exercises
            .verdict()
            .is_some_and(|(report, stale)| report.passed && !stale)
    };
    // Solved before (say, before a reload): the takeaway stays at hand, folded.
    let solved_before = move || {
        (exercises.stage(&entry.id) == Stage::Done).then(|| {
            view! {
                <details class="learned">
                    <summary class="panel-subtitle">"What you learned"</summary>
                    <div class="learned-text" inner_html=entry.learned_html.as_str()></div>
                </details>
            }
        })
    };
    move || {
        if !passed() {
            return solved_before().into_any();
        }
        view! {
            <section class="learned" aria-label="What you learned">
                <h3 class="panel-subtitle">"✓ Solved. What you learned"</h3>
                <div class="learned-text" inner_html=entry.learned_html.as_str()></div>
                {next
                    .map(|next| {
                        view! {
                            <button class="button primary wide" on:click=move |_| exercises.open(next)>
                                {format!("Next: {}. {}", next.order, next.title)}
                            </button>
                        }
                    })}
            </section>
        }
        .into_any()
    }
}
