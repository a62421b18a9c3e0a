//! Keyboard shortcuts: undo (Ctrl/Cmd+Z), redo (Shift+Ctrl/Cmd+Z, Ctrl+Y), delete
//! (Delete/Backspace), duplicate (Ctrl/Cmd+D), copy and paste (Ctrl/Cmd+C/V), select all
//! (Ctrl/Cmd+A), move the selection one grid step (arrow keys), fit (F) and Escape; for a run:
//! play/pause (Space), step (arrow keys with nothing selected), next and previous failure (N,
//! Shift+N); and this list (?). Keys typed into a text field belong to the field.
//! `SHORTCUTS` is what the help overlay shows: keep it in step with `handle_key`.

/// (keys, what they do), as the help overlay lists them.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "Play or pause the run"),
    ("← →", "Step the playhead one event (nothing selected)"),
    ("N / Shift+N", "Jump to the next / previous failure"),
    ("Ctrl+Z", "Undo"),
    ("Shift+Ctrl+Z, Ctrl+Y", "Redo"),
    ("Delete", "Delete the selected nodes"),
    ("Ctrl+D", "Duplicate the selected nodes"),
    ("Ctrl+C / Ctrl+V", "Copy / paste nodes"),
    ("Ctrl+A", "Select every node"),
    ("Arrow keys", "Move the selected nodes one grid step"),
    ("F", "Fit the design to the view"),
    ("Escape", "Clear the selection, close this list"),
    ("?", "Show or hide this list"),
];

use leptos::ev;
use leptos::prelude::*;

use crate::browser::typing_in_field;
use crate::canvas::edges::derive_edges;
use crate::canvas::layout::positions;
use crate::run::session::{use_run, RunSession};
use crate::state::editor::{use_editor, Editor};
use crate::state::session::{use_session, Session};

pub fn install() {
    let editor = use_editor();
    let session = use_session();
    let run = use_run();
    let handle = window_event_listener(ev::keydown, move |event| {
        // A control that used the key (the panel's resize handle's arrows) keeps it.
        if typing_in_field() || event.default_prevented() {
            return;
        }
        if handle_key(&event, editor, session) || handle_run_key(&event, run, session) {
            event.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

fn handle_key(event: &web_sys::KeyboardEvent, editor: Editor, session: Session) -> bool {
    let command = event.ctrl_key() || event.meta_key();
    let key = event.key().to_ascii_lowercase();
    let selection = session.selection.get_untracked();
    match (command, key.as_str()) {
        (true, "z") if event.shift_key() => editor.redo(),
        (true, "z") => editor.undo(),
        (true, "y") => editor.redo(),
        (false, "delete" | "backspace") if !selection.is_empty() => {
            editor.delete_nodes(&selection);
            session.selection.set(Vec::new());
        }
        (true, "d") if !selection.is_empty() => {
            let copies = editor.duplicate_nodes(&selection, &drawn_positions(editor));
            session.selection.set(copies);
        }
        (true, "c") if !selection.is_empty() => {
            let nodes = editor.design().with_untracked(|d| {
                d.nodes
                    .iter()
                    .filter(|n| selection.contains(&n.id))
                    .cloned()
                    .collect()
            });
            session.clipboard.set_value(nodes);
        }
        (true, "v") => {
            let nodes = session.clipboard.get_value();
            if nodes.is_empty() {
                return false;
            }
            let copies = editor.paste_nodes(nodes, &drawn_positions(editor), 72);
            session.selection.set(copies);
        }
        (true, "a") => {
            let all = editor
                .design()
                .with_untracked(|d| d.nodes.iter().map(|n| n.id.clone()).collect());
            session.selection.set(all);
        }
        (false, "arrowleft" | "arrowright" | "arrowup" | "arrowdown") if !selection.is_empty() => {
            let (dx, dy) = match key.as_str() {
                "arrowleft" => (-1, 0),
                "arrowright" => (1, 0),
                "arrowup" => (0, -1),
                _ => (0, 1),
            };
            nudge(editor, &selection, dx, dy);
        }
        (false, "escape") => {
            session.selection.set(Vec::new());
            session.help_open.set(false);
        }
        (false, "f") => session.request_fit(),
        _ => return false,
    }
    true
}

/// The run's keys: play/pause, step, failures, and the help overlay.
fn handle_run_key(event: &web_sys::KeyboardEvent, run: RunSession, session: Session) -> bool {
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return false;
    }
    let nothing_selected = session.selection.with_untracked(Vec::is_empty);
    match event.key().as_str() {
        " " if !crate::browser::focus_on_control() => run.toggle_play(),
        "ArrowRight" if nothing_selected => {
            run.playing.set(false);
            run.advance_by(1);
        }
        "ArrowLeft" if nothing_selected => {
            run.playing.set(false);
            if let Some(at) = run.playhead.get_untracked() {
                run.seek(at.saturating_sub(1));
            }
        }
        "n" => run.jump_to_failure(true),
        "N" => run.jump_to_failure(false),
        "?" => session.help_open.update(|open| *open = !*open),
        _ => return false,
    }
    true
}

/// Moves the selected nodes one grid step, saving every drawn position (one undo step).
fn nudge(editor: Editor, selection: &[String], dx: i32, dy: i32) {
    let step = crate::canvas::geometry::GRID;
    let offset = crate::canvas::geometry::Point::new(f64::from(dx) * step, f64::from(dy) * step);
    let moves = editor.design().with_untracked(|d| {
        crate::canvas::interaction::drag_moves(
            &positions(d, &derive_edges(d)),
            &d.layout,
            selection,
            offset,
        )
    });
    editor.move_nodes(moves);
}

fn drawn_positions(
    editor: Editor,
) -> std::collections::BTreeMap<String, eventlab_core::design::Position> {
    editor
        .design()
        .with_untracked(|d| positions(d, &derive_edges(d)))
}
