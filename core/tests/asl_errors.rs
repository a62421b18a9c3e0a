//! Errors, Retry and Catch: timing and counting read from the history timestamps, the
//! documented per-retrier counting, backoff growth and caps, full jitter's determinism, the
//! reserved error names, timeouts and heartbeats, and failures inside branches.

use std::sync::Arc;

use eventlab_core::asl::mock::{run_with_mocks, Mocks};
use eventlab_core::asl::{
    Action, Definition, Execution, ExecutionOptions, ExecutionStatus, TaskOutcome, TokenRejected,
};
use serde_json::{json, Value};

fn parse(definition: Value) -> Arc<Definition> {
    Arc::new(
        Definition::parse(&definition).unwrap_or_else(|d| panic!("definition rejected: {d:?}")),
    )
}

fn run(definition: Value, input: Value, mocks: Value, options: ExecutionOptions) -> Execution {
    let mocks = Mocks::from_json(&mocks).expect("mocks");
    run_with_mocks(parse(definition), input, options, &mocks)
}

/// The virtual times at which events of `kind` happened for `state`.
fn times(execution: &Execution, kind: &str, state: &str) -> Vec<u64> {
    execution
        .history()
        .iter()
        .filter(|e| e.kind == kind && e.state.as_deref() == Some(state))
        .map(|e| e.timestamp_ms)
        .collect()
}

fn task_with(retry: Value, catch: Value) -> Value {
    let mut definition = json!({
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "Retry": retry, "Catch": catch, "Next": "Done"},
            "Z": {"Type": "Pass", "End": true},
            "Done": {"Type": "Succeed"}
        }
    });
    // Without a catcher, Z would be unreachable, which AWS rejects.
    if definition["States"]["T"]["Catch"] == json!([]) {
        definition["States"]
            .as_object_mut()
            .map(|states| states.remove("Z"));
    }
    definition
}

fn errors(names: &[&str]) -> Value {
    Value::Array(
        names
            .iter()
            .map(|n| json!({"error": n, "cause": "mocked"}))
            .collect(),
    )
}

// The AWS documentation's example: errors A, B, C, B, B against R1 {A, B; 1 s; ×2; 2 attempts}
// and R2 {C; 5 s}: waits 1, 2, 5, 4 s, then the fifth error goes to Catch, because the backoff
// exponent counts every visit of R1 while MaxAttempts counts per error name.
#[test]
fn retriers_count_backoff_per_retrier_and_attempts_per_error_name() {
    let retry = json!([
        {"ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 2},
        {"ErrorEquals": ["ErrorC"], "IntervalSeconds": 5}
    ]);
    let catch = json!([{"ErrorEquals": ["States.ALL"], "Next": "Z"}]);
    let execution = run(
        task_with(retry, catch),
        json!({}),
        json!({"T": errors(&["ErrorA", "ErrorB", "ErrorC", "ErrorB", "ErrorB"])}),
        ExecutionOptions::default(),
    );
    assert_eq!(
        times(&execution, "TaskScheduled", "T"),
        vec![0, 1000, 3000, 8000, 12000]
    );
    assert_eq!(times(&execution, "PassStateEntered", "Z"), vec![12000]);
    assert_eq!(execution.status(), ExecutionStatus::Succeeded);
}

// The documented worked example: States.Timeout with 3 s, ×1.5, two attempts retries after 3 s
// and 4.5 s, then the execution fails with States.Timeout (driven by TimeoutSeconds itself).
#[test]
fn task_timeouts_retry_with_fractional_backoff() {
    let definition = json!({
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow", "TimeoutSeconds": 10,
            "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 1.5}], "End": true}}
    });
    let mut execution =
        Execution::start(parse(definition), json!({}), ExecutionOptions::default(), 0);
    let mut now_ms = 0;
    for _ in 0..20 {
        let wake = execution.advance(now_ms).into_iter().find_map(|a| match a {
            Action::WakeAt { at_ms } => Some(at_ms),
            _ => None,
        });
        match wake {
            Some(at_ms) => now_ms = at_ms,
            None => break,
        }
    }
    assert_eq!(
        times(&execution, "TaskScheduled", "T"),
        vec![0, 13_000, 27_500]
    );
    assert_eq!(
        times(&execution, "TaskTimedOut", "T"),
        vec![10_000, 23_000, 37_500]
    );
    let result = execution.result().expect("finished");
    assert_eq!(result.error.as_deref(), Some("States.Timeout"));
}

// Backoff grows geometrically and MaxDelaySeconds caps it: 1, 10, 30, 30 s.
#[test]
fn max_delay_seconds_caps_the_backoff() {
    let retry = json!([{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "BackoffRate": 10, "MaxAttempts": 4, "MaxDelaySeconds": 30}]);
    let execution = run(
        task_with(retry, json!([])),
        json!({}),
        json!({"T": errors(&["Flaky", "Flaky", "Flaky", "Flaky", "Flaky"])}),
        ExecutionOptions::default(),
    );
    assert_eq!(
        times(&execution, "TaskScheduled", "T"),
        vec![0, 1000, 11_000, 41_000, 71_000]
    );
    assert_eq!(
        execution.result().and_then(|r| r.error.clone()).as_deref(),
        Some("Flaky")
    );
}

// MaxAttempts 0 never retries; the default retrier (1 s, ×2, 3 attempts) waits 1, 2, 4 s.
#[test]
fn retry_defaults_and_zero_attempts() {
    let defaults = run(
        task_with(json!([{"ErrorEquals": ["E"]}]), json!([])),
        json!({}),
        json!({"T": errors(&["E"])}),
        ExecutionOptions::default(),
    );
    assert_eq!(
        times(&defaults, "TaskScheduled", "T"),
        vec![0, 1000, 3000, 7000]
    );
    let never = run(
        task_with(json!([{"ErrorEquals": ["E"], "MaxAttempts": 0}]), json!([])),
        json!({}),
        json!({"T": errors(&["E"])}),
        ExecutionOptions::default(),
    );
    assert_eq!(times(&never, "TaskScheduled", "T"), vec![0]);
}

// JitterStrategy FULL draws each delay in [0, computed delay], the same for the same seed, and
// different seeds give different schedules.
#[test]
fn full_jitter_is_deterministic_for_a_seed() {
    let retry = json!([{"ErrorEquals": ["E"], "IntervalSeconds": 10, "MaxAttempts": 3, "JitterStrategy": "FULL"}]);
    let schedule = |seed: u64| {
        let options = ExecutionOptions {
            seed,
            ..ExecutionOptions::default()
        };
        times(
            &run(
                task_with(retry.clone(), json!([])),
                json!({}),
                json!({"T": errors(&["E"])}),
                options,
            ),
            "TaskScheduled",
            "T",
        )
    };
    let first = schedule(7);
    assert_eq!(first, schedule(7));
    let gaps: Vec<u64> = first.windows(2).map(|w| w[1] - w[0]).collect();
    for (gap, cap) in gaps.iter().zip([10_000, 20_000, 40_000]) {
        assert!(*gap <= cap, "jittered delay {gap} above {cap}");
    }
    assert!(
        (1..20).any(|seed| schedule(seed) != first),
        "the seed changes the jitter"
    );
}

// States.Runtime (a Parameters path that does not exist) is neither retried nor caught by
// States.ALL: the execution fails.
#[test]
fn states_runtime_is_not_caught_by_states_all() {
    let definition = json!({
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "Parameters": {"id.$": "$.missing"},
                "Retry": [{"ErrorEquals": ["States.ALL"]}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Z"}], "End": true},
            "Z": {"Type": "Pass", "End": true}
        }
    });
    let execution = run(
        definition,
        json!({"other": 1}),
        json!({}),
        ExecutionOptions::default(),
    );
    let result = execution.result().expect("finished");
    assert_eq!(result.status, ExecutionStatus::Failed);
    assert_eq!(result.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        result.cause.as_deref(),
        Some("An error occurred while executing the state 'T' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'id.$' could not be found in the input '{\"other\":1}'")
    );
    assert!(times(&execution, "TaskScheduled", "T").is_empty());
    assert!(times(&execution, "PassStateEntered", "Z").is_empty());
}

// States.TaskFailed catches any task error but not States.Timeout.
#[test]
fn task_failed_matches_everything_but_timeouts() {
    let catch = json!([{"ErrorEquals": ["States.TaskFailed"], "Next": "Z"}]);
    let caught = run(
        task_with(json!([]), catch.clone()),
        json!({}),
        json!({"T": errors(&["Lambda.Unknown"])}),
        ExecutionOptions::default(),
    );
    assert_eq!(caught.status(), ExecutionStatus::Succeeded);
    let timed_out = run(
        task_with(json!([]), catch),
        json!({}),
        json!({"T": errors(&["States.Timeout"])}),
        ExecutionOptions::default(),
    );
    assert_eq!(
        timed_out.result().and_then(|r| r.error.clone()).as_deref(),
        Some("States.Timeout")
    );
}

// The worked Catch example: the error output lands at the catcher's ResultPath, keeping the
// input; without ResultPath it replaces the input.
#[test]
fn catch_places_the_error_output_at_its_result_path() {
    let definition = |result_path: Value| {
        let mut catcher = json!({"ErrorEquals": ["PaymentDeclined"], "Next": "Refund"});
        if !result_path.is_null() {
            catcher["ResultPath"] = result_path;
        }
        json!({"StartAt": "Pay", "States": {
            "Pay": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:pay", "Catch": [catcher], "End": true},
            "Refund": {"Type": "Pass", "End": true}}})
    };
    let mocks = json!({"Pay": [{"error": "PaymentDeclined", "cause": "card expired"}]});
    let kept = run(
        definition(json!("$.error")),
        json!({"order": 1}),
        mocks.clone(),
        ExecutionOptions::default(),
    );
    assert_eq!(
        kept.result().and_then(|r| r.output.clone()),
        Some(json!({"order": 1, "error": {"Error": "PaymentDeclined", "Cause": "card expired"}}))
    );
    let replaced = run(
        definition(Value::Null),
        json!({"order": 1}),
        mocks,
        ExecutionOptions::default(),
    );
    assert_eq!(
        replaced.result().and_then(|r| r.output.clone()),
        Some(json!({"Error": "PaymentDeclined", "Cause": "card expired"}))
    );
}

// HeartbeatSeconds fails a task that goes quiet, unless heartbeats keep arriving; a heartbeat
// after the task ended is refused.
#[test]
fn heartbeats_keep_a_task_alive() {
    let definition = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "HeartbeatSeconds": 5, "TimeoutSeconds": 100, "End": true}}});
    let mut execution =
        Execution::start(parse(definition), json!({}), ExecutionOptions::default(), 0);
    let token = execution
        .advance(0)
        .into_iter()
        .find_map(|a| match a {
            Action::InvokeTask(task) => Some(task.token),
            _ => None,
        })
        .expect("task invoked");
    execution
        .record_heartbeat(token, 4000)
        .expect("outstanding");
    assert!(
        execution
            .advance(8000)
            .iter()
            .all(|a| !matches!(a, Action::Finished(_))),
        "the heartbeat at 4 s moved the deadline to 9 s"
    );
    let actions = execution.advance(9000);
    assert!(actions.iter().any(|a| matches!(a, Action::Finished(r) if r.error.as_deref() == Some("States.HeartbeatTimeout"))));
    assert_eq!(
        execution.record_heartbeat(token, 9500),
        Err(TokenRejected::TaskTimedOut)
    );
}

// A failing branch fails the Parallel with the branch's own error, cancels the sibling whose
// task is still outstanding (its late result is refused), and the Parallel's Catch applies.
#[test]
fn a_failed_branch_cancels_its_siblings() {
    let definition = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Branches": [
            {"StartAt": "Slow", "States": {"Slow": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow", "End": true}}},
            {"StartAt": "Bad", "States": {"Bad": {"Type": "Fail", "Error": "Broken", "Cause": "branch 1"}}}
        ], "Catch": [{"ErrorEquals": ["Broken"], "ResultPath": "$.failure", "Next": "Recover"}], "End": true},
        "Recover": {"Type": "Pass", "End": true}}});
    let mut execution = Execution::start(
        parse(definition),
        json!({"id": 9}),
        ExecutionOptions::default(),
        0,
    );
    let actions = execution.advance(0);
    let token = actions
        .iter()
        .find_map(|a| match a {
            Action::InvokeTask(task) => Some(task.token),
            _ => None,
        })
        .expect("the slow branch invoked its task");
    let result = execution.result().expect("finished at once").clone();
    assert_eq!(
        result.output,
        Some(json!({"id": 9, "failure": {"Error": "Broken", "Cause": "branch 1"}}))
    );
    assert_eq!(
        execution.complete_task(token, TaskOutcome::Succeeded(json!(1)), 10),
        Err(TokenRejected::TaskTimedOut)
    );
    assert!(execution
        .history()
        .iter()
        .any(|e| e.kind == "ParallelStateFailed" && e.error.as_deref() == Some("Broken")));
}

// A Retry on a Map re-runs every iteration; MaxConcurrency 1 runs them one after another.
#[test]
fn map_retry_reruns_all_iterations() {
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 1,
        "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:w", "End": true}}},
        "Retry": [{"ErrorEquals": ["Oops"], "IntervalSeconds": 2}], "End": true}}});
    let mocks = json!({"Work": [{"error": "Oops", "cause": ""}, {"result": "ok"}]});
    let execution = run(
        definition,
        json!([1, 2]),
        mocks,
        ExecutionOptions::default(),
    );
    assert_eq!(
        execution.status(),
        ExecutionStatus::Failed,
        "every retry attempt of Work starts at attempt 1 and fails again"
    );
    let started: Vec<u64> = execution
        .history()
        .iter()
        .filter(|e| e.kind == "MapStateStarted")
        .map(|e| e.timestamp_ms)
        .collect();
    assert_eq!(started, vec![0, 2000, 6000, 14_000]);
}

// The execution's TimeoutSeconds ends it as TIMED_OUT with States.Timeout.
#[test]
fn execution_timeout_times_the_execution_out() {
    let definition = json!({"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let execution = run(
        definition,
        json!({}),
        json!({}),
        ExecutionOptions::default(),
    );
    let result = execution.result().expect("finished");
    assert_eq!(result.status, ExecutionStatus::TimedOut);
    assert_eq!(
        execution
            .history()
            .last()
            .map(|e| (e.kind.as_str(), e.timestamp_ms)),
        Some(("ExecutionTimedOut", 5000))
    );
}
