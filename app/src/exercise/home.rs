//! The exercise list: the thirteen exercises with their topic and the person's progress, over
//! the canvas. It opens by itself on a first visit and from the top bar's Exercises button; it
//! gives way as soon as a design or an exercise is opened.

use leptos::prelude::*;

use super::session::{use_exercises, CatalogStatus};

#[component]
pub fn Home() -> impl IntoView {
    let exercises = use_exercises();
    move || {
        exercises.home_open.get().then(|| view! {
            <section class="home" role="dialog" aria-label="Exercises">
                <div class="home-head">
                    <div>
                        <h2 class="home-title">"Guided exercises"</h2>
                        <p class="home-intro">
                            "Each exercise starts from a design with a problem in it. Run it and watch the problem happen, change the design, then check it: the exercise runs its own checks on its own seeds, with faults. Your work and your progress are kept in this browser."
                        </p>
                    </div>
                    <button class="button" on:click=move |_| exercises.home_open.set(false)>
                        "Close"
                    </button>
                </div>
                {move || match exercises.catalog.get() {
                    CatalogStatus::Failed(message) => Some(format!("The exercises could not be loaded: {message}. Close this list and open it again to retry.")),
                    CatalogStatus::Loaded(_) => None,
                    _ => Some("Loading the exercises…".to_string()),
                }
                    .map(|text| view! { <p class="placeholder">{text}</p> })}
                <ol class="exercise-list">
                    {exercises
                        .entries()
                        .iter()
                        .map(|entry| {
                            let stage = move || exercises.stage(&entry.id);
                            let current = move || exercises.current() == Some(entry);
                            view! {
                                <li aria-label=entry.title.as_str()>
                                    <button
                                        class="exercise-card"
                                        class:current=current
                                        on:click=move |_| exercises.open(entry)
                                    >
                                        <span class="exercise-number" aria-hidden="true">
                                            {entry.order}
                                        </span>
                                        <span class="exercise-words">
                                            <span class="exercise-title">{entry.title.as_str()}</span>
                                            <span class="exercise-topic">{entry.topic.as_str()}</span>
                                        </span>
                                        <span class=move || format!("stage {}", stage().class())>
                                            {move || stage().words()}
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <p class="home-free">
                    "Or design freely: close this list, then start from the palette or an example design on the left."
                </p>
            </section>
        })
    }
}
