//! The one place the design changes: a `Copy` context exposing commands (apply a change,
//! undo, redo, delete, duplicate) over `DesignChange`. Components read the design through it
//! and never mutate it directly, so every edit is undoable and autosaved.

use eventlab_core::design::change::{delete_node, DesignChange, NodeMove};
use eventlab_core::design::{to_canonical_json, Design, Diagnostic, Position};
use leptos::prelude::*;

use super::history::History;
use super::templates::unique_node_id;
use super::validation::provide_validation;

#[derive(Clone, Copy)]
pub struct Editor {
    design: RwSignal<Design>,
    history: RwSignal<History>,
    diagnostics: Signal<Vec<Diagnostic>>,
}

pub fn provide_editor(initial: Design) -> Editor {
    let design = RwSignal::new(initial);
    // Validation runs in the worker (see `validation`): every change sends the design there.
    let validation = provide_validation();
    Effect::new(move |_| validation.validate_design(design.with(to_canonical_json)));
    let diagnostics = validation.diagnostics();
    let editor = Editor {
        design,
        history: RwSignal::new(History::default()),
        diagnostics,
    };
    provide_context(editor);
    editor
}

pub fn use_editor() -> Editor {
    expect_context::<Editor>()
}

impl Editor {
    /// The design, for reading (`.with`, `.get`) and for derived memos.
    pub fn design(&self) -> Signal<Design> {
        self.design.into()
    }

    /// What validation says about the design, errors first.
    pub fn diagnostics(&self) -> Signal<Vec<Diagnostic>> {
        self.diagnostics
    }

    /// Applies an edit as one undo step. The error says why the change did not fit.
    pub fn apply(&self, change: DesignChange) -> Result<(), String> {
        let mut result = Ok(());
        self.history.update(|history| {
            self.design.update(|design| {
                result = history.edit(design, change).map_err(|e| e.to_string());
            });
        });
        result
    }

    /// Replaces the design without an undo step and with a fresh history (switching slots).
    pub fn reset(&self, design: Design) {
        self.design.set(design);
        self.history.set(History::default());
    }

    pub fn undo(&self) {
        self.history.update(|history| {
            self.design.update(|design| {
                history.undo(design);
            })
        });
    }

    pub fn redo(&self) {
        self.history.update(|history| {
            self.design.update(|design| {
                history.redo(design);
            })
        });
    }

    pub fn can_undo(&self) -> bool {
        self.history.with(History::can_undo)
    }

    pub fn can_redo(&self) -> bool {
        self.history.with(History::can_redo)
    }

    /// Deletes nodes with their wiring, as one undo step.
    pub fn delete_nodes(&self, ids: &[String]) {
        let changes: Vec<DesignChange> = self.design.with_untracked(|design| {
            ids.iter()
                .filter_map(|id| delete_node(design, id))
                .collect()
        });
        if !changes.is_empty() {
            let _ = self.apply(DesignChange::Batch { changes });
        }
    }

    /// Copies nodes (with new ids, offset on the canvas) and returns the copies' ids.
    pub fn duplicate_nodes(
        &self,
        ids: &[String],
        positions: &std::collections::BTreeMap<String, Position>,
    ) -> Vec<String> {
        let nodes: Vec<_> = self.design.with_untracked(|d| {
            d.nodes
                .iter()
                .filter(|n| ids.contains(&n.id))
                .cloned()
                .collect()
        });
        self.paste_nodes(nodes, positions, 48)
    }

    /// Adds copies of `nodes` with fresh ids, `offset` right and down of where the originals
    /// are drawn; returns the new ids.
    pub fn paste_nodes(
        &self,
        nodes: Vec<eventlab_core::design::Node>,
        positions: &std::collections::BTreeMap<String, Position>,
        offset: i32,
    ) -> Vec<String> {
        let mut scratch = self.design.get_untracked();
        let mut changes = Vec::new();
        let mut new_ids = Vec::new();
        for mut node in nodes {
            let position = positions.get(&node.id).map(|p| Position {
                x: p.x + offset,
                y: p.y + offset,
            });
            node.id = unique_node_id(&scratch, &format!("{}-copy", node.id));
            let change = DesignChange::AddNode {
                index: u32::try_from(scratch.nodes.len()).unwrap_or(u32::MAX),
                node: node.clone(),
                position,
            };
            // Apply to a scratch copy so later ids see earlier ones.
            if eventlab_core::design::change::apply(&mut scratch, change.clone()).is_ok() {
                new_ids.push(node.id.clone());
                changes.push(change);
            }
        }
        if !changes.is_empty() {
            let _ = self.apply(DesignChange::Batch { changes });
        }
        new_ids
    }

    /// Moves nodes as one undo step; with `everything`, every other node's drawn position is
    /// saved too, so auto-placed nodes do not jump when one of them gets a position.
    pub fn move_nodes(&self, moves: Vec<NodeMove>) {
        if !moves.is_empty() {
            let _ = self.apply(DesignChange::MoveNodes { moves });
        }
    }
}
