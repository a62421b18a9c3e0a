//! The workshop's exercises, proved one by one: each starting design fails the check its brief
//! is about, even with its own faults and checks removed or its workload deleted; each
//! reference solution passes every locked check on every locked seed; both designs validate
//! without errors; and the embedded catalog is exactly the folders of `exercises/`.

use std::path::PathBuf;

use eventlab_core::check::Status;
use eventlab_core::design::{validate, Design, NodeKind, Scenario, Severity};
use eventlab_core::exercise::{
    builtin, builtin_files, check_exercise, load_exercises_dir, locked_design, Exercise,
    ExerciseReport,
};
use eventlab_core::sim::{simulate, RunOptions};

fn exercises_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../exercises")
}

fn all_exercises() -> Vec<Exercise> {
    load_exercises_dir(&exercises_dir()).unwrap_or_else(|e| panic!("{e}"))
}

/// The status of one check in a report.
fn status_of(report: &ExerciseReport, check: &str) -> Status {
    report
        .checks
        .iter()
        .find(|c| c.check == check)
        .map(|c| c.status)
        .unwrap_or_else(|| panic!("{} has no check {check}", report.exercise))
}

/// The one boundary: an exercise and a design in, whether its expected failure fails and
/// whether everything passed out.
fn check(exercise: &Exercise, design: &Design, what: &str, expect_pass: bool) {
    let report = check_exercise(exercise, design);
    let expected = status_of(&report, &exercise.expected_failure);
    if expect_pass {
        assert!(
            report.passed,
            "{} {what}: the reference solution must pass every check on every seed: {:#?}",
            exercise.folder, report.checks
        );
    } else {
        assert_eq!(
            expected,
            Status::Failed,
            "{} {what}: must fail {}: {:#?}",
            exercise.folder,
            exercise.expected_failure,
            report.checks
        );
    }
}

fn errors_of(design: &Design) -> Vec<String> {
    validate(design)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_line())
        .collect()
}

#[test]
fn every_exercise_fails_at_the_start_and_passes_with_its_solution() {
    // The heart of the curriculum: the start fails the check its brief is about, the solution
    // passes everything, and neither has an error-severity diagnostic.
    let exercises = all_exercises();
    assert!(!exercises.is_empty(), "no exercises found");
    for exercise in &exercises {
        assert_eq!(
            errors_of(&exercise.start),
            Vec::<String>::new(),
            "{} start",
            exercise.folder
        );
        assert_eq!(
            errors_of(&exercise.solution),
            Vec::<String>::new(),
            "{} solution",
            exercise.folder
        );
        check(exercise, &exercise.start, "start", false);
        check(exercise, &exercise.solution, "solution", true);
    }
}

#[test]
fn the_locked_scenario_and_workload_cannot_be_removed() {
    // Stripping the starting design's own faults and checks, or deleting its locked nodes (the
    // workload among them), does not turn it green: the exercise brings them back.
    for exercise in &all_exercises() {
        let mut stripped = exercise.start.clone();
        stripped.scenario = Scenario::default();
        stripped.checks.clear();
        check(
            exercise,
            &stripped,
            "start without its scenario and checks",
            false,
        );
        let mut emptied = stripped.clone();
        emptied
            .nodes
            .retain(|n| !exercise.locked_nodes.contains(&n.id));
        for node in &mut emptied.nodes {
            if let NodeKind::Producer(producer) = &mut node.kind {
                producer.count = producer.count.min(1);
            }
        }
        let locked = locked_design(exercise, &emptied);
        assert_eq!(locked.checks, exercise.checks, "{}", exercise.folder);
        assert_eq!(
            locked.scenario.faults, exercise.scenario.faults,
            "{}",
            exercise.folder
        );
        for id in &exercise.locked_nodes {
            let original = exercise.start.nodes.iter().find(|n| &n.id == id);
            let restored = locked.nodes.iter().find(|n| &n.id == id);
            assert_eq!(restored, original, "{}: locked node {id}", exercise.folder);
        }
    }
}

#[test]
fn every_producer_is_locked_where_a_run_decides() {
    // An exercise judged by runs locks its workload, so shrinking it cannot make a run vacuous.
    for exercise in &all_exercises() {
        let judged_by_runs = exercise
            .checks
            .iter()
            .any(|c| c.spec.get("kind").and_then(|k| k.as_str()) != Some("lint"));
        let lint_only_goal = exercise
            .checks
            .iter()
            .find(|c| c.id == exercise.expected_failure)
            .and_then(|c| c.spec.get("kind"))
            .and_then(|k| k.as_str())
            == Some("lint");
        if !judged_by_runs || lint_only_goal {
            continue;
        }
        for node in &exercise.start.nodes {
            if let NodeKind::Producer(_) = node.kind {
                assert!(
                    exercise.locked_nodes.contains(&node.id),
                    "{}: producer {} is not locked",
                    exercise.folder,
                    node.id
                );
            }
        }
    }
}

#[test]
fn the_catalog_embeds_exactly_the_exercise_folders_in_order() {
    // A new folder that is not embedded (or an embedded one that was removed) fails here; a
    // folder is named after its order and id, and ids are unique.
    let on_disk: Vec<String> = all_exercises().iter().map(|e| e.folder.clone()).collect();
    let embedded: Vec<String> = builtin_files()
        .iter()
        .map(|f| f.folder.to_string())
        .collect();
    assert_eq!(embedded, on_disk);
    let exercises = builtin().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(exercises.len(), 13, "the workshop has thirteen exercises");
    let mut ids: Vec<&str> = exercises.iter().map(|e| e.id.as_str()).collect();
    for (index, exercise) in exercises.iter().enumerate() {
        assert_eq!(
            exercise.folder,
            format!("{:02}-{}", exercise.order, exercise.id),
            "an exercise's folder is its order and its id"
        );
        if let Some(previous) = index.checked_sub(1).and_then(|i| exercises.get(i)) {
            assert!(previous.order < exercise.order, "{}", exercise.folder);
        }
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), exercises.len(), "exercise ids are unique");
}

#[test]
fn briefs_fit_the_panel_and_hints_progress() {
    // A brief fits the left panel without scrolling (100 to 180 words), there are two or three
    // hints, and the takeaway is there.
    for exercise in &all_exercises() {
        let words = exercise.brief.split_whitespace().count();
        assert!(
            (100..=180).contains(&words),
            "{}: brief has {words} words",
            exercise.folder
        );
        assert!(
            (2..=3).contains(&exercise.hints.len()),
            "{}: {} hints",
            exercise.folder,
            exercise.hints.len()
        );
        assert!(!exercise.learned.is_empty(), "{}", exercise.folder);
    }
}

#[test]
fn exercise_runs_are_deterministic() {
    // The same solution on the same locked seed gives the same trace hash twice.
    for exercise in &all_exercises() {
        let design = locked_design(exercise, &exercise.solution);
        let options = RunOptions::default();
        let first = simulate(&design, &options);
        let second = simulate(&design, &options);
        assert_eq!(first.trace_hash, second.trace_hash, "{}", exercise.folder);
        assert_eq!(
            first.seed,
            exercise.scenario.first_seed(),
            "{}",
            exercise.folder
        );
    }
}
