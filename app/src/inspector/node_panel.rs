//! The selected node: name, owning service, settings for its kind, its rules (a bus) or
//! handler steps (a function), the triggers it feeds or reads, and its problems.

use eventlab_core::design::change::DesignChange;
use eventlab_core::design::{Node, NodeKind, Trigger};
use leptos::prelude::*;
use serde_json::Value;

use super::fields::{ChoiceField, TextField};
use super::rules::RulesEditor;
use super::schema::{kind_fields, Choices, SchemaForm, TRIGGER_FIELDS};
use super::steps::StepsEditor;
use crate::canvas::connect::kind_words;
use crate::canvas::node_view::kind_glyph;
use crate::state::editor::use_editor;
use crate::state::session::use_session;

#[component]
pub fn NodePanel(id: String, choices: Choices) -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let design = editor.design();
    let node_id = StoredValue::new(id.clone());
    let node = Memo::new(move |_| {
        node_id.with_value(|id| design.with(|d| d.nodes.iter().find(|n| &n.id == id).cloned()))
    });
    let kind = Memo::new(move |_| node.with(|n| n.as_ref().map(|n| n.kind.name()).unwrap_or("")));
    let apply = move |change: DesignChange| {
        if let Err(error) = editor.apply(change) {
            session.warn(error);
        }
    };
    let rename = Callback::new(move |name: String| {
        apply(DesignChange::RenameNode {
            id: node_id.get_value(),
            name: name.trim().to_string(),
        })
    });
    let services = Signal::derive(move || {
        design.with(|d| {
            d.services
                .iter()
                .map(|s| {
                    (
                        s.id.clone(),
                        if s.name.is_empty() {
                            s.id.clone()
                        } else {
                            s.name.clone()
                        },
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let set_service = Callback::new(move |service: String| {
        let service = (!service.is_empty()).then_some(service);
        apply(DesignChange::SetNodeService {
            id: node_id.get_value(),
            service,
        })
    });
    let settings = Signal::derive(move || {
        node.with(|n| {
            n.as_ref()
                .map(|n| serde_json::to_value(&n.kind).unwrap_or(Value::Null))
                .unwrap_or(Value::Null)
        })
    });
    let commit_settings =
        Callback::new(
            move |value: Value| match serde_json::from_value::<NodeKind>(value) {
                Ok(kind) => apply(DesignChange::SetNodeKind {
                    id: node_id.get_value(),
                    kind,
                }),
                Err(error) => session.warn(format!("That setting does not fit: {error}")),
            },
        );
    let problems = Memo::new(move |_| {
        editor.diagnostics().with(|list| {
            node_id.with_value(|id| {
                list.iter()
                    .filter(|d| d.node.as_ref() == Some(id))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <div class="node-panel">
            <h2 class="inspector-heading">
                <span class=move || format!("kind-chip kind-{}", kind.get()) aria-hidden="true">
                    {move || kind_glyph(kind.get())}
                </span>
                <span>{move || node.with(|n| n.as_ref().map(|n| kind_words(&n.kind)).unwrap_or("")).to_string()}</span>
                <code class="node-id-label">{id.clone()}</code>
            </h2>
            <Show when=move || !problems.with(Vec::is_empty)>
                <ul class="node-problems" aria-label="Problems of this node">
                    {move || problems.get().into_iter().map(|d| view! {
                        <li class=format!("problem-inline {}", d.severity.name())>{d.message}</li>
                    }).collect_view()}
                </ul>
            </Show>
            <TextField
                label="Name".to_string()
                value=Signal::derive(move || node.with(|n| n.as_ref().map(|n| n.name.clone()).unwrap_or_default()))
                on_commit=rename
            />
            <ChoiceField
                label="Service".to_string()
                value=Signal::derive(move || node.with(|n| n.as_ref().and_then(|n| n.service.clone()).unwrap_or_default()))
                options=services
                on_commit=set_service
                optional=true
            />
            {move || {
                let kind = kind.get();
                let rules = (kind == "bus").then(|| view! { <RulesEditor bus=node_id.get_value() choices=choices /> });
                let steps = (kind == "function").then(|| view! {
                    <StepsEditor function=node_id.get_value() choices=choices />
                    <HandlerSource function=node_id.get_value() />
                });
                view! {
                    <SchemaForm value=settings fields=kind_fields(kind) choices=choices on_commit=commit_settings />
                    {rules}
                    {steps}
                }
            }}
            <Triggers node=node />
            <div class="button-row">
                <button
                    class="button"
                    on:click=move |_| {
                        let positions = design.with_untracked(|d| crate::canvas::layout::positions(d, &crate::canvas::edges::derive_edges(d)));
                        session.selection.set(editor.duplicate_nodes(&[node_id.get_value()], &positions));
                    }
                >
                    "Duplicate node"
                </button>
                <button
                    class="button danger"
                    on:click=move |_| {
                        editor.delete_nodes(&[node_id.get_value()]);
                        session.selection.set(Vec::new());
                    }
                >
                    "Delete node"
                </button>
            </div>
        </div>
    }
}

/// The triggers this node feeds (a function) or is read by (a queue or table).
#[component]
fn Triggers(node: Memo<Option<Node>>) -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let design = editor.design();
    let ids = Memo::new(move |_| {
        let Some(id) = node.with(|n| n.as_ref().map(|n| n.id.clone())) else {
            return Vec::new();
        };
        design.with(|d| {
            d.triggers
                .iter()
                .filter(|t| t.source == id || t.function == id)
                .map(|t| t.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let choices = super::schema::Choices {
        nodes: Signal::derive(Vec::new),
        event_types: Signal::derive(Vec::new),
    };
    view! {
        <For each=move || ids.get() key=|id| id.clone() let(trigger_id)>
            {
                let id = StoredValue::new(trigger_id.clone());
                let value = Signal::derive(move || {
                    id.with_value(|id| design.with(|d| {
                        d.triggers.iter().find(|t| &t.id == id).map(|t| serde_json::to_value(t).unwrap_or(Value::Null)).unwrap_or(Value::Null)
                    }))
                });
                let title = move || id.with_value(|id| design.with(|d| {
                    d.triggers.iter().find(|t| &t.id == id).map(|t| format!("Trigger {}: {} → {}", t.id, t.source, t.function)).unwrap_or_default()
                }));
                let commit = Callback::new(move |v: Value| match serde_json::from_value::<Trigger>(v) {
                    Ok(trigger) => {
                        if let Err(e) = editor.apply(DesignChange::SetTrigger { id: id.get_value(), trigger }) {
                            session.warn(e);
                        }
                    }
                    Err(error) => session.warn(format!("That setting does not fit: {error}")),
                });
                view! {
                    <fieldset class="card">
                        <legend>{title}</legend>
                        <SchemaForm value=value fields=TRIGGER_FIELDS choices=choices on_commit=commit />
                        <button
                            class="button small danger"
                            on:click=move |_| {
                                let _ = editor.apply(DesignChange::RemoveTrigger { id: id.get_value() });
                            }
                        >
                            "Remove trigger"
                        </button>
                    </fieldset>
                }
            }
        </For>
    }
}

/// The function's exported TypeScript handler (core's export, asked of the worker), shown
/// beside its steps while open and refreshed as the design changes.
#[component]
fn HandlerSource(function: String) -> impl IntoView {
    let editor = use_editor();
    let validation = crate::state::validation::use_validation();
    let open = RwSignal::new(false);
    let function = StoredValue::new(function);
    Effect::new(move |_| {
        if open.get() {
            let design = editor
                .design()
                .with(eventlab_core::design::to_canonical_json);
            validation.request_handler_source(&design, &function.get_value());
        }
    });
    let text = move || {
        validation
            .handler_source
            .get()
            .filter(|(id, _)| *id == function.get_value())
            .map(|(_, text)| text)
            .unwrap_or_else(|| "Exporting…".to_string())
    };
    view! {
        <section class="handler-source" aria-label="TypeScript handler">
            <button
                class="button small"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if open.get() { "Hide the TypeScript handler" } else { "Show the TypeScript handler (as exported)" }}
            </button>
            {move || open.get().then(|| view! {
                <pre class="handler-code mono" aria-label="Exported TypeScript handler">{text}</pre>
            })}
        </section>
    }
}
