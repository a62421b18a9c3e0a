//! Reading one guided exercise from its four files (`exercise.json`, `brief.md`, `start.json`,
//! `solution.json`; the format is in docs/exercise-format.md) into an `Exercise`.
//!
//! Owns the meaning of `exercise.json`'s fields and the problems an exercise can have before any
//! run (no seeds, an expected failure that names no check, a locked node the starting design
//! does not have, a design that is not JSON). It takes texts, never paths: the app embeds the
//! files and the CLI embeds or reads them. It never runs or judges anything.

use serde::{Deserialize, Serialize};

use crate::design::{load_text, Bounds, Check, Design, Faults, Scenario, ScriptedFault};

/// The most seeds an exercise may lock: the check runs each one on every attempt.
pub const MAX_SEEDS: usize = 1_000;

/// The texts of one exercise folder, as embedded with `include_str!` or read from disk.
#[derive(Debug, Clone, Copy)]
pub struct ExerciseFiles<'a> {
    /// The folder name, such as `05-duplicates`.
    pub folder: &'a str,
    pub exercise: &'a str,
    pub brief: &'a str,
    pub start: &'a str,
    pub solution: &'a str,
}

/// A guided exercise: its words, its two designs, and the scenario and checks it locks.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub folder: String,
    pub id: String,
    pub title: String,
    /// Its place in the workshop, from 1.
    pub order: u32,
    pub topic: String,
    /// The brief in Markdown.
    pub brief: String,
    pub scenario: ExerciseScenario,
    /// Nodes taken from the starting design whatever the attendee's design says (the workload,
    /// the parts the exercise is not about), so deleting them cannot turn the check green.
    pub locked_nodes: Vec<String>,
    pub checks: Vec<Check>,
    /// The id of the check the starting design is meant to fail: the one the brief is about.
    pub expected_failure: String,
    /// Progressive hints, the gentlest first.
    pub hints: Vec<String>,
    /// What the attendee takes home, with the TypeScript / AWS takeaway.
    pub learned: String,
    pub start: Design,
    pub solution: Design,
}

/// The scenario an exercise locks: its faults and bounds, run on each listed seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseScenario {
    pub seeds: Vec<u64>,
    #[serde(default)]
    pub faults: Faults,
    #[serde(default)]
    pub scripted: Vec<ScriptedFault>,
    #[serde(default)]
    pub bounds: Bounds,
}

impl ExerciseScenario {
    /// The design scenario for one seed.
    pub fn for_seed(&self, seed: u64) -> Scenario {
        Scenario {
            seed,
            faults: self.faults.clone(),
            scripted: self.scripted.clone(),
            bounds: self.bounds.clone(),
        }
    }

    /// The first locked seed: the one the app runs when the attendee presses Run.
    pub fn first_seed(&self) -> u64 {
        self.seeds.first().copied().unwrap_or(1)
    }
}

/// `exercise.json` as written.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ExerciseDocument {
    id: String,
    title: String,
    order: u32,
    topic: String,
    scenario: ExerciseScenario,
    #[serde(default)]
    locked_nodes: Vec<String>,
    checks: Vec<Check>,
    #[serde(alias = "expected_failure")]
    expected_failure: String,
    hints: Vec<String>,
    learned: String,
}

/// Why an exercise folder cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseError {
    /// The folder and file at fault, such as `05-duplicates/exercise.json`.
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for ExerciseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// Reads an exercise from its files' texts.
pub fn load_exercise(files: &ExerciseFiles<'_>) -> Result<Exercise, ExerciseError> {
    let error = |file: &str, message: String| ExerciseError {
        file: format!("{}/{file}", files.folder),
        message,
    };
    let document: ExerciseDocument =
        serde_json::from_str(files.exercise).map_err(|e| error("exercise.json", e.to_string()))?;
    let start = load_text(files.start).map_err(|e| error("start.json", e.to_string()))?;
    let solution = load_text(files.solution).map_err(|e| error("solution.json", e.to_string()))?;
    let exercise = Exercise {
        folder: files.folder.to_string(),
        id: document.id,
        title: document.title,
        order: document.order,
        topic: document.topic,
        brief: files.brief.to_string(),
        scenario: document.scenario,
        locked_nodes: document.locked_nodes,
        checks: document.checks,
        expected_failure: document.expected_failure,
        hints: document.hints,
        learned: document.learned,
        start: start.design,
        solution: solution.design,
    };
    coherence_problem(&exercise).map_or(Ok(exercise), |m| Err(error("exercise.json", m)))
}

/// What makes a well-formed exercise unusable: each is a mistake of its author.
fn coherence_problem(exercise: &Exercise) -> Option<String> {
    let seeds = &exercise.scenario.seeds;
    if seeds.is_empty() || seeds.len() > MAX_SEEDS {
        return Some(format!(
            "scenario.seeds lists {} seeds; an exercise locks from 1 to {MAX_SEEDS}",
            seeds.len()
        ));
    }
    if exercise.checks.is_empty() {
        return Some("an exercise locks at least one check".to_string());
    }
    if !exercise
        .checks
        .iter()
        .any(|c| c.id == exercise.expected_failure)
    {
        return Some(format!(
            "expectedFailure names '{}', which is not one of its checks",
            exercise.expected_failure
        ));
    }
    if exercise.hints.is_empty() {
        return Some("an exercise gives at least one hint".to_string());
    }
    exercise
        .locked_nodes
        .iter()
        .find(|id| !exercise.start.nodes.iter().any(|n| &n.id == *id))
        .map(|id| format!("lockedNodes names '{id}', which start.json does not have"))
}
