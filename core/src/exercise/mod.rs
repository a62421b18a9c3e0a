//! Guided exercises: the workshop's curriculum as data, auto-checked.
//!
//! Each exercise is a folder under `exercises/` (format in docs/exercise-format.md): a brief, a
//! starting design, a reference solution, and `exercise.json` with the locked scenario, the
//! locked checks, the check the starting design is meant to fail, hints and a takeaway.
//! `load_exercise` reads one from its files' texts; `builtin` gives the thirteen embedded in
//! this crate; `check_exercise` judges an attendee's design under the exercise's scenario and
//! checks, whatever the design's own say. This module never reads a clock or the network; only
//! `load_folder` (native builds) reads files.

mod catalog;
#[cfg(not(target_arch = "wasm32"))]
mod folder;
mod judge;
mod spec;

pub use catalog::{builtin, builtin_files, find};
#[cfg(not(target_arch = "wasm32"))]
pub use folder::{load_exercises_dir, load_folder};
pub use judge::{
    check_exercise, check_exercise_with, locked_design, ExerciseCheckOptions, ExerciseCheckSummary,
    ExerciseReport, ExerciseRun,
};
pub use spec::{
    load_exercise, Exercise, ExerciseError, ExerciseFiles, ExerciseScenario, MAX_SEEDS,
};
