//! The Compare tab: pick up to three designs (this one, an example, a design saved in this
//! browser) and run them all under the first one's seed and fault plan; one table shows each
//! design's property results and the key counts, a column per design.

use eventlab_core::design::to_canonical_json;
use leptos::prelude::*;
use serde_json::{json, Value};

use super::{use_compare, StatusTable};
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
            <StatusTable status=compare.patterns />
        </div>
    }
}

/// One of the three choices: none, this design, an example, or a saved design.
#[component]
fn DesignPicker(index: usize, slots: Vec<(String, String)>) -> impl IntoView {
    let compare = use_compare();
    let editor = use_editor();
    let validation = use_validation();
    let picked = move || compare.picks.with(|p| p[index].clone());
    let option = move |value: String, text: String| {
        let selected = {
            let value = value.clone();
            move || picked() == value
        };
        view! { <option value=value selected=selected>{text}</option> }
    };
    let examples = move || {
        validation
            .examples
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|(stem, name)| option(format!("example:{stem}"), name))
            .collect_view()
    };
    let saved = slots
        .into_iter()
        .map(|(slot, name)| {
            let text = if name.is_empty() { slot.clone() } else { name };
            option(format!("slot:{slot}"), text)
        })
        .collect_view();
    view! {
        <label class="compare-pick">
            <span class="field-label">{format!("Design {}", index + 1)}</span>
            <select
                class="input"
                on:change=move |ev| compare.picks.update(|p| p[index] = event_target_value(&ev))
            >
                {option(String::new(), "(none)".to_string())}
                {move || option(
                    "current".to_string(),
                    format!("This design: {}", editor.design().with(|d| d.name.clone())),
                )}
                <optgroup label="Examples">{examples}</optgroup>
                <optgroup label="Saved in this browser">{saved}</optgroup>
            </select>
        </label>
    }
}
