//! eventlab-app: the browser UI, a thin Leptos layer over eventlab-core.
//!
//! The app holds the design document (with its scenario) and the session (selection, viewport,
//! playhead) in signals and derives everything else by calling core's pure functions. It must
//! never hold domain logic of its own: simulation, validation and checks live in core. Edits
//! go through `state::editor` as `DesignChange`s; canvas geometry, edges and layout are plain
//! Rust in `canvas/` (tested natively), the components only wire events to them.

mod browser;
mod canvas;
mod exercise;
mod inspector;
mod panic;
mod run;
mod shell;
mod state;

/// Mounts the app on the page's body; called by `main`.
pub fn start() {
    panic::install_hook();
    leptos::mount::mount_to_body(shell::Shell);
}
