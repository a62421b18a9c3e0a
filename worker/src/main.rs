//! The simulator's own wasm bundle. The page loads the editor's bundle first (small, for a fast
//! first paint); this one carries the simulator, the table engine and the ASL engine, and runs
//! in a Web Worker (`static/run-worker.js`) so long runs never block the page; `compare.rs`
//! answers runs side by side (before/after, compare patterns) as HTML (`compare_html.rs`). The browser tests load it too,
//! to compare wasm trace hashes with the native CLI's (the determinism invariant).
//!
//! It must stay a thin wrapper: every function here calls core and shapes the answer as JSON
//! text for the page (`answer.rs`); it holds no simulation logic of its own.

mod answer;
mod checks_html;
mod compare;
mod compare_html;
mod documents;
mod examples;
mod exercise;
mod expressions;
mod story_html;
mod validation;

use std::cell::RefCell;

use eventlab_core::check::{
    compile_checks, evaluate, Exploration, ExplorationPart, ExploreOptions,
};
use eventlab_core::design::{load_text, Design};
use eventlab_core::sim::{event_story, item_history, simulate, state_at, Run, RunOptions};
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

/// The last run, kept so scrubbing (`stateAt`) does not simulate again for every position.
struct LastRun {
    design_json: String,
    seed: u64,
    design: Design,
    run: Run,
}

thread_local! {
    static LAST_RUN: RefCell<Option<LastRun>> = const { RefCell::new(None) };
    static EXPLORATION: RefCell<Option<Exploration>> = const { RefCell::new(None) };
}

/// Runs `design_json` with `seed_text` (a decimal u64, as text so no seed loses precision in a
/// JavaScript number) and answers the JSON text of `{seed, traceHash, summary, events, checks,
/// checkProblems, checksHtml}` (see `answer::run_answer`), or `{error}`.
#[wasm_bindgen(js_name = runDesign)]
pub fn run_design(design_json: &str, seed_text: &str) -> String {
    match with_run(design_json, seed_text, |design, run| {
        let (_, problems) = compile_checks(design);
        answer::run_answer(design, run, &evaluate(design, run), &problems)
    }) {
        Ok(text) => text,
        Err(message) => answer::error(&message),
    }
}

/// The tables, queues and in-flight invocations just after trace event `seq` of the run of
/// `design_json` with `seed_text`, as the JSON text of core's `StateAt`, or `{error}`.
#[wasm_bindgen(js_name = stateAt)]
pub fn state_at_event(design_json: &str, seed_text: &str, seq: u32) -> String {
    match with_run(design_json, seed_text, |design, run| {
        answer::to_text(&state_at(design, &run.trace, seq))
    }) {
        Ok(text) => text,
        Err(message) => answer::error(&message),
    }
}

/// The story of trace event `seq` of the run of `design_json` with `seed_text` (its causes and
/// the message it carries) as `{html}` for the Event log tab, or `{error}`.
#[wasm_bindgen(js_name = eventStory)]
pub fn event_story_of(design_json: &str, seed_text: &str, seq: u32) -> String {
    match with_run(design_json, seed_text, |_, run| {
        match event_story(&run.trace, seq) {
            Some(story) => serde_json::json!({ "html": story_html::story(&story) }).to_string(),
            None => answer::error(&format!("the run has no event #{seq}")),
        }
    }) {
        Ok(text) => text,
        Err(message) => answer::error(&message),
    }
}

/// The version history of one item of `table` in the run of `design_json` with `seed_text`:
/// the JSON array of core's `ItemWrite` for the item whose key attributes are `key_json` (plain
/// JSON, e.g. `{"orderId":"o-1"}`), or `{error}`.
#[wasm_bindgen(js_name = itemHistory)]
pub fn item_history_of(design_json: &str, seed_text: &str, table: &str, key_json: &str) -> String {
    let key = match serde_json::from_str::<serde_json::Value>(key_json) {
        Ok(serde_json::Value::Object(key)) => key,
        _ => return answer::error("the item's key must be a JSON object"),
    };
    match with_run(design_json, seed_text, |_, run| {
        answer::to_text(&item_history(&run.trace, table, &key))
    }) {
        Ok(text) => text,
        Err(message) => answer::error(&message),
    }
}

/// Calls `answer` with the run of the design and seed, simulating only when they differ from
/// the last run's.
fn with_run(
    design_json: &str,
    seed_text: &str,
    answer: impl FnOnce(&Design, &Run) -> String,
) -> Result<String, String> {
    let seed: u64 = seed_text
        .trim()
        .parse()
        .map_err(|_| format!("the seed must be a whole number from 0 to {}", u64::MAX))?;
    LAST_RUN.with(|cell| {
        let mut last = cell.borrow_mut();
        let fresh = match last.as_ref() {
            Some(kept) => kept.seed != seed || kept.design_json != design_json,
            None => true,
        };
        if fresh {
            let loaded = load_text(design_json).map_err(|error| error.to_string())?;
            let options = RunOptions {
                seed: Some(seed),
                ..RunOptions::default()
            };
            let run = simulate(&loaded.design, &options);
            *last = Some(LastRun {
                design_json: design_json.to_string(),
                seed,
                design: loaded.design,
                run,
            });
        }
        match last.as_ref() {
            Some(kept) => Ok(answer(&kept.design, &kept.run)),
            None => Err("the run was lost".to_string()),
        }
    })
}

/// Starts exploring `seeds` seeds from `first_seed_text` (shrinking each failure to its
/// smallest case) and answers the first progress, `{seedsDone, seedsTotal, runs, shrinking,
/// finished}`, or `{error}`. The worker then calls `exploreStep` until it is finished, so the
/// page sees progress; only one exploration is kept.
#[wasm_bindgen(js_name = exploreStart)]
pub fn explore_start(design_json: &str, first_seed_text: &str, seeds: u32) -> String {
    start_exploring(design_json, first_seed_text, seeds, true, None)
}

/// Starts exploring one slice of the seeds for another worker, without shrinking; stepped with
/// `exploreStep`, then answered by `explorePart`.
#[wasm_bindgen(js_name = exploreSliceStart)]
pub fn explore_slice_start(design_json: &str, first_seed_text: &str, seeds: u32) -> String {
    start_exploring(design_json, first_seed_text, seeds, false, None)
}

/// The slice explored since `exploreSliceStart` (core's `ExplorationPart`), or `{error}`.
#[wasm_bindgen(js_name = explorePart)]
pub fn explore_part() -> String {
    EXPLORATION.with(|cell| match cell.borrow().as_ref() {
        Some(exploration) => answer::to_text(&exploration.part()),
        None => answer::error("no exploration was started"),
    })
}

/// Starts the exploration of `seeds` seeds from slices other workers explored (`parts_json`,
/// a list of `explorePart` answers), as if this worker had explored them all; it goes on with
/// `exploreStep` (shrinking) and ends with `exploreReport`, as `exploreStart` does.
#[wasm_bindgen(js_name = exploreMerge)]
pub fn explore_merge(
    design_json: &str,
    first_seed_text: &str,
    seeds: u32,
    parts_json: &str,
) -> String {
    let parts = match serde_json::from_str(parts_json) {
        Ok(parts) => parts,
        Err(error) => return answer::error(&format!("the explored slices do not read: {error}")),
    };
    start_exploring(design_json, first_seed_text, seeds, true, Some(parts))
}

fn start_exploring(
    design_json: &str,
    first_seed_text: &str,
    seeds: u32,
    shrink: bool,
    parts: Option<Vec<ExplorationPart>>,
) -> String {
    let Ok(first_seed) = first_seed_text.trim().parse::<u64>() else {
        return answer::error("the first seed must be a whole number");
    };
    let loaded = match load_text(design_json) {
        Ok(loaded) => loaded,
        Err(error) => return answer::error(&error.to_string()),
    };
    let (properties, _) = compile_checks(&loaded.design);
    let options = ExploreOptions {
        first_seed,
        seeds,
        shrink,
    };
    let exploration = match parts {
        None => Exploration::new(loaded.design, properties, options),
        Some(parts) => match Exploration::merge(loaded.design, properties, options, parts) {
            Ok(merged) => merged,
            Err(message) => return answer::error(&message),
        },
    };
    let progress = answer::to_text(&exploration.progress());
    EXPLORATION.with(|cell| *cell.borrow_mut() = Some(exploration));
    progress
}

/// Does at most `budget_runs` runs of the exploration and answers its progress, or `{error}`
/// when none was started.
#[wasm_bindgen(js_name = exploreStep)]
pub fn explore_step(budget_runs: u32) -> String {
    EXPLORATION.with(|cell| match cell.borrow_mut().as_mut() {
        Some(exploration) => answer::to_text(&exploration.step(budget_runs)),
        None => answer::error("no exploration was started"),
    })
}

/// The exploration's report (core's `ExplorationReport`): per property, the runs passed,
/// failed and undecided, the failure rate, the first failing seed and the smallest failing case.
#[wasm_bindgen(js_name = exploreReport)]
pub fn explore_report() -> String {
    EXPLORATION.with(|cell| match cell.borrow().as_ref() {
        Some(exploration) => answer::to_text(&exploration.report()),
        None => answer::error("no exploration was started"),
    })
}
