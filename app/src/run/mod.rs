//! Run views (issue 9): press Run, watch the run, see what failed and where. The simulator runs
//! in a Web Worker (`bridge`); `session` holds the run, the playhead and the bottom panel's tab
//! as session state (never saved in the design); the components show the run controls in the
//! top bar and the checks, event log, timeline and state at the playhead in the bottom panel;
//! `compare` sets a pinned run beside the next (before/after) and designs beside each other.
//!
//! It must never judge or simulate anything itself: verdicts, lines and states come from core
//! through the worker, and the only edit it makes to the design (the seed) goes through the
//! editor's command layer.

mod activity;
mod answers;
pub(crate) mod bridge;
mod checks;
mod compare;
mod controls;
mod event_log;
mod explore;
mod faults;
pub mod model;
pub mod overlay;
mod panel;
mod playback;
mod playhead;
pub mod session;
mod state_panel;
mod story;
mod timeline;
mod timeline_draw;

pub use bridge::{Answer, Request};
pub use compare::provide_compare;
pub use controls::RunControls;
pub use panel::{RunPanel, RunTabs};
pub use playhead::{parse_playhead, playhead_id};
pub use session::{provide_run, use_run, PanelTab};
