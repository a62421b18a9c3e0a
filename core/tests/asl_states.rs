//! Every state type and the JSONPath input/output processing: a table of single-state cases
//! (core/tests/data/asl/io_cases.json) for InputPath, Parameters, intrinsics, ResultSelector,
//! ResultPath and OutputPath, then one test per state type's own behaviour.

use std::sync::Arc;

use eventlab_core::asl::mock::{run_with_mocks, Mocks};
use eventlab_core::asl::{
    Action, Definition, Execution, ExecutionOptions, ExecutionStatus, TaskOutcome, TaskToken,
};
use serde_json::{json, Value};

fn parse(definition: &Value) -> Arc<Definition> {
    Arc::new(Definition::parse(definition).unwrap_or_else(|d| panic!("definition rejected: {d:?}")))
}

fn run(definition: Value, input: Value, mocks: Value) -> Execution {
    run_with_mocks(
        parse(&definition),
        input,
        ExecutionOptions::default(),
        &Mocks::from_json(&mocks).expect("mocks"),
    )
}

/// `{"output": V}` when the execution succeeded, `{"error": NAME}` when it failed.
fn outcome(execution: &Execution) -> Value {
    let result = execution.result().expect("finished");
    match result.status {
        ExecutionStatus::Succeeded => json!({"output": result.output}),
        _ => json!({"error": result.error}),
    }
}

fn check(case: &Value) -> Option<String> {
    let mut state = case["state"].clone();
    state["End"] = json!(true);
    let definition = json!({"StartAt": "S", "States": {"S": state}});
    let mocks = case.get("mock").map_or(json!({}), |m| json!({"S": [m]}));
    let got = outcome(&run(definition, case["input"].clone(), mocks));
    (got != case["expected"])
        .then(|| format!("{}: expected {}, got {got}", case["name"], case["expected"]))
}

// Every input/output processing case gives AWS's output or error.
#[test]
fn input_output_processing_table() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("data/asl/io_cases.json")).expect("JSON");
    let failures: Vec<String> = cases.iter().filter_map(check).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn times(execution: &Execution, kind: &str) -> Vec<u64> {
    execution
        .history()
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.timestamp_ms)
        .collect()
}

// Wait with Seconds, SecondsPath, Timestamp and TimestampPath resumes at the right virtual time,
// and a bad SecondsPath value is States.Runtime.
#[test]
fn wait_states_resume_at_the_right_time() {
    let wait = |field: &str, value: Value| json!({"StartAt": "W", "States": {"W": {"Type": "Wait", field: value, "End": true}}});
    let input = json!({"s": 7, "t": "1970-01-01T00:01:00Z", "bad": "soon"});
    assert_eq!(
        times(
            &run(wait("Seconds", json!(3)), input.clone(), json!({})),
            "WaitStateExited"
        ),
        vec![3000]
    );
    assert_eq!(
        times(
            &run(wait("SecondsPath", json!("$.s")), input.clone(), json!({})),
            "WaitStateExited"
        ),
        vec![7000]
    );
    assert_eq!(
        times(
            &run(
                wait("Timestamp", json!("1970-01-01T00:00:42Z")),
                input.clone(),
                json!({})
            ),
            "WaitStateExited"
        ),
        vec![42_000]
    );
    assert_eq!(
        times(
            &run(
                wait("TimestampPath", json!("$.t")),
                input.clone(),
                json!({})
            ),
            "WaitStateExited"
        ),
        vec![60_000]
    );
    let bad = run(wait("SecondsPath", json!("$.bad")), input, json!({}));
    assert_eq!(outcome(&bad), json!({"error": "States.Runtime"}));
}

// Succeed ends the execution with its (filtered) input; Fail with its Error and Cause, literal
// or read by ErrorPath/CausePath.
#[test]
fn succeed_and_fail_end_the_execution() {
    let succeed = run(
        json!({"StartAt": "S", "States": {"S": {"Type": "Succeed", "OutputPath": "$.a"}}}),
        json!({"a": 1}),
        json!({}),
    );
    assert_eq!(outcome(&succeed), json!({"output": 1}));
    let fail = run(
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Bad", "Cause": "why"}}}),
        json!({}),
        json!({}),
    );
    assert_eq!(
        fail.result().map(|r| (r.error.clone(), r.cause.clone())),
        Some((Some("Bad".into()), Some("why".into())))
    );
    let by_path = run(
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}}),
        json!({"e": "Dyn", "c": "from input"}),
        json!({}),
    );
    assert_eq!(
        by_path.result().map(|r| (r.error.clone(), r.cause.clone())),
        Some((Some("Dyn".into()), Some("from input".into())))
    );
    assert_eq!(
        by_path.history().last().map(|e| e.kind.as_str()),
        Some("ExecutionFailed")
    );
}

// Parallel gives its branches' outputs in branch order, whatever order they finish in.
#[test]
fn parallel_outputs_are_in_branch_order() {
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 5, "Next": "A"}, "A": {"Type": "Pass", "Result": "first", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "second", "End": true}}}
    ]}}});
    let execution = run(definition, json!({}), json!({}));
    assert_eq!(outcome(&execution), json!({"output": ["first", "second"]}));
    assert_eq!(times(&execution, "ParallelStateSucceeded"), vec![5000]);
}

// Map runs one iteration per item at ItemsPath, with ItemSelector reading $$.Map.Item, and
// returns the outputs in item order; MaxConcurrency 1 runs the items one after another.
#[test]
fn map_iterates_items_in_order() {
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.photos", "MaxConcurrency": 1,
        "ItemSelector": {"index.$": "$$.Map.Item.Index", "photo.$": "$$.Map.Item.Value", "album.$": "$.album"},
        "ItemProcessor": {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 1, "End": true}}}, "End": true}}});
    let execution = run(
        definition,
        json!({"album": "a1", "photos": ["p0", "p1", "p2"]}),
        json!({}),
    );
    assert_eq!(
        outcome(&execution),
        json!({"output": [
        {"index": 0, "photo": "p0", "album": "a1"}, {"index": 1, "photo": "p1", "album": "a1"}, {"index": 2, "photo": "p2", "album": "a1"}]})
    );
    assert_eq!(
        times(&execution, "MapIterationStarted"),
        vec![0, 1000, 2000]
    );
}

// The legacy Iterator and Parameters spellings of Map still work.
#[test]
fn map_accepts_legacy_iterator_and_parameters() {
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "Parameters": {"v.$": "$$.Map.Item.Value"},
        "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    assert_eq!(
        outcome(&run(definition, json!([1, 2]), json!({}))),
        json!({"output": [{"v": 1}, {"v": 2}]})
    );
}

// A Map whose ItemsPath is not an array fails with States.Runtime.
#[test]
fn map_needs_an_array() {
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    assert_eq!(
        outcome(&run(definition, json!({"not": "array"}), json!({}))),
        json!({"error": "States.Runtime"})
    );
}

// A Task parks until completed: advance returns the invocation (with the .waitForTaskToken
// token in its parameters), nothing happens until complete_task, and the token round-trips
// through its text form.
#[test]
fn task_waits_for_its_completion() {
    let definition = json!({"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "id.$": "$.id"}}, "End": true}}});
    let mut execution = Execution::start(
        parse(&definition),
        json!({"id": 3}),
        ExecutionOptions::default(),
        100,
    );
    let actions = execution.advance(100);
    let [Action::InvokeTask(task)] = actions.as_slice() else {
        panic!("one invocation expected, got {actions:?}")
    };
    let text = task.parameters["MessageBody"]["token"]
        .as_str()
        .expect("token text");
    assert_eq!(TaskToken::parse(text), Some(("execution", task.token)));
    assert_eq!(task.attempt, 1);
    assert!(
        execution.advance(50_000).is_empty(),
        "nothing to do while the task is out"
    );
    execution
        .complete_task(
            task.token,
            TaskOutcome::Succeeded(json!({"approved": true})),
            60_000,
        )
        .expect("outstanding");
    let finished = execution.advance(60_000);
    assert!(
        matches!(finished.as_slice(), [Action::Finished(r)] if r.output == Some(json!({"approved": true})))
    );
    assert_eq!(times(&execution, "TaskSucceeded"), vec![60_000]);
}

// States.UUID is deterministic for the same execution name and seed, and different per seed.
#[test]
fn uuid_is_deterministic() {
    let definition = parse(
        &json!({"StartAt": "U", "States": {"U": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}, "End": true}}}),
    );
    let uuid = |seed: u64| {
        let options = ExecutionOptions {
            seed,
            ..ExecutionOptions::default()
        };
        let execution = run_with_mocks(
            Arc::clone(&definition),
            json!({}),
            options,
            &Mocks::default(),
        );
        execution
            .result()
            .and_then(|r| r.output.clone())
            .expect("output")["id"]
            .as_str()
            .expect("text")
            .to_string()
    };
    let first = uuid(1);
    assert_eq!(first, uuid(1));
    assert_ne!(first, uuid(2));
    assert_eq!(first.len(), 36);
    assert_eq!(&first[14..15], "4");
}

// Export gives back exactly the imported JSON, field order included.
#[test]
fn export_round_trips_the_definition() {
    let text = include_str!("data/asl/photo.asl.json");
    let source: Value = serde_json::from_str(text).expect("JSON");
    let definition = Definition::parse(&source).expect("valid");
    assert_eq!(definition.to_json(), &source);
    let again: Value =
        serde_json::from_str(&serde_json::to_string(definition.to_json()).expect("text"))
            .expect("JSON");
    assert_eq!(
        serde_json::to_string(&again).ok(),
        serde_json::to_string(&source).ok()
    );
}
