//! An `if` step's condition is DynamoDB condition syntax, and a condition DynamoDB would refuse
//! (a reserved word such as `data`, a literal, an undefined or unused placeholder) is refused
//! both ways: validation reports it at the step with DynamoDB's message, and a run fails the
//! invocation with that ValidationException instead of silently taking the else branch. The
//! cases are in core/tests/data/conditions/if_cases.json.

use eventlab_core::design::{load_text, validate, Design, Severity};
use eventlab_core::sim::{simulate, Run, RunOptions, TraceKind};
use serde_json::{json, Value};

mod common;

/// A design whose function `f` takes one event (its data has every field the cases read) and
/// records which branch of `step` it took.
fn design_with(step: Value) -> Design {
    let mut decision = step;
    decision["op"] = json!("if");
    decision["then"] = json!([{"op": "put", "table": "branches", "item": {"id": "then"}}]);
    decision["else"] = json!([{"op": "put", "table": "branches", "item": {"id": "else"}}]);
    let design = common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1,
             "data": {"x": 1, "n": 5, "min": 1, "sku": "a-1", "shop": "a", "kind": "M"}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "f"}]}]},
            {"id": "f", "kind": "function", "asyncRetryAttempts": 0, "steps": [decision]},
            {"id": "branches", "kind": "table", "partitionKey": {"name": "id"}}
        ],
        "scenario": {"seed": 1}
    }));
    load_text(&design.to_string())
        .expect("the case design loads")
        .design
}

/// The `invalid-condition` diagnostics validation gives, as `location: message` lines.
fn validation_messages(design: &Design) -> Vec<String> {
    validate(design)
        .into_iter()
        .filter(|d| d.code == "invalid-condition")
        .inspect(|d| assert_eq!(d.severity, Severity::Error))
        .map(|d| format!("{}: {}", d.location, d.message))
        .collect()
}

/// How the run's first invocation of `f` ended: its error, or the branch it took.
fn run_outcome(run: &Run) -> Result<String, String> {
    let finished = run.trace.iter().find_map(|event| match &event.kind {
        TraceKind::InvocationFinished { ok, error, .. } if event.node == "f" => {
            Some((*ok, error.clone()))
        }
        _ => None,
    });
    match finished {
        Some((true, _)) => Ok(run.summary.final_items["branches"][0]["id"]
            .as_str()
            .unwrap_or("no branch")
            .to_string()),
        Some((false, error)) => Err(error.unwrap_or_default()),
        None => Err("f never finished".to_string()),
    }
}

/// Checks one case both ways; `expected` is DynamoDB's message, or null for a valid condition.
fn check(step: Value, expected: &Value) -> Result<(), String> {
    let design = design_with(step);
    let messages = validation_messages(&design);
    let run = simulate(&design, &RunOptions::default());
    let outcome = run_outcome(&run);
    match expected.as_str() {
        Some(message) => {
            let diagnostic = format!("nodes/f/steps/1/condition: {message}");
            if messages != vec![diagnostic.clone()] {
                return Err(format!(
                    "validation gave {messages:?}, expected [{diagnostic}]"
                ));
            }
            let error = format!("ValidationException: {message}");
            if outcome != Err(error.clone()) {
                return Err(format!("the run gave {outcome:?}, expected Err({error})"));
            }
        }
        None => {
            if !messages.is_empty() {
                return Err(format!("validation gave {messages:?}, expected none"));
            }
            if outcome.is_err() {
                return Err(format!("the run gave {outcome:?}, expected a branch"));
            }
        }
    }
    Ok(())
}

// Every case is reported by validation at the step's condition and by the run as the
// invocation's ValidationException, in DynamoDB's words, or by neither when it is valid.
#[test]
fn if_conditions_are_refused_as_dynamodb_refuses_them() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("data/conditions/if_cases.json")).expect("JSON");
    let mut failures = Vec::new();
    for case in &cases {
        let mut step = json!({"condition": case["condition"]});
        for field in ["names", "values"] {
            if let Some(map) = case.get(field) {
                step[field] = map.clone();
            }
        }
        if let Err(problem) = check(step, &case["expected"]) {
            failures.push(format!("{}: {problem}", case["name"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// With the reserved word behind a #name the condition reads the event's data and both
// branches are taken as the data says (the fix a validation error points the author to).
#[test]
fn the_placeholder_form_takes_the_branch_the_data_decides() {
    let holds = json!({"condition": "#d.x = :y", "names": {"#d": "data"}, "values": {":y": 1}});
    let fails = json!({"condition": "#d.x = :y", "names": {"#d": "data"}, "values": {":y": 2}});
    for (step, branch) in [(holds, "then"), (fails, "else")] {
        let design = design_with(step);
        assert!(validation_messages(&design).is_empty());
        let run = simulate(&design, &RunOptions::default());
        assert_eq!(run_outcome(&run), Ok(branch.to_string()));
    }
}

// A refused condition nested in another `if`'s branch is located at its own step, and a
// failing invocation is retried as any thrown error is (no branch is ever written).
#[test]
fn a_nested_refused_condition_is_located_and_retried() {
    let inner = json!({"op": "if", "condition": "data.x = :y", "values": {":y": 1},
        "then": [{"op": "put", "table": "branches", "item": {"id": "inner"}}]});
    let mut design =
        design_with(json!({"condition": "attribute_exists(#d)", "names": {"#d": "data"}}));
    if let Some(eventlab_core::design::NodeKind::Function(function)) = design
        .nodes
        .iter_mut()
        .find(|n| n.id == "f")
        .map(|n| &mut n.kind)
    {
        function.async_retry_attempts = 2;
        if let Some(eventlab_core::design::Step::If(outer)) = function.steps.first_mut() {
            outer.then = vec![serde_json::from_value(inner).expect("an if step")];
        }
    }
    assert_eq!(
        validation_messages(&design),
        vec!["nodes/f/steps/1/then/1/condition: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: data"]
    );
    let run = simulate(&design, &RunOptions::default());
    let failed = run
        .trace
        .iter()
        .filter(|e| matches!(&e.kind, TraceKind::InvocationFinished { ok: false, error: Some(error), .. }
            if error.starts_with("ValidationException: Invalid ConditionExpression: Attribute name is a reserved keyword")))
        .count();
    assert_eq!(
        failed, 3,
        "the first attempt and Lambda's two async retries"
    );
    assert!(run
        .summary
        .final_items
        .get("branches")
        .is_none_or(|items| items.is_empty()));
}
