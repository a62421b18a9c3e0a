//! The trace: everything that happened in a run, one structured event per line, with causal
//! links (`cause` is the `seq` of the event that led to this one). The text rendering is one
//! line per event (legend in docs/trace-format.md) and the trace hash is the pinned hash of that
//! text, so "same trace" means byte-identical text.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::random::TextHasher;

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceEvent {
    /// Position in the trace, from 0.
    pub seq: u32,
    pub at_ms: u64,
    /// The component it happened at (a node id).
    pub node: String,
    /// The event that led to this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<u32>,
    /// The correlation id of the business flow it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation: Option<String>,
    #[serde(flatten)]
    pub kind: TraceKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TraceKind {
    /// A producer started a flow by putting an event on a bus.
    #[serde(rename_all = "camelCase")]
    Produced {
        event_id: String,
        event_type: String,
        key: String,
    },
    /// A bus accepted an event (PutEvents) and matched it against its rules.
    #[serde(rename_all = "camelCase")]
    Published {
        event_id: String,
        event_type: String,
        matched_rules: Vec<String>,
        event: Value,
    },
    /// A delivery reached its target (a function's async queue, a queue, a bus).
    #[serde(rename_all = "camelCase")]
    Delivered {
        delivery: String,
        event_id: String,
        rule: String,
        target: String,
    },
    /// An injected fault, named by what it hit, so it can be suppressed on replay.
    #[serde(rename_all = "camelCase")]
    Fault { fault: String, description: String },
    /// A function invocation began.
    #[serde(rename_all = "camelCase")]
    InvocationStarted {
        invocation: String,
        attempt: u32,
        source: String,
    },
    /// A handler step took effect (or was answered).
    #[serde(rename_all = "camelCase")]
    Step {
        invocation: String,
        step: String,
        op: String,
        request: Value,
        response: Value,
    },
    /// A conditional write was rejected. `request` is the rejected request (DynamoDB JSON), so
    /// an item's history can show the write that lost and its condition.
    #[serde(rename_all = "camelCase")]
    ConditionFailed {
        invocation: String,
        step: String,
        table: String,
        error: String,
        message: String,
        #[serde(default)]
        request: Value,
    },
    /// A request was throttled (table partition capacity, function concurrency).
    #[serde(rename_all = "camelCase")]
    Throttled { subject: String, reason: String },
    /// A function invocation ended.
    #[serde(rename_all = "camelCase")]
    InvocationFinished {
        invocation: String,
        ok: bool,
        error: Option<String>,
    },
    /// A retry was scheduled (Lambda async retry, EventBridge target retry, stream batch retry).
    #[serde(rename_all = "camelCase")]
    RetryScheduled {
        subject: String,
        layer: String,
        attempt: u32,
        retry_at_ms: u64,
    },
    /// A message or event moved to a dead-letter queue or on-failure destination.
    #[serde(rename_all = "camelCase")]
    DeadLettered {
        subject: String,
        destination: String,
        reason: String,
    },
    /// Something was dropped for good (retries exhausted with nowhere to go).
    #[serde(rename_all = "camelCase")]
    Discarded { subject: String, reason: String },
    /// A message entered a queue.
    #[serde(rename_all = "camelCase")]
    MessageSent {
        message: String,
        group: Option<String>,
        body: Value,
    },
    /// A FIFO queue dropped a message as a duplicate inside the 5-minute window.
    #[serde(rename_all = "camelCase")]
    MessageDeduplicated {
        message: String,
        deduplication_id: String,
    },
    /// A poller received a message (once per receive).
    #[serde(rename_all = "camelCase")]
    MessageReceived {
        message: String,
        receive_count: u32,
        invocation: String,
    },
    /// A message was deleted after successful processing.
    #[serde(rename_all = "camelCase")]
    MessageDeleted { message: String },
    /// A table write produced a stream record.
    #[serde(rename_all = "camelCase")]
    StreamRecord {
        sequence: String,
        event_name: String,
        keys: Value,
    },
    /// An external API performed its side effect (or answered from its idempotency record).
    #[serde(rename_all = "camelCase")]
    ExternalEffect {
        key: String,
        idempotency_key: Option<String>,
        repeated: bool,
        effect_count: u32,
    },
    /// A state machine execution's history event (ExecutionStarted, TaskStateEntered, ...).
    #[serde(rename_all = "camelCase")]
    Execution {
        execution: String,
        event: String,
        state: Option<String>,
        detail: Value,
    },
    /// The run stopped at a bound before it settled.
    #[serde(rename_all = "camelCase")]
    BoundReached { bound: String, detail: String },
}

impl TraceKind {
    /// The kind's name as written in JSON and in the text rendering.
    pub fn name(&self) -> &'static str {
        match self {
            TraceKind::Produced { .. } => "produced",
            TraceKind::Published { .. } => "published",
            TraceKind::Delivered { .. } => "delivered",
            TraceKind::Fault { .. } => "fault",
            TraceKind::InvocationStarted { .. } => "invocationStarted",
            TraceKind::Step { .. } => "step",
            TraceKind::ConditionFailed { .. } => "conditionFailed",
            TraceKind::Throttled { .. } => "throttled",
            TraceKind::InvocationFinished { .. } => "invocationFinished",
            TraceKind::RetryScheduled { .. } => "retryScheduled",
            TraceKind::DeadLettered { .. } => "deadLettered",
            TraceKind::Discarded { .. } => "discarded",
            TraceKind::MessageSent { .. } => "messageSent",
            TraceKind::MessageDeduplicated { .. } => "messageDeduplicated",
            TraceKind::MessageReceived { .. } => "messageReceived",
            TraceKind::MessageDeleted { .. } => "messageDeleted",
            TraceKind::StreamRecord { .. } => "streamRecord",
            TraceKind::ExternalEffect { .. } => "externalEffect",
            TraceKind::Execution { .. } => "execution",
            TraceKind::BoundReached { .. } => "boundReached",
        }
    }
}

impl TraceEvent {
    /// One line: `#seq @at_ms node kind details <- #cause`.
    pub fn to_line(&self) -> String {
        let cause = self.cause.map(|c| format!(" <- #{c}")).unwrap_or_default();
        format!(
            "#{} @{}ms {} {} {}{}",
            self.seq,
            self.at_ms,
            self.node,
            self.kind.name(),
            self.details(),
            cause
        )
    }

    fn details(&self) -> String {
        match &self.kind {
            TraceKind::Produced {
                event_id,
                event_type,
                key,
            } => format!("{event_type} {event_id} key={key}"),
            TraceKind::Published {
                event_id,
                event_type,
                matched_rules,
                ..
            } => {
                format!(
                    "{event_type} {event_id} rules=[{}]",
                    matched_rules.join(",")
                )
            }
            TraceKind::Delivered {
                delivery,
                event_id,
                rule,
                target,
            } => {
                format!("{delivery} {event_id} rule={rule} -> {target}")
            }
            TraceKind::Fault { fault, description } => format!("{fault}: {description}"),
            TraceKind::InvocationStarted {
                invocation,
                attempt,
                source,
            } => {
                format!("{invocation} attempt={attempt} from={source}")
            }
            TraceKind::Step {
                invocation,
                step,
                op,
                request,
                response,
            } => {
                format!(
                    "{invocation} {step} {op} {} => {}",
                    compact(request),
                    compact(response)
                )
            }
            TraceKind::ConditionFailed {
                invocation,
                step,
                table,
                error,
                message,
                ..
            } => {
                format!("{invocation} {step} {table} {error}: {message}")
            }
            TraceKind::Throttled { subject, reason } => format!("{subject}: {reason}"),
            TraceKind::InvocationFinished {
                invocation,
                ok,
                error,
            } => match error {
                Some(error) if !ok => format!("{invocation} error={error}"),
                _ => format!("{invocation} ok"),
            },
            TraceKind::RetryScheduled {
                subject,
                layer,
                attempt,
                retry_at_ms,
            } => {
                format!("{subject} layer={layer} attempt={attempt} at={retry_at_ms}ms")
            }
            TraceKind::DeadLettered {
                subject,
                destination,
                reason,
            } => format!("{subject} -> {destination}: {reason}"),
            TraceKind::Discarded { subject, reason } => format!("{subject}: {reason}"),
            TraceKind::MessageSent {
                message,
                group,
                body,
            } => match group {
                Some(group) => format!("{message} group={group} {}", compact(body)),
                None => format!("{message} {}", compact(body)),
            },
            TraceKind::MessageDeduplicated {
                message,
                deduplication_id,
            } => {
                format!("{message} dedup={deduplication_id}")
            }
            TraceKind::MessageReceived {
                message,
                receive_count,
                invocation,
            } => {
                format!("{message} receiveCount={receive_count} by={invocation}")
            }
            TraceKind::MessageDeleted { message } => message.clone(),
            TraceKind::StreamRecord {
                sequence,
                event_name,
                keys,
            } => format!("{sequence} {event_name} {}", compact(keys)),
            TraceKind::ExternalEffect {
                key,
                idempotency_key,
                repeated,
                effect_count,
            } => {
                let idempotency = idempotency_key.as_deref().unwrap_or("-");
                let repeated = if *repeated {
                    " (answered from idempotency record)"
                } else {
                    ""
                };
                format!("key={key} idempotencyKey={idempotency} effects={effect_count}{repeated}")
            }
            TraceKind::Execution {
                execution,
                event,
                state,
                ..
            } => match state {
                Some(state) => format!("{execution} {event} {state}"),
                None => format!("{execution} {event}"),
            },
            TraceKind::BoundReached { bound, detail } => format!("{bound}: {detail}"),
        }
    }
}

fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 160 {
        let cut: String = text.chars().take(157).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// The whole trace as text, one event per line.
pub fn render(trace: &[TraceEvent]) -> String {
    let mut text = String::new();
    for event in trace {
        text.push_str(&event.to_line());
        text.push('\n');
    }
    text
}

/// The pinned hash of the trace: over its canonical JSON lines, so every field counts.
pub fn trace_hash(trace: &[TraceEvent]) -> String {
    use std::io::Write;
    let mut hasher = TextHasher::default();
    for event in trace {
        // Writing into the hasher cannot fail, and serializing these types cannot either.
        let _ = serde_json::to_writer(&mut hasher, event);
        let _ = hasher.write_all(b"\n");
    }
    hasher.finish_hex()
}
