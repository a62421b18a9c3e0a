//! The inspector: the selected node's settings (with its rules or handler steps, triggers and
//! problems), or, with nothing selected, the design's own settings (name, services, event
//! types, scenario). Every edit goes through the editor's commands.

mod design_panel;
pub(crate) mod fields;
mod node_panel;
mod rules;
mod schema;
mod steps;

use leptos::prelude::*;

use crate::state::editor::use_editor;
use crate::state::session::use_session;
use schema::Choices;

#[component]
pub fn Inspector() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    let design = editor.design();
    let only = Memo::new(move |_| {
        session
            .selection
            .with(|s| (s.len() == 1).then(|| s[0].clone()))
    });
    let exists = Memo::new(move |_| {
        only.with(|id| {
            id.as_ref()
                .is_some_and(|id| design.with(|d| d.nodes.iter().any(|n| &n.id == id)))
        })
    });
    let count = Memo::new(move |_| session.selection.with(Vec::len));
    let choices = Choices {
        nodes: Signal::derive(move || {
            design.with(|d| {
                d.nodes
                    .iter()
                    .map(|n| {
                        (
                            n.id.clone(),
                            n.kind.name().to_string(),
                            n.label().to_string(),
                        )
                    })
                    .collect()
            })
        }),
        event_types: Signal::derive(move || {
            design.with(|d| d.event_types.iter().map(|t| t.type_name.clone()).collect())
        }),
    };
    view! {
        <aside class="region inspector" data-region="inspector" aria-label="Inspector">
            {move || match (only.get(), exists.get(), count.get()) {
                (Some(id), true, _) => view! { <node_panel::NodePanel id=id choices=choices /> }.into_any(),
                (_, _, n) if n > 1 => view! { <MultiPanel /> }.into_any(),
                _ => view! { <design_panel::DesignPanel /> }.into_any(),
            }}
        </aside>
    }
}

/// Several nodes selected: what can be done to all of them.
#[component]
fn MultiPanel() -> impl IntoView {
    let editor = use_editor();
    let session = use_session();
    view! {
        <h2 class="panel-title">{move || format!("{} nodes selected", session.selection.with(Vec::len))}</h2>
        <div class="button-row">
            <button
                class="button"
                on:click=move |_| {
                    let ids = session.selection.get_untracked();
                    let positions = editor.design().with_untracked(|d| {
                        crate::canvas::layout::positions(d, &crate::canvas::edges::derive_edges(d))
                    });
                    session.selection.set(editor.duplicate_nodes(&ids, &positions));
                }
            >
                "Duplicate"
            </button>
            <button
                class="button danger"
                on:click=move |_| {
                    editor.delete_nodes(&session.selection.get_untracked());
                    session.selection.set(Vec::new());
                }
            >
                "Delete"
            </button>
        </div>
    }
}
