//! Lambda: the asynchronous invocation queue with its two retries and on-failure destination,
//! reserved concurrency and throttling, and the lifecycle of an invocation (start, records of a
//! batch, finish). What a handler's steps do is in `handler`.

use std::rc::Rc;

use serde_json::{json, Value};

use super::context::Context;
use super::engine::{Engine, Work};
use super::random::TextHasher;
use super::trace::TraceKind;
use crate::design::{NodeKind, Step};

/// How long Lambda waits before the 2nd and 3rd asynchronous attempts (about 1 and 2 minutes).
const ASYNC_RETRY_BASE_MS: u64 = 60_000;
/// The async poller's pick-up latency.
const ASYNC_PICKUP_MS: u64 = 5;

/// An event waiting in a function's asynchronous invocation queue.
#[derive(Debug, Clone)]
pub struct AsyncEvent {
    pub id: String,
    /// Shared with the invocation that reads it, so a retry or a dead letter still has it.
    pub payload: Rc<Value>,
    pub correlation: Option<String>,
    pub cause: u32,
    pub accepted_at_ms: u64,
    /// The attempt the next invocation will be (1-based).
    pub attempt: u32,
}

/// Where an invocation's input came from, which decides what happens when it ends.
#[derive(Debug, Clone)]
pub enum Source {
    Async(AsyncEvent),
    Queue {
        trigger: String,
        queue: String,
        messages: Vec<String>,
    },
    Stream {
        consumer: String,
    },
    Sync {
        parent: String,
    },
    /// A Step Functions task; `answer` says how the invocation's end answers it.
    StateMachine {
        execution: String,
        token: u64,
        answer: super::orchestration::LambdaAnswer,
    },
}

/// A frame of the program counter: a step list and the index of the next step in it.
#[derive(Debug, Clone)]
pub struct Frame<'a> {
    pub steps: &'a [Step],
    pub next: usize,
    /// The labels' common start (`s`, `s2.then.`): a handler's top frame's is not allocated.
    pub label: std::borrow::Cow<'static, str>,
}

/// One running invocation of a function.
#[derive(Debug, Clone)]
pub struct Invocation<'a> {
    pub id: String,
    pub function: String,
    pub attempt: u32,
    pub source: Source,
    /// The inputs of the batch (one for async and sync invocations).
    pub records: Vec<Rc<Value>>,
    pub record_index: usize,
    pub frames: Vec<Frame<'a>>,
    /// `{"event", "cloudevent", "data", "correlationId", ...saved results}` for the record.
    pub context: Context,
    pub failed_records: Vec<usize>,
    pub error: Option<String>,
    pub correlation: Option<String>,
    pub last_seq: u32,
    /// The step whose effect is due at the next StepComplete.
    pub pending: Option<(&'a Step, String)>,
    pub report_batch_item_failures: bool,
    /// Attempts the SDK made so far on the pending (throttled) request.
    pub sdk_attempts: u32,
}

impl<'a> Engine<'a> {
    /// EventBridge (or a destination) hands an event to a function's async queue.
    pub fn accept_async(
        &mut self,
        function: &str,
        payload: Rc<Value>,
        origin: &str,
        correlation: Option<String>,
        cause: u32,
    ) {
        let event = AsyncEvent {
            id: Engine::derive_id_hashed(
                "async",
                TextHasher::default().text(function).text("/").text(origin),
            ),
            payload,
            correlation,
            cause,
            accepted_at_ms: self.now_ms,
            attempt: 1,
        };
        self.functions
            .entry(function.to_string())
            .or_default()
            .backlog
            .push_back(event);
        self.schedule(
            self.now_ms + ASYNC_PICKUP_MS,
            Work::StartAsync {
                function: function.to_string(),
            },
        );
    }

    /// Starts as many queued async events as the function's concurrency allows.
    pub(super) fn start_async(&mut self, function_id: &str) {
        let Some(NodeKind::Function(function)) = self.node(function_id).map(|n| &n.kind) else {
            return;
        };
        loop {
            let state = self.functions.entry(function_id.to_string()).or_default();
            let Some(front) = state.backlog.front() else {
                return;
            };
            if let Some(limit) = function.reserved_concurrency {
                if limit == 0 {
                    let Some(front) = state.backlog.pop_front() else {
                        return;
                    };
                    self.async_exhausted(
                        function_id,
                        front,
                        "reserved concurrency is 0",
                        "RetriesExhausted",
                    );
                    continue;
                }
                if state.in_flight >= limit {
                    let (cause, correlation, subject) =
                        (front.cause, front.correlation.clone(), front.id.clone());
                    self.record(function_id, Some(cause), correlation.as_deref(), TraceKind::Throttled {
                        subject,
                        reason: format!("reserved concurrency {limit} in use; the event waits in the async queue"),
                    });
                    return;
                }
            }
            let Some(front) = state.backlog.pop_front() else {
                return;
            };
            state.in_flight += 1;
            let attempt = front.attempt;
            let origin = TextHasher::default()
                .text(&front.id)
                .text("/")
                .number(u64::from(attempt));
            let id = Engine::derive_id_hashed("inv", origin);
            let records = vec![Rc::clone(&front.payload)];
            let cause = front.cause;
            let correlation = front.correlation.clone();
            self.start_invocation(
                function_id,
                id,
                attempt,
                Source::Async(front),
                records,
                cause,
                correlation,
                false,
            );
        }
    }

    /// Begins an invocation and schedules its first step.
    #[allow(clippy::too_many_arguments)]
    pub fn start_invocation(
        &mut self,
        function_id: &str,
        id: String,
        attempt: u32,
        source: Source,
        records: Vec<Rc<Value>>,
        cause: u32,
        correlation: Option<String>,
        report_batch_item_failures: bool,
    ) {
        let Some(NodeKind::Function(function)) = self.node(function_id).map(|n| &n.kind) else {
            return;
        };
        let source_name = match &source {
            Source::Async(event) => ["async:", event.id.as_str()].concat(),
            Source::Queue { queue, .. } => format!("queue:{queue}"),
            Source::Stream { consumer } => format!("stream:{consumer}"),
            Source::Sync { parent } => format!("invoke:{parent}"),
            Source::StateMachine { execution, .. } => format!("execution:{execution}"),
        };
        let seq = self.record(
            function_id,
            Some(cause),
            correlation.as_deref(),
            TraceKind::InvocationStarted {
                invocation: id.clone(),
                attempt,
                source: source_name,
            },
        );
        let record = records
            .first()
            .map_or_else(|| Rc::new(Value::Null), Rc::clone);
        let mut context = Context::for_record(record);
        context.lend_invocation(&id, attempt, self.now_ms);
        let invocation = Invocation {
            id: id.clone(),
            function: function_id.to_string(),
            attempt,
            source,
            records,
            record_index: 0,
            frames: vec![Frame {
                steps: &function.steps,
                next: 0,
                label: std::borrow::Cow::Borrowed("s"),
            }],
            context,
            failed_records: Vec::new(),
            error: None,
            correlation,
            last_seq: seq,
            pending: None,
            report_batch_item_failures,
            sdk_attempts: 0,
        };
        self.invocations.insert(id.clone(), invocation);
        self.schedule(self.now_ms, Work::StepStart { invocation: id });
    }

    /// The current record failed: with ReportBatchItemFailures the batch goes on without it;
    /// otherwise the whole invocation fails.
    pub(super) fn fail_record(&mut self, invocation_id: &str, error: String) {
        let Some(invocation) = self.invocations.get_mut(invocation_id) else {
            return;
        };
        if invocation.report_batch_item_failures && invocation.records.len() > 1 {
            invocation.failed_records.push(invocation.record_index);
            invocation.frames.clear();
            self.schedule(
                self.now_ms,
                Work::StepStart {
                    invocation: invocation_id.to_string(),
                },
            );
        } else {
            invocation.error = Some(error);
            self.finish_invocation(invocation_id);
        }
    }

    /// Moves to the next record of a batch, or finishes when there is none.
    pub(super) fn next_record(&mut self, invocation_id: &str) {
        let Some(invocation) = self.invocations.get_mut(invocation_id) else {
            return;
        };
        invocation.record_index += 1;
        if invocation.record_index >= invocation.records.len() {
            self.finish_invocation(invocation_id);
            return;
        }
        let Some(NodeKind::Function(function)) = self
            .nodes
            .get(invocation.function.as_str())
            .map(|n| &n.kind)
        else {
            return;
        };
        let Some(record) = invocation.records.get(invocation.record_index) else {
            return;
        };
        invocation.context = Context::for_record(Rc::clone(record));
        invocation
            .context
            .lend_invocation(&invocation.id, invocation.attempt, self.now_ms);
        invocation.frames = vec![Frame {
            steps: &function.steps,
            next: 0,
            label: std::borrow::Cow::Borrowed("s"),
        }];
        self.schedule(
            self.now_ms,
            Work::StepStart {
                invocation: invocation_id.to_string(),
            },
        );
    }

    /// Ends an invocation and hands its outcome to its source.
    pub(super) fn finish_invocation(&mut self, invocation_id: &str) {
        let Some(mut invocation) = self.invocations.remove(invocation_id) else {
            return;
        };
        let ok = invocation.error.is_none();
        let seq = self.record(
            &invocation.function,
            Some(invocation.last_seq),
            invocation.correlation.as_deref(),
            TraceKind::InvocationFinished {
                invocation: invocation.id.clone(),
                ok,
                error: invocation.error.clone(),
            },
        );
        if let Some(state) = self.functions.get_mut(&invocation.function) {
            state.in_flight = state.in_flight.saturating_sub(1);
        }
        // The source is moved out (the invocation is over), not copied with its payload.
        let parent_placeholder = Source::Sync {
            parent: String::new(),
        };
        match std::mem::replace(&mut invocation.source, parent_placeholder) {
            Source::Async(event) => {
                if !ok {
                    self.async_failed(&invocation.function, event, seq);
                }
                self.schedule(
                    self.now_ms,
                    Work::StartAsync {
                        function: invocation.function.clone(),
                    },
                );
            }
            Source::Queue {
                trigger,
                queue,
                messages,
            } => self.queue_batch_done(&trigger, &queue, &messages, &invocation, seq),
            Source::Stream { consumer } => {
                self.stream_batch_done(&consumer, ok, &invocation.failed_records, seq)
            }
            Source::Sync { parent } => self.sync_invoke_done(&parent, &invocation, seq),
            Source::StateMachine {
                execution,
                token,
                answer,
            } => {
                let result = handler_result(&invocation);
                self.state_machine_task_done(
                    &execution,
                    token,
                    answer,
                    invocation.error.clone(),
                    result,
                );
            }
        }
    }

    /// An async attempt failed: retry after about 1 then 2 minutes, then give up.
    fn async_failed(&mut self, function_id: &str, mut event: AsyncEvent, cause: u32) {
        let Some(NodeKind::Function(function)) = self.node(function_id).map(|n| &n.kind) else {
            return;
        };
        let max_age_ms = u64::from(function.async_max_event_age_s) * 1000;
        if event.attempt > function.async_retry_attempts {
            event.cause = cause;
            self.async_exhausted(
                function_id,
                event,
                "all attempts failed",
                "RetriesExhausted",
            );
            return;
        }
        let retry_at_ms = self.now_ms + ASYNC_RETRY_BASE_MS * u64::from(event.attempt);
        if retry_at_ms - event.accepted_at_ms > max_age_ms {
            event.cause = cause;
            self.async_exhausted(
                function_id,
                event,
                "the event is older than MaximumEventAgeInSeconds",
                "EventAgeExceeded",
            );
            return;
        }
        event.attempt += 1;
        event.cause = self.record(
            function_id,
            Some(cause),
            event.correlation.as_deref(),
            TraceKind::RetryScheduled {
                subject: event.id.clone(),
                layer: "lambda-async".to_string(),
                attempt: event.attempt,
                retry_at_ms,
            },
        );
        self.schedule(
            retry_at_ms,
            Work::RequeueAsync {
                function: function_id.to_string(),
                event: Box::new(event),
            },
        );
    }

    /// Retries are exhausted: the on-failure destination gets an invocation record, or the
    /// event is discarded.
    fn async_exhausted(
        &mut self,
        function_id: &str,
        event: AsyncEvent,
        reason: &str,
        condition: &str,
    ) {
        let Some(NodeKind::Function(function)) = self.node(function_id).map(|n| &n.kind) else {
            return;
        };
        let Some(destination) = function.on_failure.clone() else {
            self.record(
                function_id,
                Some(event.cause),
                event.correlation.as_deref(),
                TraceKind::Discarded {
                    subject: event.id.clone(),
                    reason: format!("{reason}; no on-failure destination"),
                },
            );
            return;
        };
        let record = json!({
            "version": "1.0",
            "requestContext": {
                "requestId": event.id,
                "functionArn": format!("arn:aws:lambda:us-east-1:123456789012:function:{function_id}"),
                "condition": condition,
                "approximateInvokeCount": event.attempt,
            },
            "requestPayload": event.payload.as_ref(),
        });
        let seq = self.record(
            function_id,
            Some(event.cause),
            event.correlation.as_deref(),
            TraceKind::DeadLettered {
                subject: event.id.clone(),
                destination: destination.clone(),
                reason: reason.to_string(),
            },
        );
        match self.node(&destination).map(|n| &n.kind) {
            Some(NodeKind::Queue(_)) => self.send_message(
                &destination,
                record,
                None,
                None,
                &event.id,
                event.correlation.clone(),
                seq,
            ),
            Some(NodeKind::Function(_)) => self.accept_async(
                &destination,
                Rc::new(record),
                &event.id,
                event.correlation.clone(),
                seq,
            ),
            _ => {}
        }
    }
}

/// What a handler returns: what it saved as `result`, or else its input.
pub fn handler_result(invocation: &Invocation<'_>) -> Value {
    match invocation.context.get("result") {
        Some(result) => result.clone(),
        None => invocation
            .records
            .first()
            .map_or(Value::Null, |record| Value::clone(record)),
    }
}
