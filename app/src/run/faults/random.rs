//! The random faults: one row per knob with its label, the AWS behaviour it stands for, a
//! slider, a number field for exact entry and the value in words. A slider previews while it is
//! dragged and commits when let go (one undo step per gesture); a typed number commits on
//! change, and a number that is not one keeps its text and says what to type.

use leptos::prelude::*;

use super::edit_scenario;
use super::words::{self, Knob, Unit, KNOBS};
use crate::state::editor::use_editor;

#[component]
pub fn RandomFaults() -> impl IntoView {
    let rows = KNOBS
        .iter()
        .map(|knob| view! { <KnobRow knob /> })
        .collect_view();
    view! {
        <section class="fault-section" aria-labelledby="random-faults-title">
            <h3 id="random-faults-title">"Random faults"</h3>
            <div class="knobs">{rows}</div>
        </section>
    }
}

#[component]
fn KnobRow(knob: &'static Knob) -> impl IntoView {
    let editor = use_editor();
    let stored = Memo::new(move |_| editor.design().with(|d| (knob.get)(&d.scenario.faults)));
    // The slider's value while it is dragged; committed as one change when let go.
    let draft = RwSignal::new(None::<u32>);
    // What was wrong with the typed text, and the value stored then: the message goes once the
    // value changes (an undo, the slider), since the field then shows that value again.
    let error = RwSignal::new(None::<(u32, String)>);
    let value = move || draft.get().unwrap_or_else(|| stored.get());
    let commit = move |value: u32| {
        draft.set(None);
        error.set(None);
        edit_scenario(editor, |s| (knob.set)(&mut s.faults, value));
    };
    let slid = |ev: &leptos::ev::Event| event_target_value(ev).parse::<u32>().ok();
    let typed = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let parsed = match knob.unit {
            Unit::Ppm => words::parse_percent(&text),
            Unit::Ms => words::parse_whole(&text, 0, "Delays"),
        };
        match parsed {
            Ok(value) => commit(value),
            Err(message) => error.set(Some((stored.get_untracked(), message))),
        }
    };
    let (unit, number_label, step) = match knob.unit {
        Unit::Ppm => (
            "%",
            format!("{} in percent", knob.label),
            words::RATE_STEP_PPM,
        ),
        Unit::Ms => (
            "ms",
            format!("{} in milliseconds", knob.label),
            words::DELAY_STEP_MS,
        ),
    };
    let number = move || match knob.unit {
        Unit::Ppm => words::percent_number(value()),
        Unit::Ms => value().to_string(),
    };
    let sentence = move || words::knob_words(knob, value());
    let slider_id = format!("fault-{}", knob.id);
    let help_id = format!("fault-{}-help", knob.id);
    view! {
        <div class=move || knob_class(value())>
            <label class="knob-label" for=slider_id.clone()>{knob.label}</label>
            <p class="knob-help" id=help_id.clone()>{knob.explanation}</p>
            <div class="knob-controls">
                <input
                    type="range"
                    class="knob-slider"
                    id=slider_id
                    min="0"
                    max=knob.slider_max.to_string()
                    step=step.to_string()
                    aria-describedby=help_id
                    aria-valuetext=sentence
                    prop:value=move || value().to_string()
                    on:input=move |ev| draft.set(slid(&ev))
                    on:change=move |ev| {
                        if let Some(value) = slid(&ev) {
                            commit(value);
                        }
                    }
                />
                <input
                    class="input knob-number"
                    inputmode="decimal"
                    aria-label=number_label
                    prop:value=number
                    on:change=typed
                />
                <span class="knob-unit" aria-hidden="true">{unit}</span>
            </div>
            <p class="knob-words">{sentence}</p>
            {move || {
                error
                    .get()
                    .filter(|(at, _)| *at == stored.get())
                    .map(|(_, e)| view! { <p class="field-error" role="alert">{e}</p> })
            }}
        </div>
    }
}

/// A knob that is on stands out, so the faults of a run show at a glance.
fn knob_class(value: u32) -> &'static str {
    if value > 0 {
        "knob on"
    } else {
        "knob"
    }
}
