//! The callback pattern in the engine on its own: `$$.Task.Token` texts that name their
//! execution and read back, `TaskSubmitted` while a `.waitForTaskToken` task waits, and AWS's
//! two refusals of a token (`InvalidToken` for one never issued, `TaskTimedOut` for one whose
//! task closed), each with AWS's message.

use std::sync::Arc;

use eventlab_core::asl::{
    Action, Definition, Execution, ExecutionOptions, ExecutionStatus, TaskInvocation, TaskOutcome,
    TaskToken, TokenRejected,
};
use serde_json::{json, Value};

fn parse(definition: Value) -> Arc<Definition> {
    Arc::new(
        Definition::parse(&definition).unwrap_or_else(|d| panic!("definition rejected: {d:?}")),
    )
}

/// A `.waitForTaskToken` SendMessage task with an optional `TimeoutSeconds`, then Done.
fn callback_machine(timeout_seconds: Option<u64>) -> Arc<Definition> {
    let mut ask = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "jobs", "MessageBody": {"taskToken.$": "$$.Task.Token", "id.$": "$.id"}},
        "ResultPath": "$.answer", "Next": "Done"});
    if let Some(seconds) = timeout_seconds {
        ask["TimeoutSeconds"] = json!(seconds);
    }
    parse(json!({"StartAt": "Ask", "States": {"Ask": ask, "Done": {"Type": "Succeed"}}}))
}

/// Starts an execution named `order-7` and returns it with the one task it asked for.
fn started(definition: Arc<Definition>) -> (Execution, TaskInvocation) {
    let options = ExecutionOptions {
        name: "order-7".into(),
        ..ExecutionOptions::default()
    };
    let mut execution = Execution::start(definition, json!({"id": 7}), options, 0);
    let task = execution
        .advance(0)
        .into_iter()
        .find_map(|action| match action {
            Action::InvokeTask(task) => Some(task),
            _ => None,
        })
        .expect("the callback task is invoked");
    (execution, task)
}

fn kinds(execution: &Execution) -> Vec<&str> {
    execution
        .history()
        .iter()
        .map(|e| e.kind.as_str())
        .collect()
}

fn check_token_text(text: &str, expected: &Value) {
    let read = TaskToken::parse(text).map(|(execution, token)| json!([execution, token.0]));
    assert_eq!(
        read.unwrap_or(Value::Null),
        *expected,
        "token text {text:?}"
    );
}

// A token text reads back only when `text` could have written it; anything else (no name, a
// sign, leading zeros, an overflow, a real AWS token) is not a token of this design.
#[test]
fn token_texts_read_back_only_what_text_writes() {
    let data: Value = serde_json::from_str(include_str!("data/asl/token_cases.json")).unwrap();
    let cases = data["cases"].as_array().expect("cases");
    assert!(cases.len() >= 10);
    for case in cases {
        check_token_text(case["text"].as_str().expect("text"), &case["expected"]);
    }
}

// `$$.Task.Token` is `{execution name}:token-{n}`, and it reads back to the invocation's token.
#[test]
fn the_context_token_names_its_execution() {
    let (_, task) = started(callback_machine(None));
    let text = task.parameters["MessageBody"]["taskToken"]
        .as_str()
        .expect("the token is in the message body");
    assert!(text.starts_with("order-7:token-"), "{text}");
    assert_eq!(TaskToken::parse(text), Some(("order-7", task.token)));
    assert_eq!(task.token.text("order-7"), text);
}

// Submitting records TaskSubmitted with the service's response and the task keeps waiting;
// the answer then closes it and the execution goes on with the answer as the task's result.
#[test]
fn a_submitted_task_waits_for_its_answer() {
    let (mut execution, task) = started(callback_machine(None));
    execution
        .submit_task(task.token, &json!({"MessageId": "m-1"}), 15)
        .expect("outstanding");
    assert!(
        execution.advance(30_000).is_empty(),
        "it waits for its token"
    );
    let submitted = execution
        .history()
        .iter()
        .find(|e| e.kind == "TaskSubmitted")
        .expect("TaskSubmitted in the history");
    assert_eq!(submitted.output, Some(json!({"MessageId": "m-1"})));
    assert_eq!(submitted.state.as_deref(), Some("Ask"));
    execution
        .complete_task(
            task.token,
            TaskOutcome::Succeeded(json!({"ok": true})),
            40_000,
        )
        .expect("outstanding");
    execution.advance(40_000);
    assert_eq!(execution.status(), ExecutionStatus::Succeeded);
    assert_eq!(
        kinds(&execution)[3..6],
        ["TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    );
    assert_eq!(
        execution.result().and_then(|r| r.output.clone()),
        Some(json!({"id": 7, "answer": {"ok": true}}))
    );
}

// A token this execution never issued is InvalidToken; a second answer to a closed task, or
// any answer after the task timed out, is TaskTimedOut; both with AWS's words, and neither
// changes the history.
#[test]
fn refused_tokens_say_why_as_aws_does() {
    let (mut execution, task) = started(callback_machine(None));
    let unknown = TaskToken(task.token.0 + 1000);
    assert_eq!(
        execution.complete_task(unknown, TaskOutcome::Succeeded(json!(1)), 5),
        Err(TokenRejected::InvalidToken)
    );
    execution
        .complete_task(task.token, TaskOutcome::Succeeded(json!(1)), 10)
        .expect("outstanding");
    let length = execution.history().len();
    let again = execution.complete_task(task.token, TaskOutcome::Succeeded(json!(2)), 20);
    assert_eq!(again, Err(TokenRejected::TaskTimedOut));
    assert_eq!(
        execution.submit_task(task.token, &json!({}), 20),
        Err(TokenRejected::TaskTimedOut)
    );
    assert_eq!(
        execution.history().len(),
        length,
        "a refused token changes nothing"
    );
    assert_eq!(
        (
            TokenRejected::InvalidToken.error(),
            TokenRejected::InvalidToken.message()
        ),
        ("InvalidToken", "Invalid Token: 'Invalid token'")
    );
    assert_eq!(
        (
            TokenRejected::TaskTimedOut.error(),
            TokenRejected::TaskTimedOut.message()
        ),
        (
            "TaskTimedOut",
            "Task Timed Out: 'Provided task does not exist anymore'"
        )
    );
}

// A callback task that nobody answers within TimeoutSeconds fails with States.Timeout (the
// history says TaskTimedOut), and the late answer is refused with TaskTimedOut.
#[test]
fn an_unanswered_task_times_out() {
    let (mut execution, task) = started(callback_machine(Some(60)));
    let actions = execution.advance(60_000);
    assert!(actions
        .iter()
        .any(|a| matches!(a, Action::Finished(r) if r.error.as_deref() == Some("States.Timeout"))));
    assert!(kinds(&execution).contains(&"TaskTimedOut"));
    assert_eq!(
        execution.complete_task(task.token, TaskOutcome::Succeeded(json!(1)), 61_000),
        Err(TokenRejected::TaskTimedOut)
    );
}
