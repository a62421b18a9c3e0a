//! The scripted faults: one row per fault as a sentence ("Crash charge-payment after step 2 on
//! attempt 1") with what keeps it from happening, a Remove button and its fields (kind, event
//! type offered from the design's, which one, delay, function from the design's, step,
//! attempt); then buttons to add one of each kind. Each field commits on change as one undo
//! step; a number that is not allowed keeps its text and says why under the field.
//!
//! The fields are data (`NUMBERS`), so one field component serves them all: the page bundle
//! pays for each distinct view, not for each field.

use eventlab_core::design::{Design, NodeKind, ScriptedFault};
use leptos::prelude::*;

use super::edit_scenario;
use super::words;
use crate::inspector::fields::{ChoiceField, TextField};
use crate::state::editor::{use_editor, Editor};

const KINDS: [(&str, &str); 3] = [
    ("duplicate", "Duplicate an event"),
    ("delay", "Delay an event"),
    ("crash", "Crash a function"),
];

/// A number a scripted fault of some kinds has: its label, its least value, and how to read
/// and write it (`get` is `None` for kinds without it).
struct NumberSpec {
    label: &'static str,
    minimum: u32,
    /// What is counted, for the message: "Steps start at 1."
    what: &'static str,
    get: fn(&ScriptedFault) -> Option<u32>,
    set: fn(&mut ScriptedFault, u32),
}

const NUMBERS: [NumberSpec; 4] = [
    NumberSpec {
        label: "Nth (1 = first)",
        minimum: 1,
        what: "Counts",
        get: |f| match f {
            ScriptedFault::Duplicate { nth, .. } | ScriptedFault::Delay { nth, .. } => Some(*nth),
            ScriptedFault::Crash { .. } => None,
        },
        set: |f, n| {
            if let ScriptedFault::Duplicate { nth, .. } | ScriptedFault::Delay { nth, .. } = f {
                *nth = n;
            }
        },
    },
    NumberSpec {
        label: "Delay (ms)",
        minimum: 0,
        what: "Delays",
        get: |f| match f {
            ScriptedFault::Delay { delay_ms, .. } => Some(*delay_ms),
            _ => None,
        },
        set: |f, n| {
            if let ScriptedFault::Delay { delay_ms, .. } = f {
                *delay_ms = n;
            }
        },
    },
    NumberSpec {
        label: "After step",
        minimum: 1,
        what: "Steps",
        get: |f| match f {
            ScriptedFault::Crash { after_step, .. } => Some(*after_step),
            _ => None,
        },
        set: |f, n| {
            if let ScriptedFault::Crash { after_step, .. } = f {
                *after_step = n;
            }
        },
    },
    NumberSpec {
        label: "Attempt (0 = all)",
        minimum: 0,
        what: "Attempts",
        get: |f| match f {
            ScriptedFault::Crash { attempt, .. } => Some(*attempt),
            _ => None,
        },
        set: |f, n| {
            if let ScriptedFault::Crash { attempt, .. } = f {
                *attempt = n;
            }
        },
    },
];

fn kind_of(fault: &ScriptedFault) -> &'static str {
    match fault {
        ScriptedFault::Duplicate { .. } => "duplicate",
        ScriptedFault::Delay { .. } => "delay",
        ScriptedFault::Crash { .. } => "crash",
    }
}

/// A fault of `kind` aimed at the design's first event type or function, keeping what `from`
/// already says where the kinds share it (changing the kind keeps the event type and count).
fn fault_of_kind(kind: &str, from: Option<&ScriptedFault>, design: &Design) -> ScriptedFault {
    let (event_type, nth) = match from {
        Some(ScriptedFault::Duplicate { event_type, nth })
        | Some(ScriptedFault::Delay {
            event_type, nth, ..
        }) => (event_type.clone(), *nth),
        _ => (
            design
                .event_types
                .first()
                .map(|t| t.type_name.clone())
                .unwrap_or_default(),
            1,
        ),
    };
    match kind {
        "duplicate" => ScriptedFault::Duplicate { event_type, nth },
        "delay" => ScriptedFault::Delay {
            event_type,
            nth,
            delay_ms: 1_000,
        },
        _ => ScriptedFault::Crash {
            function: function_ids(design).into_iter().next().unwrap_or_default(),
            after_step: 1,
            attempt: 1,
        },
    }
}

fn function_ids(design: &Design) -> Vec<String> {
    design
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Function(_)))
        .map(|n| n.id.clone())
        .collect()
}

/// Replaces the scripted fault at `index` with `change` applied to it, as one undo step.
fn update(editor: Editor, index: usize, change: impl FnOnce(&mut ScriptedFault)) {
    edit_scenario(editor, |s| {
        if let Some(fault) = s.scripted.get_mut(index) {
            change(fault);
        }
    });
}

#[component]
pub fn ScriptedFaults(locked: bool) -> impl IntoView {
    let editor = use_editor();
    let design = editor.design();
    let count = Memo::new(move |_| design.with(|d| d.scenario.scripted.len()));
    let add = move |kind: &'static str| {
        let fault = design.with_untracked(|d| fault_of_kind(kind, None, d));
        edit_scenario(editor, |s| s.scripted.push(fault));
    };
    let event_types = move || {
        design.with(|d| {
            d.event_types
                .iter()
                .map(|t| view! { <option value=t.type_name.clone()></option> })
                .collect_view()
        })
    };
    // Rows are made again only when their number changes; each reads its own fault, so an edit
    // keeps the focus where it is.
    let rows = move || {
        (0..count.get())
            .map(|index| view! { <ScriptedRow index locked /> })
            .collect_view()
    };
    let add_buttons = (!locked).then(|| {
        let buttons = KINDS.map(|(kind, text)| {
            view! { <button type="button" class="button small" on:click=move |_| add(kind)>{text}</button> }
        });
        view! {
            <div class="scripted-add" role="group" aria-label="Add scripted fault">
                <span class="scripted-add-label">"Add scripted fault:"</span>
                {buttons.collect_view()}
            </div>
        }
    });
    view! {
        <section class="fault-section" aria-labelledby="scripted-faults-title">
            <h3 id="scripted-faults-title">"Scripted faults"</h3>
            <p class="knob-help">"Placed by hand, they happen on every seed: to make a bug appear on cue."</p>
            <datalist id="fault-event-types">{event_types}</datalist>
            <ul class="scripted-list" aria-label="Scripted faults">{rows}</ul>
            <p class="placeholder" prop:hidden=move || count.get() > 0>"None."</p>
            {add_buttons}
        </section>
    }
}

#[component]
fn ScriptedRow(index: usize, locked: bool) -> impl IntoView {
    let editor = use_editor();
    let design = editor.design();
    let fault = Memo::new(move |_| design.with(|d| d.scenario.scripted.get(index).cloned()));
    let sentence =
        move || fault.with(|f| f.as_ref().map(words::scripted_words).unwrap_or_default());
    let problems = move || {
        design.with(|d| {
            d.scenario
                .scripted
                .get(index)
                .map(|f| words::scripted_problems(f, d))
                .unwrap_or_default()
                .into_iter()
                .map(|p| view! { <p class="field-error">{p}</p> })
                .collect_view()
        })
    };
    let remove = move |_| {
        edit_scenario(editor, |s| {
            if index < s.scripted.len() {
                s.scripted.remove(index);
            }
        });
    };
    let remove_button = (!locked).then(|| {
        view! { <button type="button" class="button small" on:click=remove>"Remove"</button> }
    });
    view! {
        <li class="scripted-row" aria-label=sentence>
            <div class="scripted-head">
                <span class="scripted-words">{sentence}</span>
                {remove_button}
            </div>
            {problems}
            <ScriptedFields index fault />
        </li>
    }
}

/// The fields of one scripted fault: its kind, what it hits, and its numbers.
#[component]
fn ScriptedFields(index: usize, fault: Memo<Option<ScriptedFault>>) -> impl IntoView {
    let editor = use_editor();
    let design = editor.design();
    let kind = Memo::new(move |_| fault.with(|f| f.as_ref().map(kind_of).unwrap_or("crash")));
    let set_kind = Callback::new(move |kind: String| {
        let current = fault.get_untracked();
        let new = design.with_untracked(|d| fault_of_kind(&kind, current.as_ref(), d));
        update(editor, index, |f| *f = new);
    });
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect();
    let target = move || {
        if kind.get() == "crash" {
            let function = Signal::derive(move || {
                fault.with(|f| match f {
                    Some(ScriptedFault::Crash { function, .. }) => function.clone(),
                    _ => String::new(),
                })
            });
            let functions = Signal::derive(move || {
                design.with(|d| {
                    function_ids(d)
                        .into_iter()
                        .map(|id| (id.clone(), id))
                        .collect()
                })
            });
            let set = Callback::new(move |id: String| {
                update(editor, index, |f| {
                    if let ScriptedFault::Crash { function, .. } = f {
                        *function = id;
                    }
                });
            });
            view! { <ChoiceField label="Function".to_string() value=function options=functions on_commit=set /> }
                .into_any()
        } else {
            let event_type = Signal::derive(move || {
                fault.with(|f| match f {
                    Some(
                        ScriptedFault::Duplicate { event_type, .. }
                        | ScriptedFault::Delay { event_type, .. },
                    ) => event_type.clone(),
                    _ => String::new(),
                })
            });
            let set = Callback::new(move |text: String| {
                update(editor, index, |f| {
                    if let ScriptedFault::Duplicate { event_type, .. }
                    | ScriptedFault::Delay { event_type, .. } = f
                    {
                        *event_type = text.trim().to_string();
                    }
                });
            });
            view! { <TextField label="Event type".to_string() value=event_type on_commit=set mono=true list="fault-event-types" /> }
                .into_any()
        }
    };
    // The numbers this kind has, made again only when the kind changes.
    let numbers = move || {
        kind.track();
        let shown = fault.with_untracked(|f| f.clone());
        NUMBERS
            .iter()
            .filter(|spec| shown.as_ref().and_then(spec.get).is_some())
            .map(|spec| {
                let value = Signal::derive(move || {
                    fault.with(|f| f.as_ref().and_then(spec.get).unwrap_or_default())
                });
                let set = Callback::new(move |n: u32| update(editor, index, |f| (spec.set)(f, n)));
                view! { <WholeField spec value on_commit=set /> }
            })
            .collect_view()
    };
    view! {
        <div class="scripted-fields">
            <ChoiceField
                label="Kind".to_string()
                value=Signal::derive(move || kind.get().to_string())
                options=kinds
                on_commit=set_kind
            />
            {target}
            {numbers}
        </div>
    }
}

/// A whole number of at least the spec's minimum; anything else keeps its text and says why.
#[component]
fn WholeField(
    spec: &'static NumberSpec,
    value: Signal<u32>,
    on_commit: Callback<u32>,
) -> impl IntoView {
    // The message, with the value stored when it was given: it goes once that value changes.
    let error = RwSignal::new(None::<(u32, String)>);
    let shown = Memo::new(move |_| {
        error
            .get()
            .filter(|(at, _)| *at == value.get())
            .map(|(_, message)| message)
    });
    let commit = move |ev: leptos::ev::Event| match words::parse_whole(
        &event_target_value(&ev),
        spec.minimum,
        spec.what,
    ) {
        Ok(n) => {
            error.set(None);
            on_commit.run(n);
        }
        Err(message) => error.set(Some((value.get_untracked(), message))),
    };
    view! {
        <label class="field">
            <span class="field-label">{spec.label}</span>
            <input
                class="input"
                inputmode="numeric"
                prop:value=move || value.get().to_string()
                on:change=commit
            />
            {move || shown.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
        </label>
    }
}
