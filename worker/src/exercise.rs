//! Guided exercises in the worker: the catalog the page shows (briefs, hints and takeaways
//! rendered to HTML at build time, checklists, starting designs); "check my design", which runs
//! core's judge (`ExerciseRun`) over the exercise's locked seeds in budgeted steps, so the page
//! sees progress and stays responsive; the design locked as the judge runs it, for the run
//! views; and the reference solution. Only this bundle embeds the exercises, which keeps them
//! out of the page's bundle (over its size budget otherwise).
//!
//! The exercise always comes from core's embedded catalog, by name: the page sends the design
//! and the exercise's id, never a scenario or checks, so nothing in the design can make an
//! exercise pass. It must stay a thin wrapper; the verdict is core's.

use std::cell::RefCell;

use eventlab_core::design::{load_text, load_value, to_canonical_json};
use eventlab_core::exercise::{find, locked_design, Exercise, ExerciseCheckOptions, ExerciseRun};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::answer;

thread_local! {
    static CHECK: RefCell<Option<ExerciseRun>> = const { RefCell::new(None) };
}

/// The embedded exercise named `name` (its id or folder), or the sentence saying why not.
fn exercise(name: &str) -> Result<Exercise, String> {
    match find(name) {
        Some(Ok(exercise)) => Ok(exercise),
        Some(Err(error)) => Err(format!("the exercise cannot be loaded: {error}")),
        None => Err(format!("there is no exercise named '{name}'")),
    }
}

/// The catalog the page shows, as JSON text (see build.rs): per exercise, in workshop order,
/// `{folder, id, order, title, topic, briefHtml, hintsHtml, learnedHtml, checks, start}`.
#[wasm_bindgen(js_name = exerciseCatalog)]
pub fn exercise_catalog() -> String {
    let text = include_str!(concat!(env!("OUT_DIR"), "/exercise-catalog.json"));
    // Each starting design goes out canonical, so the page reads it strictly (without the
    // tolerant loader, which stays in this bundle).
    let Ok(Value::Array(mut entries)) = serde_json::from_str::<Value>(text) else {
        return answer::error("the exercise catalog is not readable");
    };
    for entry in &mut entries {
        if let Some(start) = entry.get_mut("start") {
            if let Ok(loaded) = load_value(start.take()) {
                *start = crate::documents::canonical_value(&loaded.design);
            }
        }
    }
    answer::to_text(&entries)
}

/// `{seedsDone, seedsTotal, finished}` of the check in progress.
fn progress(check: &ExerciseRun) -> String {
    let (done, total) = check.progress();
    answer::to_text(&json!({
        "seedsDone": done,
        "seedsTotal": total,
        "finished": check.is_finished(),
    }))
}

/// Starts judging `design_json` against the exercise `exercise_name` (its locked scenario,
/// checks and nodes, on every locked seed, shrinking each failure) and answers the first
/// progress, or `{error}`. The worker then calls `exerciseStep` until it is finished; only one
/// check is kept.
#[wasm_bindgen(js_name = exerciseStart)]
pub fn exercise_start(exercise_name: &str, design_json: &str) -> String {
    let exercise = match exercise(exercise_name) {
        Ok(exercise) => exercise,
        Err(message) => return answer::error(&message),
    };
    let design = match load_text(design_json) {
        Ok(loaded) => loaded.design,
        Err(error) => return answer::error(&error.to_string()),
    };
    let check = ExerciseRun::new(&exercise, &design, ExerciseCheckOptions { shrink: true });
    let first = progress(&check);
    CHECK.with(|cell| *cell.borrow_mut() = Some(check));
    first
}

/// Does at most `budget_runs` runs (or shrinks) of the check and answers its progress, or
/// `{error}` when none was started.
#[wasm_bindgen(js_name = exerciseStep)]
pub fn exercise_step(budget_runs: u32) -> String {
    CHECK.with(|cell| match cell.borrow_mut().as_mut() {
        Some(check) => {
            check.step(budget_runs);
            progress(check)
        }
        None => answer::error("no exercise check was started"),
    })
}

/// The check's verdict (core's `ExerciseReport`): per locked check, passed, failed or
/// undecided across the seeds, the first failing seed and its explanation.
#[wasm_bindgen(js_name = exerciseReport)]
pub fn exercise_report() -> String {
    CHECK.with(|cell| match cell.borrow().as_ref() {
        Some(check) => answer::to_text(&check.report()),
        None => answer::error("no exercise check was started"),
    })
}

/// `design_json` as the exercise's check runs it on the seed `seed_text`: the exercise's
/// scenario at that seed, its checks and its locked nodes in place of the design's own, as
/// design JSON, or `{error}`. The page runs it to show a failing seed in the run views.
#[wasm_bindgen(js_name = exerciseLockedDesign)]
pub fn exercise_locked_design(exercise_name: &str, design_json: &str, seed_text: &str) -> String {
    let Ok(seed) = seed_text.trim().parse::<u64>() else {
        return answer::error("the seed must be a whole number");
    };
    let exercise = match exercise(exercise_name) {
        Ok(exercise) => exercise,
        Err(message) => return answer::error(&message),
    };
    match load_text(design_json) {
        Ok(loaded) => {
            let mut locked = locked_design(&exercise, &loaded.design);
            locked.scenario.seed = seed;
            to_canonical_json(&locked)
        }
        Err(error) => answer::error(&error.to_string()),
    }
}

/// The exercise's reference solution as design JSON, or `{error}`.
#[wasm_bindgen(js_name = exerciseSolution)]
pub fn exercise_solution(exercise_name: &str) -> String {
    match exercise(exercise_name) {
        Ok(exercise) => to_canonical_json(&exercise.solution),
        Err(message) => answer::error(&message),
    }
}
