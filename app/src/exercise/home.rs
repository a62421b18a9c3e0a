//! The exercise list: the thirteen exercises with their topic and the person's progress, over
//! the canvas. It opens by itself on a first visit and from the top bar's Exercises button; it
//! gives way as soon as a design or an exercise is opened.

use leptos::prelude::*;

use super::html;
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
                // The cards are HTML text (see `html.rs`): the bundle's budget. One click
                // handler serves them all.
                <ol
                    class="exercise-list"
                    inner_html=move || {
                        exercises
                            .entries()
                            .iter()
                            .map(|entry| {
                                let current = exercises.current() == Some(entry);
                                html::card(entry, exercises.stage(&entry.id), current)
                            })
                            .collect::<String>()
                    }
                    on:click=move |event| {
                        let id = html::clicked(&event, "data-exercise");
                        if let Some(entry) = exercises.entries().iter().find(|e| Some(&e.id) == id.as_ref()) {
                            exercises.open(entry);
                        }
                    }
                ></ol>
                <p class="home-free">
                    "Or design freely: close this list, then start from the palette or an example design on the left."
                </p>
            </section>
        })
    }
}
