//! The Compare tab: pick up to three designs (this one, an example, a design saved in this
//! browser) and run them all under the first one's seed and fault plan; one table shows each
//! design's property results and the key counts, a column per design.

use eventlab_core::design::to_canonical_json;
use leptos::prelude::*;
use serde_json::{json, Value};

use super::{table_area, use_compare};
use crate::state::editor::use_editor;
use crate::state::persistence;
use crate::state::validation::use_validation;

#[component]
pub fn CompareTab() -> impl IntoView {
    let compare = use_compare();
    let editor = use_editor();
    let slots = persistence::slots();
    let pickers = (0..3)
        .map(|index| view! { <DesignPicker index slots=slots.clone() /> })
        .collect_view();
    let start = move |_| {
        let designs: Vec<Value> = compare
            .picks
            .get_untracked()
            .iter()
            .enumerate()
            .filter(|(_, pick)| !pick.is_empty())
            .filter_map(|(index, pick)| {
                let label = format!("Design {}", index + 1);
                match pick.split_once(':') {
                    Some(("example", stem)) => Some(json!({"label": label, "example": stem})),
                    Some(("slot", slot)) => persistence::load_slot(slot)
                        .map(|d| json!({"label": label, "design": to_canonical_json(&d)})),
                    _ => Some(json!({
                        "label": label,
                        "design": editor.design().with_untracked(to_canonical_json),
                    })),
                }
            })
            .collect();
        compare.compare_designs(designs);
    };
    let nothing_picked = move || compare.picks.with(|p| p.iter().all(String::is_empty));
    view! {
        <div class="run-view compare-view">
            <div class="compare-bar" role="group" aria-label="Designs to compare">
                {pickers}
                <button class="button primary" disabled=nothing_picked on:click=start>
                    "Compare"
                </button>
            </div>
            <p class="hint">"Every design runs with the first one's seed and fault plan."</p>
            {table_area(compare.patterns)}
        </div>
    }
}

/// One of the three choices: none, this design, an example, or a saved design.
#[component]
fn DesignPicker(index: usize, slots: Vec<(String, String)>) -> impl IntoView {
    let compare = use_compare();
    let editor = use_editor();
    let validation = use_validation();
    let options = move || {
        let picked = compare.picks.with_untracked(|p| p[index].clone());
        let this = editor.design().with(|d| format!("This design: {}", d.name));
        let mut choices = vec![
            (String::new(), "(none)".to_string()),
            ("current".into(), this),
        ];
        let examples = validation.examples.get().unwrap_or_default();
        choices.extend(
            examples
                .into_iter()
                .map(|(stem, name)| (format!("example:{stem}"), name)),
        );
        choices.extend(slots.iter().map(|(slot, name)| {
            let name = if name.is_empty() { slot } else { name };
            (format!("slot:{slot}"), format!("Saved: {name}"))
        }));
        choices
            .into_iter()
            .map(|(value, text)| {
                let selected = value == picked;
                view! { <option value=value selected=selected>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <label class="compare-pick">
            <span class="field-label">{format!("Design {}", index + 1)}</span>
            <select
                class="input"
                aria-label=format!("Design {}", index + 1)
                on:change=move |ev| compare.picks.update(|p| p[index] = event_target_value(&ev))
            >
                {options}
            </select>
        </label>
    }
}
