//! A function's handler program: the steps in order, each with its fields (tables, buses and
//! queues chosen from the design; expressions and values as text), and buttons to add,
//! remove and reorder them.

use eventlab_core::design::change::DesignChange;
use eventlab_core::design::{NodeKind, Step};
use leptos::prelude::*;
use serde_json::Value;

use super::fields::ChoiceField;
use super::schema::{step_fields, Choices, SchemaForm};
use crate::state::editor::use_editor;
use crate::state::session::use_session;
use crate::state::templates::{new_step, STEP_OPS};

#[component]
pub fn StepsEditor(function: String, choices: Choices) -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let design = editor.design();
    let function = StoredValue::new(function);
    let steps = Memo::new(move |_| {
        function.with_value(|f| {
            design.with(
                |d| match d.nodes.iter().find(|n| &n.id == f).map(|n| &n.kind) {
                    Some(NodeKind::Function(func)) => func.steps.clone(),
                    _ => Vec::new(),
                },
            )
        })
    });
    let apply = move |change: DesignChange| {
        if let Err(e) = editor.apply(change) {
            session.warn(e);
        }
    };
    // Rows are keyed by position and op, so a row is rebuilt when its op changes place.
    let rows = Memo::new(move |_| {
        steps.with(|s| {
            s.iter()
                .enumerate()
                .map(|(i, s)| (i, s.op_name()))
                .collect::<Vec<_>>()
        })
    });
    let add = Callback::new(move |op: String| {
        let Some(step) = design.with_untracked(|d| new_step(&op, d)) else {
            return;
        };
        let index = u32::try_from(steps.with_untracked(Vec::len)).unwrap_or(u32::MAX);
        apply(DesignChange::AddStep {
            function: function.get_value(),
            index,
            step,
        });
    });
    let ops = Signal::derive(|| {
        STEP_OPS
            .iter()
            .map(|op| (op.to_string(), op.to_string()))
            .collect::<Vec<_>>()
    });
    view! {
        <h3 class="panel-subtitle">"Handler steps"</h3>
        <For each=move || rows.get() key=|row| *row let((index, op))>
            {
                let number = index + 1;
                let position = u32::try_from(index).unwrap_or(u32::MAX);
                let value = Signal::derive(move || steps.with(|s| s.get(index).map(|s| serde_json::to_value(s).unwrap_or(Value::Null)).unwrap_or(Value::Null)));
                let commit = Callback::new(move |v: Value| match serde_json::from_value::<Step>(v) {
                    Ok(step) => apply(DesignChange::SetStep { function: function.get_value(), index: position, step }),
                    Err(error) => session.warn(format!("That step does not fit: {error}")),
                });
                let last = move || steps.with(Vec::len) == number;
                view! {
                    <fieldset class="card step-card">
                        <legend>{format!("Step {number}: {op}")}</legend>
                        <div class="button-row compact">
                            <button
                                class="button small"
                                aria-label=format!("Move step {number} up")
                                disabled=index == 0
                                on:click=move |_| apply(DesignChange::MoveStep { function: function.get_value(), from: position, to: position - 1 })
                            >
                                "↑"
                            </button>
                            <button
                                class="button small"
                                aria-label=format!("Move step {number} down")
                                disabled=last
                                on:click=move |_| apply(DesignChange::MoveStep { function: function.get_value(), from: position, to: position + 1 })
                            >
                                "↓"
                            </button>
                            <button
                                class="button small danger"
                                aria-label=format!("Remove step {number}")
                                on:click=move |_| apply(DesignChange::RemoveStep { function: function.get_value(), index: position })
                            >
                                "✕"
                            </button>
                        </div>
                        <SchemaForm value=value fields=step_fields(op) choices=choices on_commit=commit />
                    </fieldset>
                }
            }
        </For>
        <ChoiceField label="Add a step".to_string() value=Signal::derive(String::new) options=ops on_commit=add reset=true />
    }
}
