//! The scripted faults: one row per fault as a sentence ("Crash charge-payment after step 2 on
//! attempt 1") with what keeps it from happening, an Edit button opening its fields (kind, event
//! type from the design's, which one, delay, function from the design's, step, attempt) and a
//! Remove button; then buttons to add one of each kind. Each field commits on change as one
//! undo step; a number that is not allowed keeps its text and says why under the field.

use eventlab_core::design::{Design, NodeKind, ScriptedFault};
use leptos::prelude::*;

use super::edit_scenario;
use super::words;
use crate::inspector::fields::ChoiceField;
use crate::state::editor::use_editor;

const KINDS: [(&str, &str); 3] = [
    ("duplicate", "Deliver an event twice"),
    ("delay", "Delay an event"),
    ("crash", "Crash a function"),
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

#[component]
pub fn ScriptedFaults(locked: Signal<bool>) -> impl IntoView {
    let editor = use_editor();
    let design = editor.design();
    let count = Memo::new(move |_| design.with(|d| d.scenario.scripted.len()));
    // The row whose fields are open, by position (session state, never saved).
    let editing = RwSignal::new(None::<usize>);
    let add = move |kind: &'static str| {
        let index = count.get_untracked();
        let fault = design.with_untracked(|d| fault_of_kind(kind, None, d));
        edit_scenario(editor, |s| s.scripted.push(fault));
        editing.set(Some(index));
    };
    let event_types = move || {
        design.with(|d| {
            d.event_types
                .iter()
                .map(|t| view! { <option value=t.type_name.clone()></option> })
                .collect_view()
        })
    };
    let add_buttons = KINDS
        .map(|(kind, text)| {
            view! { <button class="button small" on:click=move |_| add(kind)>{text}</button> }
        })
        .collect_view();
    view! {
        <section class="fault-section" aria-labelledby="scripted-faults-title">
            <h3 id="scripted-faults-title">"Scripted faults"</h3>
            <p class="knob-help">"Placed by hand, they happen on every seed: to make a bug appear on cue."</p>
            <datalist id="fault-event-types">{event_types}</datalist>
            <ul class="scripted-list" aria-label="Scripted faults">
                <For each=move || 0..count.get() key=|index| *index let:index>
                    <ScriptedRow index editing locked />
                </For>
            </ul>
            <Show when=move || count.get() == 0>
                <p class="placeholder">"None."</p>
            </Show>
            <Show when=move || !locked.get()>
                <div class="scripted-add" role="group" aria-label="Add scripted fault">
                    <span class="scripted-add-label">"Add scripted fault:"</span>
                    {add_buttons.clone()}
                </div>
            </Show>
        </section>
    }
}

#[component]
fn ScriptedRow(
    index: usize,
    editing: RwSignal<Option<usize>>,
    locked: Signal<bool>,
) -> impl IntoView {
    let editor = use_editor();
    let design = editor.design();
    let fault = Memo::new(move |_| design.with(|d| d.scenario.scripted.get(index).cloned()));
    let sentence =
        move || fault.with(|f| f.as_ref().map(words::scripted_words).unwrap_or_default());
    let problems = Memo::new(move |_| {
        design.with(|d| {
            d.scenario
                .scripted
                .get(index)
                .map(|f| words::scripted_problems(f, d))
                .unwrap_or_default()
        })
    });
    let open = move || editing.get() == Some(index) && !locked.get();
    let toggle =
        move |_| editing.update(|e| *e = if *e == Some(index) { None } else { Some(index) });
    let remove = move |_| {
        edit_scenario(editor, |s| {
            if index < s.scripted.len() {
                s.scripted.remove(index);
            }
        });
        editing.set(None);
    };
    view! {
        <li class="scripted-row" aria-label=sentence>
            <div class="scripted-head">
                <span class="scripted-words">{sentence}</span>
                <Show when=move || !locked.get()>
                    <button class="button small" aria-expanded=move || open().to_string() on:click=toggle>
                        {move || if open() { "Done" } else { "Edit" }}
                    </button>
                    <button class="button small" on:click=remove>"Remove"</button>
                </Show>
            </div>
            {move || {
                problems
                    .get()
                    .into_iter()
                    .map(|p| view! { <p class="field-error">{p}</p> })
                    .collect_view()
            }}
            <Show when=open>
                <ScriptedFields index fault />
            </Show>
        </li>
    }
}

/// The fields of one scripted fault, by kind.
#[component]
fn ScriptedFields(index: usize, fault: Memo<Option<ScriptedFault>>) -> impl IntoView {
    let editor = use_editor();
    let design = editor.design();
    // Replaces the fault at `index` with `change` applied to it, as one undo step.
    let update = move |change: &dyn Fn(&mut ScriptedFault)| {
        edit_scenario(editor, |s| {
            if let Some(f) = s.scripted.get_mut(index) {
                change(f);
            }
        });
    };
    let kind = Memo::new(move |_| fault.with(|f| f.as_ref().map(kind_of).unwrap_or("crash")));
    let set_kind = Callback::new(move |kind: String| {
        let current = fault.get_untracked();
        let new = design.with_untracked(|d| fault_of_kind(&kind, current.as_ref(), d));
        update(&|f| *f = new.clone());
    });
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect();
    let number = move |read: fn(&ScriptedFault) -> u32| {
        Signal::derive(move || fault.with(|f| f.as_ref().map(read).unwrap_or_default()))
    };
    view! {
        <div class="scripted-fields">
            <ChoiceField
                label="Kind".to_string()
                value=Signal::derive(move || kind.get().to_string())
                options=kinds
                on_commit=set_kind
            />
            {move || match kind.get() {
                "crash" => view! {
                    <ChoiceField
                        label="Function".to_string()
                        value=Signal::derive(move || fault.with(|f| match f {
                            Some(ScriptedFault::Crash { function, .. }) => function.clone(),
                            _ => String::new(),
                        }))
                        options=Signal::derive(move || design.with(|d| {
                            function_ids(d).into_iter().map(|id| (id.clone(), id)).collect()
                        }))
                        on_commit=Callback::new(move |id: String| update(&|f| {
                            if let ScriptedFault::Crash { function, .. } = f { function.clone_from(&id) }
                        }))
                    />
                    <WholeField
                        label="After step"
                        minimum=1
                        what="Steps"
                        value=number(|f| match f { ScriptedFault::Crash { after_step, .. } => *after_step, _ => 0 })
                        on_commit=Callback::new(move |n: u32| update(&|f| {
                            if let ScriptedFault::Crash { after_step, .. } = f { *after_step = n }
                        }))
                    />
                    <WholeField
                        label="On attempt (0: every attempt)"
                        minimum=0
                        what="Attempts"
                        value=number(|f| match f { ScriptedFault::Crash { attempt, .. } => *attempt, _ => 0 })
                        on_commit=Callback::new(move |n: u32| update(&|f| {
                            if let ScriptedFault::Crash { attempt, .. } = f { *attempt = n }
                        }))
                    />
                }
                .into_any(),
                event_kind => view! {
                    <EventTypeField fault update=Callback::new(move |t: String| update(&|f| match f {
                        ScriptedFault::Duplicate { event_type, .. } | ScriptedFault::Delay { event_type, .. } => event_type.clone_from(&t),
                        ScriptedFault::Crash { .. } => {}
                    })) />
                    <WholeField
                        label="Which one (1 is the first)"
                        minimum=1
                        what="Counts"
                        value=number(|f| match f {
                            ScriptedFault::Duplicate { nth, .. } | ScriptedFault::Delay { nth, .. } => *nth,
                            ScriptedFault::Crash { .. } => 0,
                        })
                        on_commit=Callback::new(move |n: u32| update(&|f| match f {
                            ScriptedFault::Duplicate { nth, .. } | ScriptedFault::Delay { nth, .. } => *nth = n,
                            ScriptedFault::Crash { .. } => {}
                        }))
                    />
                    {(event_kind == "delay").then(|| view! {
                        <WholeField
                            label="Delay (ms)"
                            minimum=0
                            what="Delays"
                            value=number(|f| match f { ScriptedFault::Delay { delay_ms, .. } => *delay_ms, _ => 0 })
                            on_commit=Callback::new(move |n: u32| update(&|f| {
                                if let ScriptedFault::Delay { delay_ms, .. } = f { *delay_ms = n }
                            }))
                        />
                    })}
                }
                .into_any(),
            }}
        </div>
    }
}

/// The event type a duplicate or delay applies to: typed, with the design's types offered.
#[component]
fn EventTypeField(fault: Memo<Option<ScriptedFault>>, update: Callback<String>) -> impl IntoView {
    let value = move || match fault.get() {
        Some(
            ScriptedFault::Duplicate { event_type, .. } | ScriptedFault::Delay { event_type, .. },
        ) => event_type,
        _ => String::new(),
    };
    view! {
        <label class="field">
            <span class="field-label">"Event type"</span>
            <input
                class="input mono"
                list="fault-event-types"
                spellcheck="false"
                prop:value=value
                on:change=move |ev| update.run(event_target_value(&ev).trim().to_string())
            />
        </label>
    }
}

/// A whole number of at least `minimum`; anything else keeps its text and says why.
#[component]
fn WholeField(
    label: &'static str,
    minimum: u32,
    what: &'static str,
    value: Signal<u32>,
    on_commit: Callback<u32>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let commit = move |ev: leptos::ev::Event| match words::parse_whole(
        &event_target_value(&ev),
        minimum,
        what,
    ) {
        Ok(n) => {
            error.set(None);
            on_commit.run(n);
        }
        Err(message) => error.set(Some(message)),
    };
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input
                class="input"
                inputmode="numeric"
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || value.get().to_string()
                on:change=commit
            />
            {move || error.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
        </label>
    }
}
