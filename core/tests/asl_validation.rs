//! Definition validation and hostile definitions: a table of rejected definitions with the
//! diagnostics AWS gives (core/tests/data/asl/validation_cases.json), then cycles, 10,000
//! states, deep nesting and arbitrary JSON, which must give diagnostics or bounded runs,
//! never a panic or a hang.

use std::sync::Arc;

use eventlab_core::asl::mock::{run_with_mocks, Mocks};
use eventlab_core::asl::{Definition, ExecutionOptions, ExecutionStatus};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn diagnostics(definition: &Value) -> Value {
    match Definition::parse(definition) {
        Ok(_) => json!([]),
        Err(found) => serde_json::to_value(found).expect("diagnostics serialize"),
    }
}

// Every case gives exactly the expected diagnostics (code, location, message), in order.
#[test]
fn validation_table() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("data/asl/validation_cases.json")).expect("JSON");
    let mut failures = Vec::new();
    for case in &cases {
        let got = diagnostics(&case["definition"]);
        if got != case["expected"] {
            failures.push(format!(
                "{}:\n  expected {}\n  got      {got}",
                case["name"], case["expected"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// A loop without Wait is bounded by the 25,000-event history limit and fails with a clear
// States.Runtime cause instead of hanging.
#[test]
fn a_cycle_without_wait_ends_at_the_history_limit() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.again", "BooleanEquals": true, "Next": "Spin"}], "Default": "Done"},
        "Spin": {"Type": "Pass", "Next": "C"},
        "Done": {"Type": "Succeed"}}});
    let definition = Arc::new(Definition::parse(&definition).expect("valid"));
    let execution = run_with_mocks(
        definition,
        json!({"again": true}),
        ExecutionOptions::default(),
        &Mocks::default(),
    );
    let result = execution.result().expect("finished");
    assert_eq!(result.status, ExecutionStatus::Failed);
    assert_eq!(result.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        result.cause.as_deref(),
        Some("The execution reached the maximum number of history events (25000).")
    );
    assert_eq!(execution.history().len(), 25_001);
}

// A chain of 10,000 Pass states validates and runs to the end without deep recursion.
#[test]
fn ten_thousand_states_validate_and_run() {
    let mut states = Map::new();
    for index in 0..10_000 {
        let state = if index == 9_999 {
            json!({"Type": "Pass", "End": true})
        } else {
            json!({"Type": "Pass", "Next": format!("S{}", index + 1)})
        };
        states.insert(format!("S{index}"), state);
    }
    let definition = Definition::parse(&json!({"StartAt": "S0", "States": states})).expect("valid");
    assert_eq!(definition.state_count(), 10_000);
    let options = ExecutionOptions {
        max_history_events: 25_000,
        ..ExecutionOptions::default()
    };
    let execution = run_with_mocks(
        Arc::new(definition),
        json!({"n": 1}),
        options,
        &Mocks::default(),
    );
    assert_eq!(execution.status(), ExecutionStatus::Succeeded);
    assert_eq!(execution.history().len(), 20_002);
}

fn nested_parallel(depth: usize) -> Value {
    let mut inner = json!({"StartAt": "Leaf", "States": {"Leaf": {"Type": "Pass", "Result": "deep", "End": true}}});
    for _ in 0..depth {
        inner = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [inner], "End": true}}});
    }
    inner
}

// Parallel nested 20 deep runs; nesting past the checked depth limit is a diagnostic, not a
// stack overflow.
#[test]
fn deep_parallel_nesting_is_bounded() {
    let twenty = Definition::parse(&nested_parallel(20)).expect("20 levels are fine");
    let execution = run_with_mocks(
        Arc::new(twenty),
        json!({}),
        ExecutionOptions::default(),
        &Mocks::default(),
    );
    let mut expected = json!("deep");
    for _ in 0..20 {
        expected = json!([expected]);
    }
    assert_eq!(
        execution.result().and_then(|r| r.output.clone()),
        Some(expected)
    );
    let found = diagnostics(&nested_parallel(300));
    assert_eq!(
        found[0]["message"],
        json!("The definition nests deeper than 128 levels, EventLab's limit")
    );
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        prop_oneof![
            Just("$"),
            Just("$.a"),
            Just("$$.Execution"),
            Just("States.ALL"),
            Just("A"),
            Just("B"),
            Just("Pass"),
            Just("Task"),
            Just("Choice"),
            Just("Map"),
            Just("Parallel"),
            Just("Wait"),
            Just("States.Format('{}', $.a)"),
            Just("arn:aws:lambda:us-east-1:1:function:f")
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        let keys = prop_oneof![
            Just("StartAt"),
            Just("States"),
            Just("Type"),
            Just("Next"),
            Just("End"),
            Just("A"),
            Just("B"),
            Just("Choices"),
            Just("Variable"),
            Just("Branches"),
            Just("ItemProcessor"),
            Just("Retry"),
            Just("Catch"),
            Just("ErrorEquals"),
            Just("Parameters"),
            Just("x.$"),
            Just("ResultPath"),
            Just("Seconds"),
            Just("Default"),
            Just("Resource")
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys, inner), 0..6).prop_map(|pairs| Value::Object(
                pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

/// A valid definition with one field replaced by arbitrary JSON.
fn mutated_photo() -> impl Strategy<Value = Value> {
    let photo: Value = serde_json::from_str(include_str!("data/asl/photo.asl.json")).expect("JSON");
    let fields = [
        "ResultPath",
        "Parameters",
        "Retry",
        "Catch",
        "Next",
        "Type",
        "Branches",
        "ResultSelector",
        "End",
        "Resource",
    ];
    let states = [
        "ProcessPhoto",
        "PublishPhotoReady",
        "CompensateUpload",
        "PhotoFailed",
    ];
    (
        prop::sample::select(states.to_vec()),
        prop::sample::select(fields.to_vec()),
        arbitrary_json(),
    )
        .prop_map(move |(state, field, value)| {
            let mut definition = photo.clone();
            definition["States"][state][field] = value;
            definition
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    // Arbitrary JSON never panics the validator, and whatever validates runs to an end.
    #[test]
    fn arbitrary_definitions_never_panic(definition in prop_oneof![arbitrary_json(), mutated_photo()], input in arbitrary_json()) {
        if let Ok(parsed) = Definition::parse(&definition) {
            let execution = run_with_mocks(Arc::new(parsed), input, ExecutionOptions::default(), &Mocks::default());
            prop_assert!(execution.result().is_some());
        }
    }
}
