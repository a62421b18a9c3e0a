//! Help when stuck: the hints, revealed one at a time (and kept revealed across reloads), and
//! the reference solution behind a confirmation, since it replaces the attendee's design (one
//! undo step brings theirs back).

use leptos::prelude::*;

use super::catalog::ExerciseEntry;
use super::session::use_exercises;

#[component]
pub fn Hints(entry: &'static ExerciseEntry) -> impl IntoView {
    let exercises = use_exercises();
    let total = entry.hints_html.len();
    let shown = move || (exercises.hints_shown(&entry.id) as usize).min(total);
    // One closure for the revealed hints and the button: they change together.
    move || {
        let shown = shown();
        // The revealed hints as HTML text (their Markdown was rendered at build time): less code
        // in the page's bundle than a view per card.
        let hints: String = entry
            .hints_html
            .iter()
            .take(shown)
            .enumerate()
            .map(|(index, html)| {
                format!(
                    r#"<li class="hint-card" aria-label="Hint {n}"><span class="hint-number">Hint {n}</span><div>{html}</div></li>"#,
                    n = index + 1
                )
            })
            .collect();
        let button = (shown < total).then(|| {
            let label = if shown == 0 {
                format!("Show a hint (1 of {total})")
            } else {
                format!("Show the next hint ({} of {total})", shown + 1)
            };
            view! {
                <button class="button" on:click=move |_| exercises.reveal_hint(entry)>
                    {label}
                </button>
            }
        });
        view! {
            <section class="hints" aria-label="Hints">
                <ol class="hint-list" inner_html=hints></ol>
                {button}
            </section>
        }
    }
}

#[component]
pub fn Solution(entry: &'static ExerciseEntry) -> impl IntoView {
    let exercises = use_exercises();
    let confirming = exercises.confirming_solution;
    // Closures rather than `<Show>`: each `Show` adds its own code to the page's bundle.
    move || {
        if !confirming.get() {
            return view! {
                <button class="button" on:click=move |_| confirming.set(true)>
                    "Show the solution…"
                </button>
            }
            .into_any();
        }
        view! {
            <div class="confirm" role="group" aria-label="Show the solution?">
                <p>
                    "The reference solution replaces your design on the canvas. Undo brings yours back. Try a hint first?"
                </p>
                <div class="button-row">
                    <button class="button danger" on:click=move |_| exercises.show_solution(entry)>
                        "Replace my design with the solution"
                    </button>
                    <button class="button" on:click=move |_| confirming.set(false)>
                        "Cancel"
                    </button>
                </div>
            </div>
        }
        .into_any()
    }
}
