//! Loading an exercise refuses an incoherent one with a message naming the file, and judging
//! a design that lost what a check names fails that check with the reason instead of erroring.

use eventlab_core::check::Status;
use eventlab_core::exercise::{
    check_exercise, check_exercise_with, find, load_exercise, ExerciseCheckOptions, ExerciseFiles,
};
use serde_json::{json, Value};

const FOLDER: &str = "05-duplicates";
const EXERCISE: &str = include_str!("../../exercises/05-duplicates/exercise.json");
const BRIEF: &str = include_str!("../../exercises/05-duplicates/brief.md");
const START: &str = include_str!("../../exercises/05-duplicates/start.json");
const SOLUTION: &str = include_str!("../../exercises/05-duplicates/solution.json");

/// The one boundary: `exercise.json` changed by `edit`, and the error expected (or none).
fn check(edit: impl Fn(&mut Value), expected_error: Option<&str>) {
    let mut document: Value = serde_json::from_str(EXERCISE).unwrap();
    edit(&mut document);
    let text = document.to_string();
    let loaded = load_exercise(&ExerciseFiles {
        folder: FOLDER,
        exercise: &text,
        brief: BRIEF,
        start: START,
        solution: SOLUTION,
    });
    match (loaded, expected_error) {
        (Ok(_), None) => {}
        (Err(error), Some(expected)) => {
            let message = error.to_string();
            assert!(
                message.starts_with("05-duplicates/exercise.json: "),
                "{message}"
            );
            assert!(
                message.contains(expected),
                "{message} should contain {expected}"
            );
        }
        (Ok(_), Some(expected)) => panic!("loaded, expected an error with {expected}"),
        (Err(error), None) => panic!("{error}"),
    }
}

#[test]
fn incoherent_exercises_are_refused() {
    // Each case breaks one rule of docs/exercise-format.md; the untouched file loads.
    check(|_| {}, None);
    check(
        |d| {
            let expected = d.as_object_mut().and_then(|o| o.remove("expectedFailure"));
            d["expected_failure"] = expected.unwrap_or_default();
        },
        None,
    );
    check(
        |d| d["scenario"]["seeds"] = json!([]),
        Some("scenario.seeds lists 0 seeds"),
    );
    check(
        |d| d["expectedFailure"] = json!("nope"),
        Some("expectedFailure names 'nope', which is not one of its checks"),
    );
    check(
        |d| d["lockedNodes"] = json!(["ghost"]),
        Some("lockedNodes names 'ghost', which start.json does not have"),
    );
    check(|d| d["hints"] = json!([]), Some("at least one hint"));
    check(|d| d["checks"] = json!([]), Some("at least one check"));
    check(
        |d| d["colour"] = json!("red"),
        Some("unknown field `colour`"),
    );
    check(|d| d["order"] = json!("five"), Some("invalid type"));
}

#[test]
fn a_start_or_solution_that_is_not_a_design_is_refused() {
    // A broken design file is named in the error.
    let loaded = load_exercise(&ExerciseFiles {
        folder: FOLDER,
        exercise: EXERCISE,
        brief: BRIEF,
        start: "[1, 2]",
        solution: SOLUTION,
    });
    let message = loaded.map(|_| ()).unwrap_err().to_string();
    assert!(
        message.starts_with("05-duplicates/start.json: a design must be a JSON object"),
        "{message}"
    );
}

#[test]
fn a_check_on_a_deleted_node_fails_with_the_reason() {
    // The solution without its orders table (not a locked node): the check that names the
    // table fails with the reason instead of the whole report erroring.
    let exercise = find("lost-update").unwrap().unwrap();
    let mut design = exercise.solution.clone();
    design.nodes.retain(|n| n.id != "orders");
    let report = check_exercise(&exercise, &design);
    assert!(!report.passed);
    let summary = &report.checks[0];
    assert_eq!(summary.status, Status::Failed);
    assert_eq!(summary.runs, 0);
    let explanation = &summary.failure.as_ref().unwrap().explanation;
    assert_eq!(
        explanation,
        "this check cannot be judged on the design: 'table' names orders, which is not in the design"
    );
}

#[test]
fn shrinking_explains_the_first_failure_with_the_faults_it_needs() {
    // With shrinking on, the failing check carries its smallest case; lint checks are decided
    // on the design alone and are not shrunk.
    let exercise = find("duplicates").unwrap().unwrap();
    let report = check_exercise_with(
        &exercise,
        &exercise.start,
        ExerciseCheckOptions { shrink: true },
    );
    let charged = &report.checks[0];
    assert_eq!(charged.check, "charged-once");
    assert!(charged.expected_failure);
    let case = charged.smallest_failing_case.as_ref().unwrap();
    assert_eq!(Some(case.seed), charged.first_failing_seed);
    assert!(
        case.explanation.contains("Payment provider acted twice"),
        "{}",
        case.explanation
    );
    let lean = find("01-lean-events").unwrap().unwrap();
    let report = check_exercise_with(&lean, &lean.start, ExerciseCheckOptions { shrink: true });
    assert_eq!(report.checks[0].status, Status::Failed);
    assert!(report.checks[0].smallest_failing_case.is_none());
}
