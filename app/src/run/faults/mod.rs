//! The fault panel (issue 9): the scenario's random faults as sliders with number fields, and
//! its scripted faults as a list of sentences, each editable and removable, opened from the
//! "Faults" button in the run controls, whose label counts the faults that are on.
//!
//! Faults live in the design's scenario, so they travel with the autosave and share links; every
//! edit is one `DesignChange::SetScenario` through the editor (one undo step per finished
//! gesture). In exercise mode the exercise fixes the faults, so the panel is read-only there.
//! It never runs or judges anything: the words come from `words`, the effects from a run.

mod random;
mod scripted;
mod words;

use eventlab_core::design::change::DesignChange;
use eventlab_core::design::Scenario;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::exercise::use_exercises;
use crate::state::editor::{use_editor, Editor};

/// Applies `edit` to a copy of the scenario and, when that changed anything, sends it as one
/// undoable change.
fn edit_scenario(editor: Editor, edit: impl FnOnce(&mut Scenario)) {
    let mut scenario = editor.design().with_untracked(|d| d.scenario.clone());
    edit(&mut scenario);
    if editor.design().with_untracked(|d| d.scenario != scenario) {
        let _ = editor.apply(DesignChange::SetScenario { scenario });
    }
}

/// The "Faults" button with its count, and the panel it opens below the top bar.
#[component]
pub fn FaultsButton(
    /// Whether the panel is open; the run controls close it when a run starts.
    open: RwSignal<bool>,
) -> impl IntoView {
    let editor = use_editor();
    let button = NodeRef::<leptos::html::Button>::new();
    let lines = Memo::new(move |_| {
        editor
            .design()
            .with(|d| words::summary_lines(&d.scenario.faults, &d.scenario.scripted))
    });
    let label = move || match lines.with(Vec::len) {
        0 => "Faults: off".to_string(),
        n => format!("Faults: {n}"),
    };
    let title = move || {
        lines.with(|lines| {
            if lines.is_empty() {
                "No faults: every call and delivery behaves. Open to add some.".to_string()
            } else {
                format!("Faults on this run:\n{}", lines.join("\n"))
            }
        })
    };
    // A press outside the top bar (a tab, the canvas, a panel) closes it, so nothing stays under
    // it; Undo, Redo and the seed keep it open to see what they did, and Run closes it.
    let handle = window_event_listener(leptos::ev::pointerdown, move |ev| {
        let in_top_bar = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest(".top-bar").ok().flatten())
            .is_some();
        if !in_top_bar && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || handle.remove());
    let close = Callback::new(move |()| {
        open.set(false);
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="faults">
            <button
                class=move || { if lines.with(Vec::is_empty) { "button faults-button" } else { "button faults-button on" } }
                node_ref=button
                aria-expanded=move || open.get().to_string()
                aria-controls="fault-panel"
                title=title
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {label}
            </button>
            {move || open.get().then(|| view! { <FaultPanel close /> })}
        </div>
    }
}

/// The panel's fixed heading, intro and Close button, as HTML: its words never change, and as
/// a view it cost the page's bundle code of its own.
const PANEL_HEAD: &str = concat!(
    "<h2>Faults</h2><p class=\"fault-panel-intro\">What goes wrong on a run, as AWS lets it: ",
    "drawn from the seed, so the same seed gives the same faults.</p>",
    "<button type=\"button\" class=\"button\">Close</button>"
);

#[component]
fn FaultPanel(close: Callback<()>) -> impl IntoView {
    // Read once: the panel is made when it opens, and opening an exercise closes it (a press
    // outside it).
    let exercises = use_exercises();
    let locked = untrack(move || exercises.in_exercise());
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            close.run(());
        }
    };
    let note = locked.then(|| {
        view! {
            <p class="fault-locked" role="note">
                "This exercise fixes its faults: “Check my design” runs with these whatever is set here, so they are shown, not edited."
            </p>
        }
    });
    // The header's one button is Close.
    let on_head_click = move |ev: leptos::ev::MouseEvent| {
        let on_button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|t| t.tag_name() == "BUTTON");
        if on_button {
            close.run(());
        }
    };
    // A disabled fieldset disables every control in it: one switch for exercise mode.
    view! {
        <section id="fault-panel" class="fault-panel" role="dialog" aria-label="Faults" on:keydown=on_key>
            <header class="fault-panel-head" inner_html=PANEL_HEAD on:click=on_head_click></header>
            {note}
            <fieldset class="fault-fields" disabled=locked>
                <random::RandomFaults />
                <scripted::ScriptedFaults locked />
            </fieldset>
        </section>
    }
}
