//! Choice rules against a table of cases (core/tests/data/asl/choice_cases.json): every
//! comparison operator, every `…Path` variant, the type tests and the composites, each run
//! through a real execution so routing and runtime errors are what is checked.

use std::collections::BTreeSet;
use std::sync::Arc;

use eventlab_core::asl::mock::{run_with_mocks, Mocks};
use eventlab_core::asl::{Definition, ExecutionOptions, ExecutionStatus};
use serde_json::{json, Value};

/// Runs a Choice with `rule` on `input`; returns "true"/"false" for the branch taken, or the
/// error name when the execution failed.
fn route(rule: &Value, input: &Value) -> String {
    let mut rule = rule.clone();
    rule["Next"] = json!("Yes");
    let definition = json!({
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [rule], "Default": "No"},
            "Yes": {"Type": "Pass", "Result": true, "End": true},
            "No": {"Type": "Pass", "Result": false, "End": true}
        }
    });
    let definition =
        Definition::parse(&definition).unwrap_or_else(|d| panic!("definition rejected: {d:?}"));
    let execution = run_with_mocks(
        Arc::new(definition),
        input.clone(),
        ExecutionOptions::default(),
        &Mocks::default(),
    );
    let result = execution.result().expect("finished");
    match result.status {
        ExecutionStatus::Succeeded => result.output.clone().unwrap_or_default().to_string(),
        _ => result.error.clone().unwrap_or_default(),
    }
}

fn cases() -> Vec<Value> {
    let text = include_str!("data/asl/choice_cases.json");
    serde_json::from_str::<Vec<Value>>(text).expect("choice cases are JSON")
}

// Every case in the table routes (or fails) as AWS does.
#[test]
fn choice_operator_table() {
    let mut failures = Vec::new();
    for case in cases() {
        let expected = match &case["expected"] {
            Value::String(error) => error.clone(),
            other => other.to_string(),
        };
        let got = route(&case["rule"], &case["input"]);
        if got != expected {
            failures.push(format!("{}: expected {expected}, got {got}", case["name"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// The table covers every operator and every Path variant, so none goes untested.
#[test]
fn choice_table_covers_every_operator() {
    let comparisons = [
        "StringEquals",
        "StringLessThan",
        "StringGreaterThan",
        "StringLessThanEquals",
        "StringGreaterThanEquals",
        "NumericEquals",
        "NumericLessThan",
        "NumericGreaterThan",
        "NumericLessThanEquals",
        "NumericGreaterThanEquals",
        "BooleanEquals",
        "TimestampEquals",
        "TimestampLessThan",
        "TimestampGreaterThan",
        "TimestampLessThanEquals",
        "TimestampGreaterThanEquals",
    ];
    let mut wanted: BTreeSet<String> = comparisons
        .iter()
        .flat_map(|c| [c.to_string(), format!("{c}Path")])
        .collect();
    wanted.extend(
        [
            "StringMatches",
            "IsNull",
            "IsPresent",
            "IsNumeric",
            "IsString",
            "IsBoolean",
            "IsTimestamp",
            "And",
            "Or",
            "Not",
        ]
        .map(String::from),
    );
    let mut seen = BTreeSet::new();
    let mut stack: Vec<Value> = cases().into_iter().map(|c| c["rule"].clone()).collect();
    while let Some(rule) = stack.pop() {
        if let Value::Object(object) = &rule {
            for (key, value) in object {
                seen.insert(key.clone());
                match value {
                    Value::Array(items) => stack.extend(items.iter().cloned()),
                    Value::Object(_) => stack.push(value.clone()),
                    _ => {}
                }
            }
        }
    }
    let missing: Vec<_> = wanted.difference(&seen).collect();
    assert!(missing.is_empty(), "operators without a case: {missing:?}");
}

// No rule matching and no Default fails the execution with States.NoChoiceMatched.
#[test]
fn no_choice_matched_fails_the_execution() {
    let definition = json!({
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": 1, "Next": "Done"}]},
            "Done": {"Type": "Succeed"}
        }
    });
    let definition = Arc::new(Definition::parse(&definition).expect("valid"));
    let execution = run_with_mocks(
        definition,
        json!({"a": 2}),
        ExecutionOptions::default(),
        &Mocks::default(),
    );
    let result = execution.result().expect("finished");
    assert_eq!(result.status, ExecutionStatus::Failed);
    assert_eq!(result.error.as_deref(), Some("States.NoChoiceMatched"));
}

// A missing Variable fails with States.Runtime and AWS's cause naming the state and path.
#[test]
fn missing_variable_cause_names_state_and_path() {
    let definition = json!({
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.nope", "StringEquals": "x", "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}
        }
    });
    let definition = Arc::new(Definition::parse(&definition).expect("valid"));
    let execution = run_with_mocks(
        definition,
        json!({}),
        ExecutionOptions::default(),
        &Mocks::default(),
    );
    let result = execution.result().expect("finished");
    assert_eq!(result.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        result.cause.as_deref(),
        Some("An error occurred while executing the state 'C' (entered at the event id #2). Invalid path '$.nope': The choice state's condition path references an invalid value.")
    );
}
