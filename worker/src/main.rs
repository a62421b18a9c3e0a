//! The simulator's own wasm bundle. The page loads the editor's bundle first (small, for a fast
//! first paint); this one carries the simulator, the table engine and the ASL engine, and runs
//! in a Web Worker so long explorations never block the page. The browser tests load it too,
//! to compare wasm trace hashes with the native CLI's (the determinism invariant).
//!
//! It must stay a thin wrapper: every function here calls one core function.

use eventlab_core::design::load_text;
use eventlab_core::sim::{simulate, RunOptions};
use wasm_bindgen::prelude::*;

fn main() {}

/// The trace hash of `design_json` run with `seed`, or `error: ...` when it is not a design.
#[wasm_bindgen(js_name = eventlabTraceHash)]
pub fn trace_hash(design_json: &str, seed: f64) -> String {
    match load_text(design_json) {
        Ok(loaded) => {
            let options = RunOptions {
                seed: Some(seed as u64),
                ..RunOptions::default()
            };
            simulate(&loaded.design, &options).trace_hash
        }
        Err(error) => format!("error: {error}"),
    }
}
