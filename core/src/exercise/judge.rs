//! Judging an attendee's design against an exercise: the exercise's locked scenario and checks
//! replace the design's own, its locked nodes replace the attendee's copies, and every check is
//! judged on every locked seed.
//!
//! Whatever the design says about its scenario or checks is ignored here, so removing faults or
//! checks cannot turn an exercise green. A check that cannot be judged on the attendee's design
//! (it names a table the attendee deleted) fails with the reason; it is the design's problem,
//! not the exercise's. `ExerciseRun` does a budgeted number of runs per `step` so the browser
//! can check between frames; everything is a pure function of the exercise and the design.

use serde::Serialize;

use crate::check::{
    compile_check_list, evaluate_property, shrink, CheckResult, Mode, Property, PropertyKind,
    ShrunkCase, Status,
};
use crate::design::Design;
use crate::sim::{simulate, RunOptions};

use super::spec::Exercise;

/// How to judge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExerciseCheckOptions {
    /// Shrink each failing check's first failure to the faults it needs (up to 400 replays
    /// each): a better explanation, at a price.
    pub shrink: bool,
}

/// One check across the exercise's seeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseCheckSummary {
    pub check: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether this is the check the brief is about (the starting design fails it).
    pub expected_failure: bool,
    /// Passed only when it passed on every seed; failed when it failed on any.
    pub status: Status,
    pub runs: u32,
    pub passed: u32,
    pub failed: u32,
    pub undecided: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_failing_seed: Option<u64>,
    /// The result on the first failing (or, failing none, undecided) seed: its explanation and
    /// the trace event that decided it. For a check that cannot be judged on this design, the
    /// reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<CheckResult>,
    /// The first failure shrunk to the faults it needs, when shrinking was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smallest_failing_case: Option<ShrunkCase>,
}

/// The verdict on a design: per check, across the locked seeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseReport {
    pub exercise: String,
    pub seeds: Vec<u64>,
    /// Every check held on every seed.
    pub passed: bool,
    pub checks: Vec<ExerciseCheckSummary>,
}

/// The attendee's design as the exercise runs it: the exercise's scenario (at its first seed)
/// and checks, and its locked nodes taken from the starting design.
pub fn locked_design(exercise: &Exercise, design: &Design) -> Design {
    let mut locked = design.clone();
    locked.scenario = exercise.scenario.for_seed(exercise.scenario.first_seed());
    locked.checks = exercise.checks.clone();
    for id in &exercise.locked_nodes {
        let Some(original) = exercise.start.nodes.iter().find(|n| &n.id == id) else {
            continue;
        };
        match locked.nodes.iter_mut().find(|n| &n.id == id) {
            Some(node) => *node = original.clone(),
            None => locked.nodes.push(original.clone()),
        }
    }
    locked
}

/// Judges a design on every locked seed, without shrinking.
pub fn check_exercise(exercise: &Exercise, design: &Design) -> ExerciseReport {
    check_exercise_with(exercise, design, ExerciseCheckOptions::default())
}

/// Judges a design on every locked seed.
pub fn check_exercise_with(
    exercise: &Exercise,
    design: &Design,
    options: ExerciseCheckOptions,
) -> ExerciseReport {
    let mut run = ExerciseRun::new(exercise, design, options);
    while !run.step(64) {}
    run.report()
}

/// An exercise check in progress: one run per seed, then the shrinks.
#[derive(Debug, Clone)]
pub struct ExerciseRun {
    exercise: String,
    seeds: Vec<u64>,
    design: Design,
    properties: Vec<Property>,
    /// One per locked check, in the exercise's order.
    summaries: Vec<ExerciseCheckSummary>,
    /// The summary row of each property (checks that cannot be judged have no property).
    property_rows: Vec<usize>,
    seeds_done: usize,
    next_to_shrink: usize,
    options: ExerciseCheckOptions,
}

impl ExerciseRun {
    pub fn new(exercise: &Exercise, design: &Design, options: ExerciseCheckOptions) -> ExerciseRun {
        let locked = locked_design(exercise, design);
        let (properties, problems) = compile_check_list(&exercise.checks, &locked);
        let mut summaries = Vec::new();
        let mut property_rows = Vec::new();
        for check in &exercise.checks {
            let description = check
                .spec
                .get("description")
                .and_then(|d| d.as_str())
                .unwrap_or_default()
                .to_string();
            let kind = check
                .spec
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or_default()
                .to_string();
            let mut summary = ExerciseCheckSummary {
                check: check.id.clone(),
                kind: kind.clone(),
                mode: None,
                description,
                expected_failure: check.id == exercise.expected_failure,
                status: Status::Passed,
                runs: 0,
                passed: 0,
                failed: 0,
                undecided: 0,
                first_failing_seed: None,
                failure: None,
                smallest_failing_case: None,
            };
            if let Some(property) = properties.iter().find(|p| p.id == check.id) {
                summary.mode = Some(property.mode);
                property_rows.push(summaries.len());
            } else if let Some(problem) = problems.iter().find(|p| p.check == check.id) {
                summary.status = Status::Failed;
                summary.failure = Some(CheckResult {
                    check: check.id.clone(),
                    kind,
                    mode: Mode::Eventually,
                    status: Status::Failed,
                    deciding_event: None,
                    explanation: format!(
                        "this check cannot be judged on the design: {}",
                        problem.message
                    ),
                    faults: Vec::new(),
                });
            }
            summaries.push(summary);
        }
        ExerciseRun {
            exercise: exercise.id.clone(),
            seeds: exercise.scenario.seeds.clone(),
            design: locked,
            properties,
            summaries,
            property_rows,
            seeds_done: 0,
            next_to_shrink: 0,
            options,
        }
    }

    /// Does at most `budget_runs` runs (at least one when work is left); true when finished.
    pub fn step(&mut self, budget_runs: u32) -> bool {
        let mut budget = budget_runs.max(1);
        while budget > 0 && self.seeds_done < self.seeds.len() {
            self.run_seed(self.seeds[self.seeds_done]);
            self.seeds_done += 1;
            budget -= 1;
        }
        if self.seeds_done < self.seeds.len() {
            return false;
        }
        // A shrink is not sliced further: it is bounded by the checks engine's replay limit.
        while self.options.shrink && budget > 0 && self.next_to_shrink < self.properties.len() {
            self.shrink_next();
            budget -= 1;
        }
        self.is_finished()
    }

    pub fn is_finished(&self) -> bool {
        self.seeds_done >= self.seeds.len()
            && (!self.options.shrink || self.next_to_shrink >= self.properties.len())
    }

    /// Seeds run so far, and how many there are.
    pub fn progress(&self) -> (u32, u32) {
        (self.seeds_done as u32, self.seeds.len() as u32)
    }

    /// The findings so far (complete once `step` returned true).
    pub fn report(&self) -> ExerciseReport {
        ExerciseReport {
            exercise: self.exercise.clone(),
            seeds: self.seeds.clone(),
            passed: self.summaries.iter().all(|s| s.status == Status::Passed),
            checks: self.summaries.clone(),
        }
    }

    fn run_seed(&mut self, seed: u64) {
        let run = simulate(
            &self.design,
            &RunOptions {
                seed: Some(seed),
                ..RunOptions::default()
            },
        );
        for (property, &row) in self.properties.iter().zip(&self.property_rows) {
            let result = evaluate_property(property, &self.design, &run);
            let summary = &mut self.summaries[row];
            summary.runs += 1;
            match result.status {
                Status::Passed => summary.passed += 1,
                Status::Failed => {
                    summary.failed += 1;
                    if summary.first_failing_seed.is_none() {
                        summary.first_failing_seed = Some(seed);
                        summary.failure = Some(result);
                    }
                }
                Status::Undecided => {
                    summary.undecided += 1;
                    if summary.failure.is_none() {
                        summary.failure = Some(result);
                    }
                }
            }
            summary.status = if summary.failed > 0 {
                Status::Failed
            } else if summary.undecided > 0 {
                Status::Undecided
            } else {
                Status::Passed
            };
        }
    }

    fn shrink_next(&mut self) {
        let index = self.next_to_shrink;
        self.next_to_shrink += 1;
        let (Some(property), Some(&row)) =
            (self.properties.get(index), self.property_rows.get(index))
        else {
            return;
        };
        // A lint check is decided on the design alone: no fault can be taken away from it.
        if matches!(property.kind, PropertyKind::Lint { .. }) {
            return;
        }
        if let Some(seed) = self.summaries[row].first_failing_seed {
            self.summaries[row].smallest_failing_case = shrink(&self.design, property, seed);
        }
    }
}
