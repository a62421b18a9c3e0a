//! Step Functions inside a design: a state machine node runs its Amazon States Language
//! definition with the `asl` engine, which is resumable, so tasks interleave with everything
//! else in virtual time. Tasks call into the design: Lambda functions (bare ARN or
//! `lambda:invoke`), DynamoDB, EventBridge PutEvents and SQS SendMessage. With
//! `.waitForTaskToken` the request only submits the task, which then waits until a handler
//! answers its token (`callbacks`) or a timeout fires. Every history event of an execution
//! becomes a trace event, state by state, with input and output.
//!
//! Standard executions run each state once. Express executions are at least once: under the
//! scenario's duplicate rate, an Express execution may lose its state after a task succeeded
//! and start again (a named fault), so its earlier tasks run twice.

use std::sync::Arc;

use serde_json::{json, Value};

use super::engine::{Engine, Work};
use super::lambda::Source;
use super::trace::TraceKind;
use crate::asl::{
    Action, Definition, Execution, ExecutionKind, ExecutionOptions, TaskInvocation, TaskOutcome,
    TaskToken,
};
use crate::design::NodeKind;

/// The ASL engine keeps its history in milliseconds since the Unix epoch.
const EPOCH_MS: u64 = super::engine::VIRTUAL_EPOCH_MS;
/// How long a service integration (DynamoDB, EventBridge, SQS) takes.
const INTEGRATION_LATENCY_MS: u64 = 15;

/// How the end of a Lambda task's invocation answers the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LambdaAnswer {
    /// A bare function ARN: the function's result is the task's result.
    Bare,
    /// `lambda:invoke`: the result wrapped as the Invoke API answers (`Payload`, `StatusCode`).
    Invoke,
    /// `lambda:invoke.waitForTaskToken`: the Invoke response only submits the task, which then
    /// waits for `SendTaskSuccess`/`SendTaskFailure` with its token; a function error fails it.
    Callback,
}

/// A running execution and where it came from.
pub struct ExecutionState {
    pub execution: Execution,
    pub state_machine: String,
    pub correlation: Option<String>,
    pub last_seq: u32,
    pub history_seen: usize,
}

impl<'a> Engine<'a> {
    /// StartExecution: a state machine runs `input` (from a rule target or a handler step).
    pub fn start_execution(
        &mut self,
        state_machine: &str,
        input: Value,
        origin: &str,
        explicit_name: Option<String>,
        correlation: Option<String>,
        cause: u32,
    ) {
        let Some(NodeKind::StateMachine(machine)) = self.node(state_machine).map(|n| &n.kind)
        else {
            return;
        };
        let definition = match self.definitions.get(state_machine) {
            Some(definition) => definition.clone(),
            None => match Definition::parse(&machine.definition).and_then(|definition| {
                // Step Functions refuses an Express machine with `.waitForTaskToken` or `.sync`.
                let express_problems = if machine.express {
                    definition.express_diagnostics()
                } else {
                    Vec::new()
                };
                if express_problems.is_empty() {
                    Ok(definition)
                } else {
                    Err(express_problems)
                }
            }) {
                Ok(definition) => {
                    let definition = Arc::new(definition);
                    self.definitions
                        .insert(state_machine.to_string(), definition.clone());
                    definition
                }
                Err(problems) => {
                    let first = problems
                        .first()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    self.record(
                        state_machine,
                        Some(cause),
                        correlation.as_deref(),
                        TraceKind::Discarded {
                            subject: format!("execution of {state_machine}"),
                            reason: format!("the definition is invalid: {first}"),
                        },
                    );
                    return;
                }
            },
        };
        // An explicit name makes a Standard StartExecution idempotent, as in AWS: a second start
        // with the same name does not run the workflow again.
        // Express executions are not deduplicated by name: each start is a new run.
        let name = match explicit_name {
            Some(name) if !machine.express => name,
            Some(name) => format!(
                "{name}-{}",
                Engine::derive_id("exec", &format!("{state_machine}/{origin}"))
            ),
            None => Engine::derive_id("exec", &format!("{state_machine}/{origin}")),
        };
        if self.executions.contains_key(&name) {
            self.record(
                state_machine,
                Some(cause),
                correlation.as_deref(),
                TraceKind::Discarded {
                    subject: format!("StartExecution {name}"),
                    reason: "an execution with this name already exists; it is not started again"
                        .to_string(),
                },
            );
            return;
        }
        let options = ExecutionOptions {
            kind: if machine.express {
                ExecutionKind::Express
            } else {
                ExecutionKind::Standard
            },
            name: name.clone(),
            state_machine_name: state_machine.to_string(),
            seed: self.random.draw("execution", &name, 0),
            ..ExecutionOptions::default()
        };
        let execution = Execution::start(definition, input, options, EPOCH_MS + self.now_ms);
        self.executions.insert(
            name.clone(),
            ExecutionState {
                execution,
                state_machine: state_machine.to_string(),
                correlation,
                last_seq: cause,
                history_seen: 0,
            },
        );
        self.schedule(self.now_ms, Work::AdvanceExecution { execution: name });
    }

    pub(super) fn advance_execution(&mut self, name: &str) {
        let Some(state) = self.executions.get_mut(name) else {
            return;
        };
        let actions = state.execution.advance(EPOCH_MS + self.now_ms);
        self.record_history(name);
        for action in actions {
            match action {
                Action::InvokeTask(task) => self.run_task(name, task),
                Action::WakeAt { at_ms } => self.schedule(
                    at_ms.saturating_sub(EPOCH_MS),
                    Work::AdvanceExecution {
                        execution: name.to_string(),
                    },
                ),
                Action::Finished(_) => {}
            }
        }
    }

    /// Turns the execution's new history events into trace events.
    fn record_history(&mut self, name: &str) {
        let Some(state) = self.executions.get(name) else {
            return;
        };
        let fresh: Vec<_> = state.execution.history()[state.history_seen..].to_vec();
        let (machine, correlation, mut cause) = (
            state.state_machine.clone(),
            state.correlation.clone(),
            state.last_seq,
        );
        for event in &fresh {
            cause = self.record(
                &machine,
                Some(cause),
                correlation.as_deref(),
                TraceKind::Execution {
                    execution: name.to_string(),
                    event: event.kind.clone(),
                    state: event.path.clone().or_else(|| event.state.clone()),
                    detail: serde_json::to_value(event).unwrap_or(Value::Null),
                },
            );
        }
        if let Some(state) = self.executions.get_mut(name) {
            state.history_seen += fresh.len();
            state.last_seq = cause;
        }
    }

    fn run_task(&mut self, name: &str, task: TaskInvocation) {
        let Some(state) = self.executions.get(name) else {
            return;
        };
        let (correlation, cause) = (state.correlation.clone(), state.last_seq);
        let callback = task.resource.ends_with(CALLBACK_SUFFIX);
        let resource = task.resource.trim_end_matches(CALLBACK_SUFFIX);
        if let Some(function) = lambda_target(resource, &task.parameters) {
            let answer = match (callback, resource.ends_with(":lambda:invoke")) {
                (true, _) => LambdaAnswer::Callback,
                (false, true) => LambdaAnswer::Invoke,
                (false, false) => LambdaAnswer::Bare,
            };
            let payload = if resource.ends_with(":lambda:invoke") {
                task.parameters["Payload"].clone()
            } else {
                task.parameters.clone()
            };
            let invocation =
                Engine::derive_id("inv", &format!("{name}/{}/{}", task.state, task.attempt));
            if matches!(
                self.node(&function).map(|n| &n.kind),
                Some(NodeKind::Function(_))
            ) {
                self.functions
                    .entry(function.clone())
                    .or_default()
                    .in_flight += 1;
                let source = Source::StateMachine {
                    execution: name.to_string(),
                    token: task.token.0,
                    answer,
                };
                self.start_invocation(
                    &function,
                    invocation,
                    task.attempt,
                    source,
                    vec![std::rc::Rc::new(payload)],
                    cause,
                    correlation,
                    false,
                );
            } else {
                self.finish_task(
                    name,
                    task.token,
                    TaskOutcome::Failed {
                        error: "Lambda.ResourceNotFoundException".into(),
                        cause: format!("Function not found: {function}"),
                    },
                );
            }
            return;
        }
        let outcome = self.integration(name, &task, correlation, cause);
        match outcome {
            TaskOutcome::Succeeded(response) if callback => {
                self.submit_task(name, task.token, &response)
            }
            outcome => self.finish_task(name, task.token, outcome),
        }
    }

    /// A service integration answers at once (after its latency).
    fn integration(
        &mut self,
        name: &str,
        task: &TaskInvocation,
        correlation: Option<String>,
        cause: u32,
    ) -> TaskOutcome {
        let resource = task
            .resource
            .trim_end_matches(CALLBACK_SUFFIX)
            .trim_end_matches(".sync");
        let parameters = &task.parameters;
        if let Some(operation) = resource.strip_prefix("arn:aws:states:::dynamodb:") {
            let api = match operation {
                "putItem" => "PutItem",
                "updateItem" => "UpdateItem",
                "getItem" => "GetItem",
                "deleteItem" => "DeleteItem",
                other => {
                    return failed(
                        "States.Runtime",
                        format!("dynamodb:{other} is not simulated"),
                    )
                }
            };
            let result = self.database.execute(api, parameters, self.now_ms);
            self.route_stream_records();
            // Recorded like a handler's step, so the trace (and state at any event) shows it.
            let response = match &result {
                Ok(response) => response.clone(),
                Err(error) => {
                    json!({"error": {"type": error.error_type, "message": error.message}})
                }
            };
            let machine = self
                .executions
                .get(name)
                .map(|e| e.state_machine.clone())
                .unwrap_or_default();
            let seq = self.record(
                &machine,
                Some(cause),
                correlation.as_deref(),
                TraceKind::Step {
                    invocation: name.to_string(),
                    step: task.state.clone(),
                    op: api.to_string(),
                    request: parameters.clone(),
                    response,
                },
            );
            if let Some(state) = self.executions.get_mut(name) {
                state.last_seq = seq;
            }
            return match result {
                Ok(response) => TaskOutcome::Succeeded(response),
                Err(error) => failed(&format!("DynamoDB.{}", error.error_type), error.message),
            };
        }
        if resource == "arn:aws:states:::events:putEvents" {
            let entries = parameters["Entries"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut ids = Vec::new();
            for (index, entry) in entries.iter().enumerate() {
                let bus = entry["EventBusName"]
                    .as_str()
                    .unwrap_or("default")
                    .rsplit('/')
                    .next()
                    .unwrap_or("default")
                    .to_string();
                let id = Engine::derive_id(
                    "evt",
                    &format!("{name}/{}/{}/{index}", task.state, task.attempt),
                );
                let detail = entry["Detail"].clone();
                let detail = match detail {
                    Value::String(text) => {
                        serde_json::from_str(&text).unwrap_or(Value::String(text))
                    }
                    other => other,
                };
                let event = if detail.get("specversion").is_some() {
                    detail
                } else {
                    json!({"specversion": "1.0", "id": id, "source": entry["Source"], "type": entry["DetailType"],
                           "time": self.timestamp(self.now_ms), "datacontenttype": "application/json",
                           "correlationid": correlation.clone().unwrap_or_else(|| id.clone()), "data": detail})
                };
                ids.push(json!({"EventId": event["id"]}));
                self.put_event(&bus, event, Some(cause));
            }
            return TaskOutcome::Succeeded(json!({"Entries": ids, "FailedEntryCount": 0}));
        }
        if resource == "arn:aws:states:::sqs:sendMessage" {
            let queue = parameters["QueueUrl"]
                .as_str()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            let body = parameters["MessageBody"].clone();
            let group = parameters["MessageGroupId"].as_str().map(str::to_string);
            let origin = format!("{name}/{}/{}", task.state, task.attempt);
            self.send_message(&queue, body, group, None, &origin, correlation, cause);
            return TaskOutcome::Succeeded(
                json!({"MessageId": Engine::derive_id("msg", &format!("{queue}/{origin}"))}),
            );
        }
        failed(
            "States.Runtime",
            format!("the resource {} is not simulated", task.resource),
        )
    }

    /// Reports a task's outcome and lets the execution go on (a little later for integrations).
    fn finish_task(&mut self, name: &str, token: TaskToken, outcome: TaskOutcome) {
        let succeeded = matches!(outcome, TaskOutcome::Succeeded(_));
        let now = EPOCH_MS + self.now_ms;
        let Some(state) = self.executions.get_mut(name) else {
            return;
        };
        let _ = state.execution.complete_task(token, outcome, now);
        let express = state.execution.kind() == ExecutionKind::Express;
        let machine = state.state_machine.clone();
        let (correlation, cause) = (state.correlation.clone(), state.last_seq);
        if succeeded && express {
            let fault = format!("express-restart:{name}/{}", token.0);
            let drawn = self.random.chance(
                self.design.scenario.faults.duplicate_rate_ppm,
                "express-restart",
                &fault,
                0,
            );
            if self.fault(
                &fault,
                drawn,
                &machine,
                Some(cause),
                correlation.as_deref(),
                format!(
                    "Express execution {name} loses its state and starts again (at-least-once)"
                ),
            ) {
                if let Some(state) = self.executions.get_mut(name) {
                    state.execution.restart_express(now);
                }
            }
        }
        self.schedule(
            self.now_ms + INTEGRATION_LATENCY_MS,
            Work::AdvanceExecution {
                execution: name.to_string(),
            },
        );
    }

    /// A Lambda task's invocation ended.
    pub(super) fn state_machine_task_done(
        &mut self,
        name: &str,
        token: u64,
        answer: LambdaAnswer,
        error: Option<String>,
        result: Value,
    ) {
        let outcome = match error {
            Some(error) => TaskOutcome::Failed {
                cause: format!("the function failed with {error}"),
                error,
            },
            None if answer == LambdaAnswer::Bare => TaskOutcome::Succeeded(result),
            None => TaskOutcome::Succeeded(
                json!({"ExecutedVersion": "$LATEST", "Payload": result, "StatusCode": 200}),
            ),
        };
        match outcome {
            TaskOutcome::Succeeded(response) if answer == LambdaAnswer::Callback => {
                self.submit_task(name, TaskToken(token), &response)
            }
            outcome => self.finish_task(name, TaskToken(token), outcome),
        }
    }

    /// A callback task's request went out: the execution notes `TaskSubmitted` and waits for
    /// its token. A task that closed meanwhile (the function already answered its own token,
    /// or a timeout fired) takes no note of it.
    fn submit_task(&mut self, name: &str, token: TaskToken, response: &Value) {
        let now = EPOCH_MS + self.now_ms;
        let Some(state) = self.executions.get_mut(name) else {
            return;
        };
        if state.execution.submit_task(token, response, now).is_ok() {
            self.schedule(
                self.now_ms,
                Work::AdvanceExecution {
                    execution: name.to_string(),
                },
            );
        }
    }
}

/// The integration pattern that makes a task wait for `SendTaskSuccess`/`SendTaskFailure`.
const CALLBACK_SUFFIX: &str = ".waitForTaskToken";

fn failed(error: &str, cause: String) -> TaskOutcome {
    TaskOutcome::Failed {
        error: error.to_string(),
        cause,
    }
}

/// The function a task invokes: a bare Lambda ARN, or `lambda:invoke` with a FunctionName
/// (an ARN or a plain name; in the simulator, a function node's id).
fn lambda_target(resource: &str, parameters: &Value) -> Option<String> {
    let name = if resource.starts_with("arn:aws:states:::lambda:invoke") {
        parameters["FunctionName"].as_str()?.to_string()
    } else if resource.starts_with("arn:aws:lambda:") {
        resource.to_string()
    } else {
        return None;
    };
    let name = name
        .split(":function:")
        .nth(1)
        .map(str::to_string)
        .unwrap_or(name);
    Some(name.split(':').next().unwrap_or_default().to_string())
}
