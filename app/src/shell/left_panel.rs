//! The left panel: in exercise mode the exercise (brief, checklist, check, hints) with the
//! palette under it; otherwise the palette and the designs to open (new, examples, saved
//! slots). Opening a design or adding a node closes the exercise list over the canvas.

use eventlab_core::design::change::DesignChange;
use eventlab_core::design::{Node, Position};
use leptos::prelude::*;

use crate::canvas::edges::derive_edges;
use crate::canvas::geometry::Point;
use crate::canvas::layout::{free_spot, positions};
use crate::exercise::use_exercises;
use crate::state::editor::use_editor;
use crate::state::persistence;
use crate::state::session::use_session;
use crate::state::templates::{new_kind, slug, unique_node_id, NODE_KINDS};
use crate::state::validation::use_validation;

#[component]
pub fn LeftPanel() -> impl IntoView {
    let exercises = use_exercises();
    view! {
        <aside class="region left-panel" data-region="left-panel" aria-label="Exercise and palette">
            {move || {
                exercises.in_exercise().then(|| view! { <crate::exercise::ExercisePanel /> })
            }}
            <Palette />
            {move || (!exercises.in_exercise()).then(|| view! { <Designs /> })}
        </aside>
    }
}

#[component]
fn Designs() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let exercises = use_exercises();
    let open = move |design: eventlab_core::design::Design| {
        exercises.home_open.set(false);
        let name = design.name.clone();
        let _ = editor.apply(DesignChange::Replace {
            design: Box::new(design),
        });
        session.selection.set(Vec::new());
        session.request_fit();
        session.inform(format!(
            "Opened {name}. Undo brings back the previous design."
        ));
    };
    let new_design = move |_| open(persistence::untitled());
    // Examples come from the worker: the list once, and an example's text when it is opened.
    let validation = use_validation();
    Effect::new(move |_| {
        if let Some(text) = validation.opened_example.get() {
            validation.opened_example.set(None);
            match eventlab_core::design::read_canonical(&text) {
                Ok(design) => open(design),
                Err(error) => session.inform(format!("The example could not be opened: {error}")),
            }
        }
    });
    let saved = RwSignal::new(persistence::slots());
    let switch_to = move |slot: String| {
        if let Some(design) = persistence::load_slot(&slot) {
            exercises.home_open.set(false);
            session.slot.set(slot);
            editor.reset(design);
            session.selection.set(Vec::new());
            session.request_fit();
        }
    };
    view! {
        <section class="panel-section" aria-label="Designs">
            <h2 class="panel-title">"Designs"</h2>
            <button class="button wide" on:click=new_design>"New design"</button>
            <h3 class="panel-subtitle">"Examples"</h3>
            <ul class="plain-list" aria-label="Examples">
                {move || match (validation.examples.get(), validation.failure.get()) {
                    (None, Some(failure)) => view! {
                        <li class="hint">{format!("The examples could not be loaded: {failure}")}</li>
                    }
                    .into_any(),
                    (None, None) => view! { <li class="hint">"Loading the examples…"</li> }.into_any(),
                    (Some(list), _) => list
                        .into_iter()
                        .map(|(stem, name)| {
                            view! {
                                <li>
                                    <button
                                        class="link-button"
                                        on:click=move |_| validation.request_example(&stem)
                                    >
                                        {name}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any(),
                }}
            </ul>
            <details class="saved-slots" on:toggle=move |_| saved.set(persistence::slots())>
                <summary class="panel-subtitle">"Saved in this browser"</summary>
                <ul class="plain-list">
                    <For
                        each=move || saved.get()
                        key=|(slot, name)| (slot.clone(), name.clone())
                        let((slot, name))
                    >
                        <li>
                            <button
                                class="link-button"
                                class:current={
                                    let slot = slot.clone();
                                    move || session.slot.get() == slot
                                }
                                on:click={
                                    let slot = slot.clone();
                                    move |_| switch_to(slot.clone())
                                }
                            >
                                {if name.is_empty() { slot.clone() } else { name }}
                                <span class="slot-name">{format!(" ({slot})")}</span>
                            </button>
                        </li>
                    </For>
                </ul>
            </details>
        </section>
    }
}

/// Adds nodes: type a name (it becomes the id) and pick a kind.
#[component]
fn Palette() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let exercises = use_exercises();
    let name = RwSignal::new(String::new());
    let add = move |kind: &'static str| {
        let (change, id) = editor.design().with_untracked(|design| {
            let typed = name.get_untracked();
            let base = if typed.trim().is_empty() {
                kind.to_string()
            } else {
                slug(&typed)
            };
            let id = unique_node_id(design, &base);
            let taken = positions(design, &derive_edges(design));
            let viewport = session.viewport.get_untracked();
            let center = viewport.to_world(Point::new(48.0, 56.0));
            let near = Position {
                x: center.x as i32,
                y: center.y as i32,
            };
            let node = Node {
                id: id.clone(),
                name: typed.trim().to_string(),
                service: None,
                kind: new_kind(kind, design)?,
            };
            let index = u32::try_from(design.nodes.len()).unwrap_or(u32::MAX);
            Some((
                DesignChange::AddNode {
                    index,
                    node,
                    position: Some(free_spot(&taken, near)),
                },
                id,
            ))
        })?;
        match editor.apply(change) {
            Ok(()) => {
                exercises.home_open.set(false);
                session.select_only(&id);
                name.set(String::new());
            }
            Err(error) => session.warn(error),
        }
        Some(())
    };
    view! {
        <section class="panel-section" aria-label="Palette">
            <h2 class="panel-title">"Add a node"</h2>
            <label class="field">
                <span class="field-label">"New node's name"</span>
                <input
                    class="input"
                    placeholder="e.g. charge-payment"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <div class="palette" role="group" aria-label="Node kinds">
                {NODE_KINDS
                    .iter()
                    .map(|(kind, label)| {
                        view! {
                            <button
                                class="button palette-button"
                                aria-label=format!("Add {}", label.to_ascii_lowercase())
                                on:click=move |_| {
                                    add(kind);
                                }
                            >
                                <span class=format!("kind-chip kind-{kind}") aria-hidden="true">
                                    {crate::canvas::node_view::kind_glyph(kind)}
                                </span>
                                {*label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}
