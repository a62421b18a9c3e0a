//! Standard versus Express: the same injected "state lost after this task" fault re-runs the
//! work in an Express execution (visible in its history) and changes nothing in a Standard one.

use std::sync::Arc;

use eventlab_core::asl::mock::{run_with_mocks, Mocks};
use eventlab_core::asl::{Definition, Execution, ExecutionKind, ExecutionOptions, ExecutionStatus};
use serde_json::json;

fn order_flow(kind: ExecutionKind) -> Execution {
    let definition = json!({"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "ResultPath": "$.charge", "Next": "Ship"},
        "Ship": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship", "ResultPath": "$.shipment", "End": true}}});
    let definition = Arc::new(Definition::parse(&definition).expect("valid"));
    let options = ExecutionOptions {
        kind,
        express_restart_after: vec!["Ship".into()],
        ..ExecutionOptions::default()
    };
    let mocks = Mocks::from_json(
        &json!({"Charge": [{"result": "charged"}], "Ship": [{"result": "shipped"}]}),
    )
    .expect("mocks");
    run_with_mocks(definition, json!({"order": 1}), options, &mocks)
}

fn scheduled(execution: &Execution) -> Vec<String> {
    execution
        .history()
        .iter()
        .filter(|e| e.kind == "TaskScheduled")
        .filter_map(|e| e.state.clone())
        .collect()
}

// Standard runs each task once; Express, losing its state after Ship succeeded, restarts and
// charges the customer twice: the lesson of at-least-once execution.
#[test]
fn express_reruns_tasks_after_a_restart_and_standard_does_not() {
    let standard = order_flow(ExecutionKind::Standard);
    let express = order_flow(ExecutionKind::Express);
    assert_eq!(scheduled(&standard), vec!["Charge", "Ship"]);
    assert_eq!(
        scheduled(&express),
        vec!["Charge", "Ship", "Charge", "Ship"]
    );
    assert!(express
        .history()
        .iter()
        .any(|e| e.kind == "ExecutionRestarted"));
    assert!(!standard
        .history()
        .iter()
        .any(|e| e.kind == "ExecutionRestarted"));
    for execution in [&standard, &express] {
        assert_eq!(execution.status(), ExecutionStatus::Succeeded);
        assert_eq!(
            execution.result().and_then(|r| r.output.clone()),
            Some(json!({"order": 1, "charge": "charged", "shipment": "shipped"}))
        );
    }
}

// restart_express is refused for Standard executions; Express executions stop after 5 minutes.
#[test]
fn express_limits() {
    let definition = Arc::new(Definition::parse(&json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": true}}})).expect("valid"));
    let mut standard = Execution::start(
        Arc::clone(&definition),
        json!({}),
        ExecutionOptions::default(),
        0,
    );
    assert!(!standard.restart_express(0));
    let express_options = ExecutionOptions {
        kind: ExecutionKind::Express,
        ..ExecutionOptions::default()
    };
    let express = run_with_mocks(definition, json!({}), express_options, &Mocks::default());
    assert_eq!(express.status(), ExecutionStatus::TimedOut);
    assert_eq!(
        express.history().last().map(|e| e.timestamp_ms),
        Some(300_000)
    );
}

// An Express state machine may not use .waitForTaskToken, as AWS's validation says.
#[test]
fn express_rejects_callbacks() {
    let definition = Definition::parse(&json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}})).expect("valid for Standard");
    let found = definition.express_diagnostics();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].location, "/States/T/Resource");
    assert_eq!(
        found[0].message,
        "Express state machine does not support '.waitForTaskToken' service integration "
    );
}
