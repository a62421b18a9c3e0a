//! Handler programs at run time: each step is one atomic AWS call (or a decision) with a
//! latency, so concurrent invocations interleave between steps exactly where real handlers do.
//! A step's request is built from the context, sent to the engine's table, bus, queue, API or
//! function, and its response saved back into the context.

use serde_json::{json, Value};

use super::context::Context;
use super::engine::{Engine, Work};
use super::lambda::{Frame, Source};
use super::requests::{
    add_expressions, evaluate_if, key_of, transact_entry, write_request, ResolvedUpdate,
};
use super::trace::TraceKind;
use super::values::{key_text, object, plain_of_item, resolve, unmarshal_map};
use crate::design::{NodeKind, OnConditionFailed, ScriptedFault, Step, WriteStep};
use crate::dynamo::{Answer, ApiError, UpdateCall};

/// What a step's completion means for the invocation.
pub(super) enum Outcome {
    Continue,
    /// The record is done, successfully (a write found the work already done).
    Stop,
    Fail(String),
    /// Waiting for a synchronous invocation to finish.
    Waiting,
    /// Throttled: try the same step again after this many milliseconds.
    RetryAfter(u64),
}

/// Which table call an answer belongs to, and what to do with it.
struct TableCall<'a> {
    invocation_id: &'a str,
    label: &'a str,
    operation: &'a str,
    /// The table, when the request body may not be there to name it.
    table: Option<&'a str>,
    on_condition_failed: OnConditionFailed,
    save_as: Option<&'a str>,
}

/// A step's label: its frame's label and its 1-based place (`s2`, `s2.then.1`), written
/// without the formatter (every step start makes one).
fn step_label(frame_label: &str, place: usize) -> String {
    let mut label = String::with_capacity(frame_label.len() + 4);
    label.push_str(frame_label);
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = place;
    while let Some(slot) = start.checked_sub(1).and_then(|at| digits.get_mut(at)) {
        *slot = b'0' + (rest % 10) as u8;
        start -= 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for digit in digits.get(start..).unwrap_or_default() {
        label.push(char::from(*digit));
    }
    label
}

/// How many attempts the AWS SDK makes on a throttled request before it throws.
const SDK_MAX_ATTEMPTS: u32 = 3;

impl<'a> Engine<'a> {
    /// Picks the next step to run and schedules its effect after its latency.
    pub(super) fn step_start(&mut self, invocation_id: &str) {
        loop {
            let Some(invocation) = self.invocations.get_mut(invocation_id) else {
                return;
            };
            let Some(frame) = invocation.frames.last_mut() else {
                self.next_record(invocation_id);
                return;
            };
            if frame.next >= frame.steps.len() {
                invocation.frames.pop();
                continue;
            }
            let steps: &'a [Step] = frame.steps;
            let step: &'a Step = &steps[frame.next];
            let label = step_label(&frame.label, frame.next + 1);
            frame.next += 1;
            match step {
                Step::If(decision) => {
                    let holds = match evaluate_if(
                        decision,
                        &invocation.context,
                        &mut self.parsed_conditions,
                    ) {
                        Ok(holds) => holds,
                        // A condition DynamoDB refuses throws, as a step's invalid expression
                        // does: the record fails rather than taking the else branch.
                        Err(error) => {
                            self.fail_record(invocation_id, error);
                            return;
                        }
                    };
                    let (branch, name) = if holds {
                        (&decision.then, "then")
                    } else {
                        (&decision.otherwise, "else")
                    };
                    invocation.frames.push(Frame {
                        steps: branch,
                        next: 0,
                        label: std::borrow::Cow::Owned([label.as_str(), ".", name, "."].concat()),
                    });
                    continue;
                }
                Step::Fail(fail) => {
                    let error = fail.error.clone();
                    self.fail_record(invocation_id, error);
                    return;
                }
                _ => {}
            }
            if self.crash_before(invocation_id, &label) {
                self.fail_record(invocation_id, "Runtime.Crash".to_string());
                return;
            }
            let latency_ms = self.step_latency(step);
            if let Some(invocation) = self.invocations.get_mut(invocation_id) {
                invocation.pending = Some((step, label));
            }
            self.schedule(
                self.now_ms + latency_ms,
                Work::StepComplete {
                    invocation: invocation_id.to_string(),
                },
            );
            return;
        }
    }

    fn step_latency(&self, step: &Step) -> u64 {
        let ms = match step {
            Step::Get(s) => s.latency_ms,
            Step::Put(s) | Step::Update(s) | Step::Delete(s) => s.latency_ms,
            Step::Query(s) => s.latency_ms,
            Step::TransactWrite(s) => s.latency_ms,
            Step::Emit(s) => s.latency_ms,
            Step::Send(s) => s.latency_ms,
            Step::Invoke(s) => s.latency_ms,
            Step::StartExecution(s) => s.latency_ms,
            Step::SendTaskSuccess(s) => s.latency_ms,
            Step::SendTaskFailure(s) => s.latency_ms,
            Step::Call(s) => match self.node(&s.api).map(|n| &n.kind) {
                Some(NodeKind::ExternalApi(api)) => api.latency_ms,
                _ => 10,
            },
            Step::If(_) | Step::Fail(_) => 0,
        };
        u64::from(ms)
    }

    /// A step's effect takes place.
    pub(super) fn step_complete(&mut self, invocation_id: &str) {
        let Some(invocation) = self.invocations.get_mut(invocation_id) else {
            return;
        };
        let Some((step, label)) = invocation.pending.take() else {
            return;
        };
        match self.apply_step(invocation_id, step, &label) {
            Outcome::Continue => {
                if self.crash_after(invocation_id, &label) {
                    self.fail_record(invocation_id, "Runtime.Crash".to_string());
                } else {
                    self.schedule(
                        self.now_ms,
                        Work::StepStart {
                            invocation: invocation_id.to_string(),
                        },
                    );
                }
            }
            Outcome::Stop => {
                if let Some(invocation) = self.invocations.get_mut(invocation_id) {
                    invocation.frames.clear();
                }
                self.schedule(
                    self.now_ms,
                    Work::StepStart {
                        invocation: invocation_id.to_string(),
                    },
                );
            }
            Outcome::Fail(error) => self.fail_record(invocation_id, error),
            Outcome::Waiting => {}
            Outcome::RetryAfter(delay_ms) => {
                if let Some(invocation) = self.invocations.get_mut(invocation_id) {
                    invocation.pending = Some((step, label));
                }
                self.schedule(
                    self.now_ms + delay_ms,
                    Work::StepComplete {
                        invocation: invocation_id.to_string(),
                    },
                );
            }
        }
    }

    /// Applies a step with the invocation's context lent out of it rather than copied (the
    /// context holds the whole incoming event; copying it for every step dominated runs).
    /// Whatever the step saves lands in the lent-out slot and is merged back afterwards, in the
    /// order it was saved, so the context ends up exactly as if the step had written it in place.
    fn apply_step(&mut self, invocation_id: &str, step: &'a Step, label: &str) -> Outcome {
        let Some(context) = self
            .invocations
            .get_mut(invocation_id)
            .map(|i| std::mem::take(&mut i.context))
        else {
            return Outcome::Fail("lost".into());
        };
        let outcome = self.apply_step_with(invocation_id, step, label, &context);
        if let Some(invocation) = self.invocations.get_mut(invocation_id) {
            let saved = std::mem::replace(&mut invocation.context, context);
            invocation.context.absorb(saved);
        }
        outcome
    }

    fn apply_step_with(
        &mut self,
        invocation_id: &str,
        step: &'a Step,
        label: &str,
        context: &Context,
    ) -> Outcome {
        match step {
            Step::Get(s) => {
                let request = object([
                    ("TableName", json!(s.table)),
                    ("Key", key_of(&s.key, context)),
                    ("ConsistentRead", json!(s.consistent_read)),
                ]);
                self.table_call(
                    invocation_id,
                    label,
                    "GetItem",
                    request,
                    OnConditionFailed::Fail,
                    |answer| match answer {
                        Answer::Item(item) => {
                            Some(item.as_ref().map_or(Value::Null, plain_of_item))
                        }
                        other => Some(
                            other
                                .to_body()
                                .get("Item")
                                .and_then(Value::as_object)
                                .map(unmarshal_map)
                                .unwrap_or(Value::Null),
                        ),
                    },
                    Some(&s.save_as),
                )
            }
            Step::Put(s) => {
                let request = write_request(s, "put", context);
                self.table_call(
                    invocation_id,
                    label,
                    "PutItem",
                    request,
                    s.on_condition_failed,
                    |_| None,
                    None,
                )
            }
            Step::Update(s) => self.update_step(invocation_id, label, s, context),
            Step::Delete(s) => {
                let request = write_request(s, "delete", context);
                self.table_call(
                    invocation_id,
                    label,
                    "DeleteItem",
                    request,
                    s.on_condition_failed,
                    |_| None,
                    None,
                )
            }
            Step::Query(s) => {
                let mut request = json!({"TableName": s.table, "KeyConditionExpression": s.key_condition, "ScanIndexForward": s.scan_index_forward});
                if let Some(filter) = &s.filter {
                    request["FilterExpression"] = json!(filter);
                }
                if let Some(limit) = s.limit {
                    request["Limit"] = json!(limit);
                }
                add_expressions(&mut request, &s.expressions, context);
                self.table_call(
                    invocation_id,
                    label,
                    "Query",
                    request,
                    OnConditionFailed::Fail,
                    |answer| {
                        let Answer::Body(response) = answer else {
                            return Some(Value::Array(Vec::new()));
                        };
                        Some(Value::Array(
                            response
                                .get("Items")
                                .and_then(Value::as_array)
                                .map(|items| {
                                    items
                                        .iter()
                                        .filter_map(Value::as_object)
                                        .map(unmarshal_map)
                                        .collect()
                                })
                                .unwrap_or_default(),
                        ))
                    },
                    Some(&s.save_as),
                )
            }
            Step::TransactWrite(s) => {
                let items: Vec<Value> = s
                    .items
                    .iter()
                    .map(|item| transact_entry(item, context))
                    .collect();
                let mut request = json!({"TransactItems": items});
                if let Some(token) = &s.client_request_token {
                    request["ClientRequestToken"] = json!(key_text(&resolve(token, context)));
                }
                self.table_call(
                    invocation_id,
                    label,
                    "TransactWriteItems",
                    request,
                    s.on_condition_failed,
                    |_| None,
                    None,
                )
            }
            Step::Emit(s) => self.emit_step(invocation_id, label, s, context),
            Step::Send(s) => {
                let body = resolve(&s.body, context);
                let group = s
                    .message_group_id
                    .as_ref()
                    .map(|g| key_text(&resolve(g, context)));
                let dedup = s
                    .deduplication_id
                    .as_ref()
                    .map(|d| key_text(&resolve(d, context)));
                let request = json!({"QueueUrl": s.queue, "MessageBody": body, "MessageGroupId": group, "MessageDeduplicationId": dedup});
                let seq = self.step_trace(invocation_id, label, "send", request, json!({}));
                let correlation = self
                    .invocations
                    .get(invocation_id)
                    .and_then(|i| i.correlation.clone());
                self.send_message(
                    &s.queue,
                    body,
                    group,
                    dedup,
                    &format!("{invocation_id}/{label}"),
                    correlation,
                    seq,
                );
                Outcome::Continue
            }
            Step::Invoke(s) => {
                let payload = resolve(&s.payload, context);
                let seq = self.step_trace(invocation_id, label, "invoke", json!({"FunctionName": s.function, "InvocationType": "RequestResponse", "Payload": payload}), json!({}));
                let child = Engine::derive_id_from("inv", format_args!("{invocation_id}/{label}"));
                let correlation = self
                    .invocations
                    .get(invocation_id)
                    .and_then(|i| i.correlation.clone());
                if let Some(state) = self.functions.get_mut(&s.function) {
                    state.in_flight += 1;
                } else {
                    self.functions
                        .entry(s.function.clone())
                        .or_default()
                        .in_flight = 1;
                }
                self.start_invocation(
                    &s.function,
                    child,
                    1,
                    Source::Sync {
                        parent: invocation_id.to_string(),
                    },
                    vec![std::rc::Rc::new(payload)],
                    seq,
                    correlation,
                    false,
                );
                Outcome::Waiting
            }
            Step::StartExecution(s) => {
                let input = resolve(&s.input, context);
                let origin = format!("{invocation_id}/{label}");
                let seq = self.step_trace(invocation_id, label, "startExecution", json!({"stateMachineArn": s.state_machine, "input": input}), json!({"executionArn": Engine::derive_id_from("exec", format_args!("{}/{origin}", s.state_machine))}));
                let correlation = self
                    .invocations
                    .get(invocation_id)
                    .and_then(|i| i.correlation.clone());
                let explicit = s.name.as_ref().map(|n| key_text(&resolve(n, context)));
                self.start_execution(&s.state_machine, input, &origin, explicit, correlation, seq);
                Outcome::Continue
            }
            Step::SendTaskSuccess(s) => {
                self.send_task_success_step(invocation_id, label, s, context)
            }
            Step::SendTaskFailure(s) => {
                self.send_task_failure_step(invocation_id, label, s, context)
            }
            Step::Call(s) => self.call_step(invocation_id, label, s, context),
            Step::If(_) | Step::Fail(_) => Outcome::Continue,
        }
    }

    /// Sends one request to the tables, traces it, and applies the policy for a failed
    /// condition. `extract` picks what to save under `save_as` from the answer.
    #[allow(clippy::too_many_arguments)]
    fn table_call(
        &mut self,
        invocation_id: &str,
        label: &str,
        operation: &str,
        request: Value,
        on_condition_failed: OnConditionFailed,
        extract: impl Fn(&Answer) -> Option<Value>,
        save_as: Option<&str>,
    ) -> Outcome {
        let result = self.database.answer(operation, &request, self.now_ms);
        let call = TableCall {
            invocation_id,
            label,
            operation,
            table: None,
            on_condition_failed,
            save_as,
        };
        self.table_outcome(call, result, request, extract)
    }

    /// An UpdateItem step: the tables answer the typed call its resolved parts make, and its
    /// request body is built only for a trace that keeps it (or when the tables decline the
    /// typed call and read the body instead).
    fn update_step(
        &mut self,
        invocation_id: &str,
        label: &str,
        step: &WriteStep,
        context: &Context,
    ) -> Outcome {
        let resolved = ResolvedUpdate::new(step, context);
        let answered = match (resolved.typed_key(), resolved.typed_values()) {
            (Some(key), Some(values)) => {
                let call = UpdateCall {
                    table_name: &step.table,
                    key,
                    update_expression: step.update.as_deref(),
                    condition_expression: step.condition.as_deref(),
                    names: &resolved.names,
                    values: &values,
                    return_values: "ALL_NEW",
                };
                self.database.update_item_call(call, self.now_ms)
            }
            _ => None,
        };
        let (result, request) = match answered {
            Some(result) => (result, self.body(|| resolved.into_body(step))),
            None => {
                let request = resolved.into_body(step);
                let result = self.database.answer("UpdateItem", &request, self.now_ms);
                (result, request)
            }
        };
        let call = TableCall {
            invocation_id,
            label,
            operation: "UpdateItem",
            table: Some(&step.table),
            on_condition_failed: step.on_condition_failed,
            save_as: step.save_as.as_deref(),
        };
        self.table_outcome(call, result, request, |answer| match answer {
            Answer::Attributes(attributes) => attributes.as_ref().map(plain_of_item),
            other => other
                .to_body()
                .get("Attributes")
                .and_then(Value::as_object)
                .map(unmarshal_map),
        })
    }

    /// Traces a table call's answer, saves what `extract` picks from it, and applies the
    /// policy for a failed condition or a throttle.
    fn table_outcome(
        &mut self,
        call: TableCall<'_>,
        result: Result<Answer, ApiError>,
        request: Value,
        extract: impl Fn(&Answer) -> Option<Value>,
    ) -> Outcome {
        let TableCall {
            invocation_id,
            label,
            operation,
            table,
            on_condition_failed,
            save_as,
        } = call;
        self.route_stream_records();
        match result {
            Ok(answer) => {
                // What is saved is read from the answer's items, not from its response body,
                // which is only built when the trace keeps it.
                let saved = save_as.and_then(|name| Some((name, extract(&answer)?)));
                let response = self.body(|| answer.into_body());
                let request = self.body(|| request);
                self.step_trace(invocation_id, label, operation, request, response);
                if let Some((name, value)) = saved {
                    if let Some(invocation) = self.invocations.get_mut(invocation_id) {
                        invocation.context.save(name, value);
                    }
                }
                if let Some(invocation) = self.invocations.get_mut(invocation_id) {
                    invocation.sdk_attempts = 0;
                }
                Outcome::Continue
            }
            Err(error) => {
                let table = match table {
                    Some(table) => table.to_string(),
                    None => request["TableName"]
                        .as_str()
                        .unwrap_or("transaction")
                        .to_string(),
                };
                let conditional = error.error_type == "ConditionalCheckFailedException"
                    || (error.error_type == "TransactionCanceledException"
                        && error.message.contains("ConditionalCheckFailed"));
                let correlation = self
                    .invocations
                    .get(invocation_id)
                    .and_then(|i| i.correlation.clone());
                let cause = self.invocations.get(invocation_id).map(|i| i.last_seq);
                if conditional {
                    let seq = self.record(
                        &table,
                        cause,
                        correlation.as_deref(),
                        TraceKind::ConditionFailed {
                            invocation: invocation_id.to_string(),
                            step: label.to_string(),
                            table: table.clone(),
                            error: error.error_type.clone(),
                            message: error.message.clone(),
                            request: self.body(|| request.clone()),
                        },
                    );
                    self.set_last_seq(invocation_id, seq);
                    return match on_condition_failed {
                        OnConditionFailed::Fail => Outcome::Fail(error.error_type),
                        OnConditionFailed::Skip => Outcome::Continue,
                        OnConditionFailed::Stop => Outcome::Stop,
                    };
                }
                if error.error_type == "ProvisionedThroughputExceededException"
                    || error.error_type == "ThrottlingException"
                {
                    let attempts = self
                        .invocations
                        .get_mut(invocation_id)
                        .map(|i| {
                            i.sdk_attempts += 1;
                            i.sdk_attempts
                        })
                        .unwrap_or(SDK_MAX_ATTEMPTS);
                    let seq = self.record(
                        &table,
                        cause,
                        correlation.as_deref(),
                        TraceKind::Throttled {
                            subject: format!("{invocation_id} {label}"),
                            reason: format!(
                                "{}: {} (SDK attempt {attempts} of {SDK_MAX_ATTEMPTS})",
                                error.error_type, error.message
                            ),
                        },
                    );
                    self.set_last_seq(invocation_id, seq);
                    if attempts < SDK_MAX_ATTEMPTS {
                        return Outcome::RetryAfter(50 * (1 << attempts));
                    }
                    if let Some(invocation) = self.invocations.get_mut(invocation_id) {
                        invocation.sdk_attempts = 0;
                    }
                    return Outcome::Fail(error.error_type);
                }
                let request = self.body(|| request);
                let response = self.body(
                    || json!({"error": {"type": error.error_type, "message": error.message}}),
                );
                self.step_trace(invocation_id, label, operation, request, response);
                Outcome::Fail(format!("{}: {}", error.error_type, error.message))
            }
        }
    }

    pub(super) fn set_last_seq(&mut self, invocation_id: &str, seq: u32) {
        if let Some(invocation) = self.invocations.get_mut(invocation_id) {
            invocation.last_seq = seq;
        }
    }

    /// Records a step in the trace, caused by the invocation's previous event.
    pub(super) fn step_trace(
        &mut self,
        invocation_id: &str,
        label: &str,
        op: &str,
        request: Value,
        response: Value,
    ) -> u32 {
        let Some(invocation) = self.invocations.get(invocation_id) else {
            return 0;
        };
        let (function, cause, correlation) = (
            invocation.function.clone(),
            invocation.last_seq,
            invocation.correlation.clone(),
        );
        let seq = self.record_owned(
            function,
            Some(cause),
            correlation,
            TraceKind::Step {
                invocation: invocation_id.to_string(),
                step: label.to_string(),
                op: op.to_string(),
                request,
                response,
            },
        );
        self.set_last_seq(invocation_id, seq);
        seq
    }

    fn crash_before(&mut self, invocation_id: &str, label: &str) -> bool {
        // Without a rate nothing can be drawn: skip building the names a crash would carry.
        if self.design.scenario.faults.crash_before_step_rate_ppm == 0 {
            return false;
        }
        let Some(invocation) = self.invocations.get(invocation_id) else {
            return false;
        };
        let (function, attempt, cause, correlation) = (
            invocation.function.clone(),
            invocation.attempt,
            invocation.last_seq,
            invocation.correlation.clone(),
        );
        let entity = format!("{invocation_id}/{label}");
        let drawn = self.random.chance(
            self.design.scenario.faults.crash_before_step_rate_ppm,
            "crash-before",
            &entity,
            attempt,
        );
        self.fault(
            &format!("crash-before:{entity}"),
            drawn,
            &function,
            Some(cause),
            correlation.as_deref(),
            format!("{function} crashes before step {label}"),
        )
    }

    fn crash_after(&mut self, invocation_id: &str, label: &str) -> bool {
        // Without a rate or a scripted crash nothing can happen: skip building the names.
        let scenario = &self.design.scenario;
        if scenario.faults.crash_after_step_rate_ppm == 0
            && !scenario
                .scripted
                .iter()
                .any(|fault| matches!(fault, ScriptedFault::Crash { .. }))
        {
            return false;
        }
        let Some(invocation) = self.invocations.get(invocation_id) else {
            return false;
        };
        let (function, attempt, cause, correlation) = (
            invocation.function.clone(),
            invocation.attempt,
            invocation.last_seq,
            invocation.correlation.clone(),
        );
        let entity = format!("{invocation_id}/{label}");
        let scripted = self.design.scenario.scripted.iter().any(|fault| matches!(fault,
            ScriptedFault::Crash { function: f, after_step, attempt: a } if *f == function && label == format!("s{after_step}") && (*a == 0 || *a == attempt)));
        let drawn = scripted
            || self.random.chance(
                self.design.scenario.faults.crash_after_step_rate_ppm,
                "crash-after",
                &entity,
                attempt,
            );
        self.fault(
            &format!("crash-after:{entity}"),
            drawn,
            &function,
            Some(cause),
            correlation.as_deref(),
            format!("{function} crashes after step {label} took effect (attempt {attempt})"),
        )
    }
}

#[cfg(test)]
mod tests {
    // Step labels read as the formatter writes them.
    #[test]
    fn step_labels_read_as_formatted() {
        for (frame, place) in [("s", 1), ("s2.then.", 10), ("", 0), ("s", usize::MAX)] {
            assert_eq!(super::step_label(frame, place), format!("{frame}{place}"));
        }
    }
}
