//! The callback pattern inside designs (designs/photo-orchestrator-callback.json and small
//! designs): a `.waitForTaskToken` task pauses its execution until a handler answers the token
//! with `sendTaskSuccess` or `sendTaskFailure`, or until TimeoutSeconds/HeartbeatSeconds fail
//! it; a duplicate delivery's second answer gets TaskTimedOut and an unknown token
//! InvalidToken, as in AWS.

use eventlab_core::design::{load_text, Design, Faults};
use eventlab_core::sim::{simulate, Run, RunOptions, TraceEvent, TraceKind};
use serde_json::{json, Value};

mod common;

fn fixture() -> Design {
    let path = format!(
        "{}/../designs/photo-orchestrator-callback.json",
        env!("CARGO_MANIFEST_DIR")
    );
    load_text(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .design
}

/// The fixture with no injected faults, so each photo takes its one path.
fn calm_fixture() -> Design {
    let mut design = fixture();
    design.scenario.faults = Faults::default();
    design
}

fn design_json(value: Value) -> Design {
    let loaded = load_text(&value.to_string()).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.design
}

fn run(design: &Design) -> Run {
    let run = simulate(design, &RunOptions::default());
    assert!(run.summary.settled, "the run settles");
    run
}

/// An execution's history events, as (time, event, state, detail).
fn history<'a>(run: &'a Run, execution: &str) -> Vec<(u64, &'a str, &'a str, &'a Value)> {
    run.trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Execution {
                execution: name,
                event,
                state,
                detail,
            } if name == execution => Some((
                e.at_ms,
                event.as_str(),
                state.as_deref().unwrap_or(""),
                detail,
            )),
            _ => None,
        })
        .collect()
}

fn event_of<'a>(run: &'a Run, execution: &str, kind: &str, state: &str) -> (u64, &'a Value) {
    history(run, execution)
        .into_iter()
        .find(|(_, event, at, _)| *event == kind && *at == state)
        .map(|(at_ms, _, _, detail)| (at_ms, detail))
        .unwrap_or_else(|| panic!("{execution} has no {kind} at {state}"))
}

/// Milliseconds between two history events, by the execution's own timestamps.
fn elapsed_ms(from: &Value, to: &Value) -> u64 {
    let at = |event: &Value| event["timestamp_ms"].as_u64().expect("a timestamp");
    at(to) - at(from)
}

/// The handler steps of an op, with their responses.
fn answers<'a>(run: &'a Run, op_name: &str) -> Vec<(&'a TraceEvent, &'a Value, &'a Value)> {
    run.trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Step {
                op,
                request,
                response,
                ..
            } if op == op_name => Some((e, request, response)),
            _ => None,
        })
        .collect()
}

fn refused_with(response: &Value) -> Option<&str> {
    response["error"]["type"].as_str()
}

// A fine photo's execution sends the job, notes TaskSubmitted, and waits; the moderator's
// sendTaskSuccess (the trace event that causes it) closes the task with its output, and the
// photo is approved and announced.
#[test]
fn the_execution_waits_for_the_moderator() {
    let result = run(&calm_fixture());
    let (submitted_ms, _) = event_of(&result, "p-1", "TaskSubmitted", "RequestModeration");
    let (succeeded_ms, detail) = event_of(&result, "p-1", "TaskSucceeded", "RequestModeration");
    assert!(succeeded_ms > submitted_ms, "the task waited");
    assert_eq!(
        detail["output"],
        json!({"approved": true, "photoId": "p-1"})
    );
    let succeeded = result
        .trace
        .iter()
        .find(|e| matches!(&e.kind, TraceKind::Execution { execution, event, .. } if execution == "p-1" && event == "TaskSucceeded" && e.at_ms == succeeded_ms))
        .unwrap();
    let (answer, request, response) = answers(&result, "sendTaskSuccess")
        .into_iter()
        .find(|(_, request, _)| request["taskToken"] == json!("p-1:token-2"))
        .expect("the moderator answered p-1");
    assert_eq!(succeeded.cause, Some(answer.seq), "the answer caused it");
    assert_eq!(
        request["output"],
        json!({"approved": true, "photoId": "p-1"})
    );
    assert_eq!(*response, json!({}));
    let (_, end, _, _) = *history(&result, "p-1").last().unwrap();
    assert_eq!(end, "ExecutionSucceeded");
    assert!(result.summary.final_items["photos"]
        .contains(&json!({"photoId": "p-1", "status": "APPROVED"})));
}

// A flagged photo's sendTaskFailure fails the task with PhotoRejected and its cause; Catch
// takes it to the compensation, which deletes the upload record.
#[test]
fn a_rejected_photo_is_caught_and_compensated() {
    let result = run(&calm_fixture());
    let (_, failed) = event_of(&result, "flagged-1", "TaskFailed", "RequestModeration");
    assert_eq!(failed["error"], json!("PhotoRejected"));
    assert_eq!(
        failed["cause"],
        json!("the photo breaks the content policy")
    );
    event_of(&result, "flagged-1", "TaskStateEntered", "DiscardPhoto");
    assert!(!result.summary.final_items["photos"]
        .iter()
        .any(|item| item["photoId"] == json!("flagged-1")));
}

// A photo held for manual review is never answered: TimeoutSeconds (60) fails the task with
// States.Timeout 60 s after it started, Catch compensates, and the token parked in the review
// table is dead from then on.
#[test]
fn an_unanswered_photo_times_out() {
    let result = run(&calm_fixture());
    let started = event_of(&result, "held-1", "TaskStarted", "RequestModeration").1;
    let (_, detail) = event_of(&result, "held-1", "TaskTimedOut", "RequestModeration");
    assert_eq!(elapsed_ms(started, detail), 60_000);
    assert_eq!(detail["error"], json!("States.Timeout"));
    event_of(&result, "held-1", "TaskStateEntered", "DiscardPhoto");
    assert_eq!(
        result.summary.final_items["manual-reviews"],
        vec![json!({"photoId": "held-1", "taskToken": "held-1:token-2"})]
    );
}

// With HeartbeatSeconds and no heartbeat, the task fails at the heartbeat deadline with
// States.HeartbeatTimeout, which the fixture's States.Timeout catcher also catches.
#[test]
fn a_silent_task_misses_its_heartbeat() {
    let mut design = calm_fixture();
    let machine = design
        .nodes
        .iter_mut()
        .find(|n| n.id == "photo-workflow")
        .unwrap();
    let eventlab_core::design::NodeKind::StateMachine(settings) = &mut machine.kind else {
        panic!("photo-workflow is a state machine")
    };
    settings.definition["States"]["RequestModeration"]["HeartbeatSeconds"] = json!(20);
    let result = run(&design);
    let started = event_of(&result, "held-1", "TaskStarted", "RequestModeration").1;
    let (_, detail) = event_of(&result, "held-1", "TaskTimedOut", "RequestModeration");
    assert_eq!(elapsed_ms(started, detail), 20_000);
    assert_eq!(detail["error"], json!("States.HeartbeatTimeout"));
    event_of(&result, "held-1", "TaskStateEntered", "DiscardPhoto");
}

/// The fixture where SQS stores every moderation job twice (and nothing else goes wrong).
fn every_job_twice() -> Design {
    let mut design = calm_fixture();
    design.scenario.faults.duplicate_rate_ppm = 1_000_000;
    design
}

// SQS delivers a job twice: the first answer closes the task, the second gets TaskTimedOut
// (AWS's words), and with onTokenRejected "stop" the moderator ends successfully, so the
// duplicate is deleted and each execution still succeeds once.
#[test]
fn a_duplicate_answer_gets_task_timed_out() {
    let result = run(&every_job_twice());
    let refused: Vec<_> = answers(&result, "sendTaskSuccess")
        .into_iter()
        .filter(|(_, _, response)| refused_with(response) == Some("TaskTimedOut"))
        .collect();
    assert_eq!(refused.len(), 4, "one refused duplicate per fine photo");
    assert_eq!(
        refused[0].2["error"]["message"],
        json!("Task Timed Out: 'Provided task does not exist anymore'")
    );
    for photo in ["p-1", "p-2", "p-3", "p-4"] {
        let succeeded: Vec<_> = history(&result, photo)
            .into_iter()
            .filter(|(_, event, state, _)| {
                *event == "TaskSucceeded" && *state == "RequestModeration"
            })
            .collect();
        assert_eq!(succeeded.len(), 1, "{photo}");
    }
    assert_eq!(result.summary.failed_invocations, 0);
    assert_eq!(result.summary.queue_depths["moderation-queue"], 0);
}

// Without onTokenRejected the duplicate's TaskTimedOut is thrown: the invocation fails, the
// job comes back after the visibility timeout and fails again, until the redrive policy moves
// it to the dead-letter queue. The poison message AWS users meet with naive callbacks.
#[test]
fn an_unhandled_duplicate_answer_fails_until_dead_lettered() {
    let mut design = every_job_twice();
    let mut value: Value = serde_json::to_value(&design).unwrap();
    let text = value
        .to_string()
        .replace(r#","onTokenRejected":"stop""#, "");
    value = serde_json::from_str(&text).unwrap();
    for node in value["nodes"].as_array_mut().unwrap() {
        if node["id"] == json!("moderation-queue") {
            node["maxReceiveCount"] = json!(2);
            node["deadLetterQueue"] = json!("moderation-dlq");
        }
    }
    value["nodes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "moderation-dlq", "kind": "queue"}));
    design = design_json(value);
    let result = run(&design);
    let thrown = result
        .trace
        .iter()
        .filter(|e| matches!(&e.kind, TraceKind::InvocationFinished { error: Some(error), .. } if error == "TaskTimedOut: Task Timed Out: 'Provided task does not exist anymore'"))
        .count();
    assert!(thrown >= 4, "each duplicate answer throws ({thrown})");
    assert_eq!(
        result.summary.dead_lettered.get("moderation-dlq"),
        Some(&5),
        "the duplicates of the four fine photos and of the flagged one"
    );
}

/// A design whose function answers `tokens[n - 1]` for its `n`th event; one state machine
/// waits for tokens (so validation has no warning), but nothing starts it.
fn answering(tokens: &[&str]) -> Design {
    let steps: Vec<Value> = tokens
        .iter()
        .enumerate()
        .map(|(index, token)| json!({"op": "if", "condition": "#d.n = :n", "names": {"#d": "data"},
            "values": {":n": index + 1}, "then": [{"op": "sendTaskSuccess", "taskToken": token, "output": {"ok": true}}]}))
        .collect();
    design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": tokens.len(), "intervalMs": 10,
             "data": {"n": "{{n}}"}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "f"}]}]},
            {"id": "f", "kind": "function", "asyncRetryAttempts": 0, "steps": steps},
            {"id": "m", "kind": "stateMachine", "definition": {"StartAt": "W", "States": {"W": {"Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}}}
        ]
    })))
}

// A token no execution issued (junk, an execution that does not exist, a number never issued)
// is InvalidToken with AWS's message, and, uncaught, fails the invocation; an empty token is a
// ValidationException before any token is looked at.
#[test]
fn unknown_tokens_get_invalid_token() {
    let result = run(&answering(&["bogus", "nobody:token-1", "", "m:token-01"]));
    let responses: Vec<Value> = answers(&result, "sendTaskSuccess")
        .into_iter()
        .map(|(_, _, response)| response["error"].clone())
        .collect();
    let invalid = json!({"type": "InvalidToken", "message": "Invalid Token: 'Invalid token'"});
    assert_eq!(responses.len(), 4);
    assert_eq!(responses[0], invalid);
    assert_eq!(responses[1], invalid);
    assert_eq!(responses[2]["type"], json!("ValidationException"));
    assert_eq!(responses[3], invalid);
    let errors: Vec<String> = result
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::InvocationFinished {
                error: Some(error), ..
            } => Some(error.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert_eq!(errors[0], "InvalidToken: Invalid Token: 'Invalid token'");
}

/// One flow (a correlation id) from its execution's start, as short lines: time, node, what
/// happened.
fn timeline(run: &Run, correlation_of_execution: &str) -> Vec<String> {
    let correlation = run
        .trace
        .iter()
        .find(|e| matches!(&e.kind, TraceKind::Execution { execution, .. } if execution == correlation_of_execution))
        .and_then(|e| e.correlation.clone())
        .expect("the execution belongs to a flow");
    run.trace
        .iter()
        .filter(|e| e.correlation.as_deref() == Some(correlation.as_str()))
        .filter(|e| e.node != "photo-bus" && e.node != "start-workflow")
        .filter_map(|e| {
            let what = match &e.kind {
                TraceKind::Execution { event, state, .. }
                    if event.starts_with("Task") && !event.starts_with("TaskState") =>
                {
                    format!("{event} {}", state.as_deref().unwrap_or(""))
                }
                TraceKind::Execution { event, .. } if event.starts_with("Execution") => {
                    event.clone()
                }
                TraceKind::Step { op, response, .. } => match refused_with(response) {
                    Some(error) => format!("{op} => {error}"),
                    None => op.clone(),
                },
                TraceKind::MessageSent { .. } => "messageSent".to_string(),
                TraceKind::Fault { fault, .. } => {
                    format!("fault {}", fault.split(':').next().unwrap_or(""))
                }
                TraceKind::InvocationFinished { ok, .. } => format!("invocationFinished ok={ok}"),
                _ => return None,
            };
            Some(format!("@{}ms {} {what}", e.at_ms, e.node))
        })
        .collect()
}

// The fine photo p-2 when SQS stores its job twice, as a trace snapshot: the execution waits
// from TaskSubmitted to the first answer; the second answer is refused with TaskTimedOut and
// the moderator still ends well (onTokenRejected: stop).
#[test]
fn duplicate_job_timeline_snapshot() {
    let result = run(&every_job_twice());
    let expected = [
        "@135ms photo-workflow ExecutionStarted",
        "@135ms photo-workflow TaskScheduled RecordUpload",
        "@135ms photo-workflow TaskStarted RecordUpload",
        "@135ms photo-workflow PutItem",
        "@150ms photo-workflow TaskSucceeded RecordUpload",
        "@150ms photo-workflow TaskScheduled RequestModeration",
        "@150ms photo-workflow TaskStarted RequestModeration",
        "@150ms moderation-queue messageSent",
        "@150ms moderation-queue fault duplicate",
        "@150ms photo-workflow TaskSubmitted RequestModeration",
        "@170ms moderate-photo sendTaskSuccess",
        "@170ms moderate-photo sendTaskSuccess => TaskTimedOut",
        "@170ms photo-workflow TaskSucceeded RequestModeration",
        "@170ms photo-workflow TaskScheduled MarkApproved",
        "@170ms photo-workflow TaskStarted MarkApproved",
        "@170ms photo-workflow UpdateItem",
        "@170ms moderate-photo invocationFinished ok=true",
        "@170ms moderate-photo invocationFinished ok=true",
        "@185ms photo-workflow TaskSucceeded MarkApproved",
        "@185ms photo-workflow TaskScheduled PublishPhotoReady",
        "@185ms photo-workflow TaskStarted PublishPhotoReady",
        "@200ms photo-workflow TaskSucceeded PublishPhotoReady",
        "@200ms photo-workflow ExecutionSucceeded",
    ];
    assert_eq!(timeline(&result, "p-2"), expected);
}

// The photo held for review as a trace snapshot: sent, submitted, parked by the moderator, and
// a minute of silence later TaskTimedOut, then the compensation.
#[test]
fn unanswered_job_timeline_snapshot() {
    let result = run(&calm_fixture());
    let expected = [
        "@35ms photo-workflow ExecutionStarted",
        "@35ms photo-workflow TaskScheduled RecordUpload",
        "@35ms photo-workflow TaskStarted RecordUpload",
        "@35ms photo-workflow PutItem",
        "@50ms photo-workflow TaskSucceeded RecordUpload",
        "@50ms photo-workflow TaskScheduled RequestModeration",
        "@50ms photo-workflow TaskStarted RequestModeration",
        "@50ms moderation-queue messageSent",
        "@50ms photo-workflow TaskSubmitted RequestModeration",
        "@70ms moderate-photo PutItem",
        "@70ms moderate-photo invocationFinished ok=true",
        "@60035ms photo-workflow TaskTimedOut RequestModeration",
        "@60035ms photo-workflow TaskScheduled DiscardPhoto",
        "@60035ms photo-workflow TaskStarted DiscardPhoto",
        "@60045ms discard-photo DeleteItem",
        "@60045ms discard-photo invocationFinished ok=true",
        "@60060ms photo-workflow TaskSucceeded DiscardPhoto",
        "@60060ms photo-workflow ExecutionSucceeded",
    ];
    assert_eq!(timeline(&result, "held-1"), expected);
}

/// A state machine started by a rule: a Lambda callback task whose function answers its own
/// token (`self_answer` steps), then a PutEvents callback answered by a rule's function.
fn lambda_and_events_callbacks(self_answer: Value) -> Design {
    let mut design = common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1, "data": {"id": "x-1"}},
            {"id": "b", "kind": "bus", "rules": [
                {"id": "start", "pattern": {"detail-type": ["t.happened"]}, "targets": [{"node": "m"}]},
                {"id": "answer", "pattern": {"detail-type": ["t.asked"]}, "targets": [{"node": "answerer"}]}]},
            {"id": "m", "kind": "stateMachine", "definition": {"StartAt": "Ask", "States": {
                "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                    "Parameters": {"FunctionName": "self-answer", "Payload": {"token.$": "$$.Task.Token"}},
                    "ResultPath": "$.first", "Next": "Announce"},
                "Announce": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents.waitForTaskToken",
                    "Parameters": {"Entries": [{"EventBusName": "b", "Source": "/s", "DetailType": "t.asked",
                        "Detail": {"taskToken.$": "$$.Task.Token"}}]},
                    "ResultPath": "$.second", "End": true}}}},
            {"id": "self-answer", "kind": "function", "steps": self_answer},
            {"id": "answerer", "kind": "function", "steps": [
                {"op": "sendTaskSuccess", "taskToken": "$.data.taskToken", "output": {"from": "rule"}}]}
        ]
    }));
    design["eventTypes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "t.asked", "source": "s"}));
    design_json(design)
}

// `lambda:invoke.waitForTaskToken` waits for the token even after the function returned, and a
// function that answers its own token closes the task; `events:putEvents.waitForTaskToken`
// puts the event and waits for whoever the rule delivers it to. Both answers become results.
#[test]
fn lambda_and_event_callbacks_wait_for_their_tokens() {
    let result = run(&lambda_and_events_callbacks(json!([
        {"op": "sendTaskSuccess", "taskToken": "$.event.token", "output": {"from": "lambda"}}
    ])));
    let executions: Vec<&str> = result
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Execution {
                execution, event, ..
            } if event == "ExecutionSucceeded" => Some(execution.as_str()),
            _ => None,
        })
        .collect();
    let [execution] = executions.as_slice() else {
        panic!("one execution succeeds: {executions:?}")
    };
    let (_, end) = event_of(&result, execution, "ExecutionSucceeded", "");
    assert_eq!(end["output"]["first"], json!({"from": "lambda"}));
    assert_eq!(end["output"]["second"], json!({"from": "rule"}));
    let (_, submitted) = event_of(&result, execution, "TaskSubmitted", "Announce");
    assert!(submitted["output"]["Entries"][0]["EventId"].is_string());
}

// A Lambda callback task whose function fails is failed with the function's error: the token
// never comes.
#[test]
fn a_failed_callback_function_fails_the_task() {
    let result = run(&lambda_and_events_callbacks(
        json!([{"op": "fail", "error": "Boom"}]),
    ));
    let failed = result
        .trace
        .iter()
        .find_map(|e| match &e.kind {
            TraceKind::Execution { event, detail, .. } if event == "TaskFailed" => Some(detail),
            _ => None,
        })
        .expect("the task failed");
    assert_eq!(failed["error"], json!("Boom"));
}

/// The codes of a design's diagnostics, in order.
fn diagnostic_codes(design: &Design) -> Vec<String> {
    eventlab_core::design::validate(design)
        .into_iter()
        .map(|d| d.code.to_string())
        .collect()
}

// Validation says what AWS would refuse and what cannot work: an Express machine with a
// callback (an error, and the run does not start it), a callback task that never passes its
// token on, and a handler answering tokens in a design where nothing waits for one (warnings).
#[test]
fn validation_flags_callbacks_that_cannot_work() {
    let machine = |express: bool, parameters: Value| {
        json!({"id": "m", "kind": "stateMachine", "express": express, "definition": {"StartAt": "W", "States": {"W": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": parameters, "End": true}}}})
    };
    let starter =
        json!({"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1});
    let bus = json!({"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "m"}]}]});
    let with_token = json!({"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}});

    let express = design_json(common::one_event_type(
        json!({"nodes": [starter, bus, machine(true, with_token.clone())]}),
    ));
    assert_eq!(diagnostic_codes(&express), ["invalid-definition"]);
    let result = run(&express);
    assert!(result.trace.iter().any(|e| matches!(&e.kind, TraceKind::Discarded { reason, .. } if reason.contains("Express state machine does not support '.waitForTaskToken'"))));
    assert!(!result
        .trace
        .iter()
        .any(|e| matches!(e.kind, TraceKind::Execution { .. })));

    let silent = design_json(common::one_event_type(
        json!({"nodes": [starter, bus, machine(false, json!({"QueueUrl": "q", "MessageBody": {"id.$": "$.id"}}))]}),
    ));
    assert_eq!(diagnostic_codes(&silent), ["callback-without-token"]);

    let answering = design_json(common::one_event_type(json!({"nodes": [starter,
        {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "f"}]}]},
        {"id": "f", "kind": "function", "steps": [{"op": "sendTaskSuccess", "taskToken": "$.data.token"}]}]})));
    assert_eq!(diagnostic_codes(&answering), ["no-callback-task"]);
    assert!(diagnostic_codes(&fixture()).is_empty());
}
