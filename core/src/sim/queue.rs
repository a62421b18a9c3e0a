//! SQS: standard queues (at-least-once, duplicates possible) and FIFO queues (order per
//! message group, one batch in flight per group, 5-minute deduplication), visibility timeout,
//! receive counts, the redrive policy to a dead-letter queue, and the event source mapping that
//! polls a queue in batches, with ReportBatchItemFailures.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::engine::{Engine, Work};
use super::lambda::{Invocation, Source};
use super::random::hash_text;
use super::trace::TraceKind;
use crate::design::NodeKind;
use crate::pattern::Pattern;

/// FIFO deduplication window.
const DEDUPLICATION_WINDOW_MS: u64 = 300_000;
/// How soon a poller notices a newly visible message.
const POLL_LATENCY_MS: u64 = 10;

/// One message copy in a queue.
#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub body: Value,
    pub group: Option<String>,
    pub receive_count: u32,
    pub visible_at_ms: u64,
    pub in_flight: bool,
    pub correlation: Option<String>,
    pub cause: u32,
}

/// A queue's messages (by slot, in send order) and its deduplication records.
#[derive(Debug, Default)]
pub struct QueueState {
    pub messages: BTreeMap<u32, Message>,
    next_slot: u32,
    deduplication: BTreeMap<String, u64>,
}

impl<'a> Engine<'a> {
    /// SendMessage: a message enters a queue (FIFO deduplication and standard duplicates apply).
    #[allow(clippy::too_many_arguments)]
    pub fn send_message(
        &mut self,
        queue_id: &str,
        body: Value,
        group: Option<String>,
        deduplication_id: Option<String>,
        origin: &str,
        correlation: Option<String>,
        cause: u32,
    ) {
        let Some(NodeKind::Queue(queue)) = self.node(queue_id).map(|n| &n.kind) else {
            return;
        };
        let id = Engine::derive_id("msg", &format!("{queue_id}/{origin}"));
        if queue.fifo {
            let key = deduplication_id.clone().or_else(|| {
                queue
                    .content_based_deduplication
                    .then(|| hash_text(&body.to_string()))
            });
            if let Some(key) = key {
                let state = self.queues.entry(queue_id.to_string()).or_default();
                if let Some(first) = state.deduplication.get(&key) {
                    if self.now_ms < first + DEDUPLICATION_WINDOW_MS {
                        self.record(
                            queue_id,
                            Some(cause),
                            correlation.as_deref(),
                            TraceKind::MessageDeduplicated {
                                message: id,
                                deduplication_id: key,
                            },
                        );
                        return;
                    }
                }
                state.deduplication.insert(key, self.now_ms);
            }
        }
        let seq = self.record(
            queue_id,
            Some(cause),
            correlation.as_deref(),
            TraceKind::MessageSent {
                message: id.clone(),
                group: group.clone(),
                body: body.clone(),
            },
        );
        let message = Message {
            id: id.clone(),
            body,
            group,
            receive_count: 0,
            visible_at_ms: self.now_ms,
            in_flight: false,
            correlation: correlation.clone(),
            cause: seq,
        };
        let duplicate = !queue.fifo && {
            let drawn = self.random.chance(
                self.design.scenario.faults.duplicate_rate_ppm,
                "sqs-duplicate",
                &id,
                0,
            );
            self.fault(
                &format!("duplicate:{id}"),
                drawn,
                queue_id,
                Some(seq),
                correlation.as_deref(),
                format!("SQS stores a second copy of {id}"),
            )
        };
        let state = self.queues.entry(queue_id.to_string()).or_default();
        let copies = if duplicate { 2 } else { 1 };
        for _ in 0..copies {
            let slot = state.next_slot;
            state.next_slot += 1;
            state.messages.insert(slot, message.clone());
        }
        self.schedule_polls(queue_id, self.now_ms + POLL_LATENCY_MS);
    }

    fn schedule_polls(&mut self, queue_id: &str, at_ms: u64) {
        let triggers: Vec<String> = self
            .design
            .triggers
            .iter()
            .filter(|t| t.source == queue_id)
            .map(|t| t.id.clone())
            .collect();
        for trigger in triggers {
            self.schedule(at_ms, Work::QueuePoll { trigger });
        }
    }

    /// The event source mapping receives a batch and invokes the function with it.
    pub(super) fn queue_poll(&mut self, trigger_id: &str) {
        let Some(trigger) = self.design.triggers.iter().find(|t| t.id == trigger_id) else {
            return;
        };
        let (Some(NodeKind::Queue(queue)), Some(NodeKind::Function(function))) = (
            self.node(&trigger.source).map(|n| &n.kind),
            self.node(&trigger.function).map(|n| &n.kind),
        ) else {
            return;
        };
        let in_flight = self
            .functions
            .get(&trigger.function)
            .map(|f| f.in_flight)
            .unwrap_or(0);
        if function
            .reserved_concurrency
            .is_some_and(|limit| in_flight >= limit)
        {
            return; // polled again when an invocation of the function finishes
        }
        let batch_limit = if queue.fifo {
            trigger.batch_size.min(10)
        } else {
            trigger.batch_size
        } as usize;
        let picked = self.pick_batch(&trigger.source, queue.fifo, batch_limit);
        let mut batch = Vec::new();
        for slot in picked {
            let Some(state) = self.queues.get_mut(&trigger.source) else {
                return;
            };
            let Some(message) = state.messages.get_mut(&slot) else {
                continue;
            };
            // Lambda deletes SQS messages that do not match the trigger's filter criteria.
            if let Some(filter) = &trigger.filter {
                let record = json!({"messageId": message.id, "body": message.body});
                if !Pattern::from_value(filter).is_ok_and(|p| p.matches(&record)) {
                    let message = state.messages.remove(&slot);
                    if let Some(message) = message {
                        let seq = self.record(
                            &trigger.source,
                            Some(message.cause),
                            message.correlation.as_deref(),
                            TraceKind::Discarded {
                                subject: message.id.clone(),
                                reason: format!(
                                    "does not match the filter of trigger {}; Lambda deletes it",
                                    trigger.id
                                ),
                            },
                        );
                        self.record(
                            &trigger.source,
                            Some(seq),
                            message.correlation.as_deref(),
                            TraceKind::MessageDeleted {
                                message: message.id,
                            },
                        );
                    }
                    continue;
                }
            }
            message.receive_count += 1;
            if queue
                .max_receive_count
                .is_some_and(|max| message.receive_count > max)
            {
                let message = state.messages.remove(&slot);
                if let (Some(message), Some(dlq)) = (message, queue.dead_letter_queue.clone()) {
                    let seq = self.record(
                        &trigger.source,
                        Some(message.cause),
                        message.correlation.as_deref(),
                        TraceKind::DeadLettered {
                            subject: message.id.clone(),
                            destination: dlq.clone(),
                            reason: format!(
                                "received {} times, more than maxReceiveCount",
                                message.receive_count - 1
                            ),
                        },
                    );
                    self.send_message(
                        &dlq,
                        message.body,
                        message.group,
                        None,
                        &format!("redrive/{}/{slot}", message.id),
                        message.correlation,
                        seq,
                    );
                }
                continue;
            }
            message.in_flight = true;
            message.visible_at_ms = self.now_ms + u64::from(queue.visibility_timeout_s) * 1000;
            batch.push(slot);
        }
        if batch.is_empty() {
            return;
        }
        self.invoke_batch(trigger_id, batch);
        self.schedule(
            self.now_ms,
            Work::QueuePoll {
                trigger: trigger_id.to_string(),
            },
        );
    }

    /// Visible messages for one batch: standard queues in slot order; FIFO queues take whole
    /// groups in order and skip a group that has a message in flight.
    fn pick_batch(&self, queue_id: &str, fifo: bool, limit: usize) -> Vec<u32> {
        let Some(state) = self.queues.get(queue_id) else {
            return Vec::new();
        };
        let mut busy_groups: BTreeSet<&str> = BTreeSet::new();
        if fifo {
            for message in state.messages.values() {
                if message.in_flight || message.visible_at_ms > self.now_ms {
                    busy_groups.insert(message.group.as_deref().unwrap_or(""));
                }
            }
        }
        let mut picked = Vec::new();
        for (slot, message) in &state.messages {
            if picked.len() >= limit {
                break;
            }
            if message.in_flight || message.visible_at_ms > self.now_ms {
                continue;
            }
            if fifo && busy_groups.contains(message.group.as_deref().unwrap_or("")) {
                continue;
            }
            picked.push(*slot);
        }
        picked
    }

    fn invoke_batch(&mut self, trigger_id: &str, slots: Vec<u32>) {
        let Some(trigger) = self.design.triggers.iter().find(|t| t.id == trigger_id) else {
            return;
        };
        let Some(state) = self.queues.get(&trigger.source) else {
            return;
        };
        let messages: Vec<Message> = slots
            .iter()
            .filter_map(|s| state.messages.get(s).cloned())
            .collect();
        let origin: Vec<String> = messages
            .iter()
            .zip(&slots)
            .map(|(m, s)| format!("{}#{s}r{}", m.id, m.receive_count))
            .collect();
        let invocation = Engine::derive_id("inv", &format!("{trigger_id}/{}", origin.join(",")));
        let records: Vec<std::rc::Rc<Value>> = messages
            .iter()
            .map(|m| std::rc::Rc::new(json!({
                "messageId": m.id,
                "body": serde_json::to_string(&m.body).unwrap_or_default(),
                "attributes": {"ApproximateReceiveCount": m.receive_count.to_string(), "MessageGroupId": m.group},
                "eventSource": "aws:sqs",
            })))
            .collect();
        let cause = messages.first().map(|m| m.cause).unwrap_or(0);
        let correlation = messages.first().and_then(|m| m.correlation.clone());
        for message in &messages {
            self.record(
                &trigger.source,
                Some(message.cause),
                message.correlation.as_deref(),
                TraceKind::MessageReceived {
                    message: message.id.clone(),
                    receive_count: message.receive_count,
                    invocation: invocation.clone(),
                },
            );
        }
        self.functions
            .entry(trigger.function.clone())
            .or_default()
            .in_flight += 1;
        let attempt = messages.iter().map(|m| m.receive_count).max().unwrap_or(1);
        let source = Source::Queue {
            trigger: trigger_id.to_string(),
            queue: trigger.source.clone(),
            messages: slots.iter().map(u32::to_string).collect(),
        };
        self.start_invocation(
            &trigger.function.clone(),
            invocation,
            attempt,
            source,
            records,
            cause,
            correlation,
            trigger.report_batch_item_failures,
        );
    }

    /// A batch ended: delete what succeeded; the rest reappears after the visibility timeout.
    pub(super) fn queue_batch_done(
        &mut self,
        trigger: &str,
        queue_id: &str,
        slots: &[String],
        invocation: &Invocation<'a>,
        seq: u32,
    ) {
        let ok = invocation.error.is_none();
        let mut next_visible = None;
        for (index, slot) in slots.iter().enumerate() {
            let Ok(slot) = slot.parse::<u32>() else {
                continue;
            };
            let succeeded = ok && !invocation.failed_records.contains(&index);
            let Some(state) = self.queues.get_mut(queue_id) else {
                return;
            };
            if succeeded {
                if let Some(message) = state.messages.remove(&slot) {
                    self.record(
                        queue_id,
                        Some(seq),
                        message.correlation.as_deref(),
                        TraceKind::MessageDeleted {
                            message: message.id,
                        },
                    );
                }
            } else if let Some(message) = state.messages.get(&slot) {
                next_visible = Some(
                    next_visible
                        .map_or(message.visible_at_ms, |v: u64| v.min(message.visible_at_ms)),
                );
            }
        }
        if let Some(at_ms) = next_visible {
            self.schedule(
                at_ms,
                Work::MessageVisible {
                    queue: queue_id.to_string(),
                },
            );
        }
        self.schedule(
            self.now_ms,
            Work::QueuePoll {
                trigger: trigger.to_string(),
            },
        );
    }

    /// Messages whose visibility timeout ran out can be received again.
    pub(super) fn message_visible(&mut self, queue_id: &str) {
        let now = self.now_ms;
        if let Some(state) = self.queues.get_mut(queue_id) {
            for message in state.messages.values_mut() {
                if message.in_flight && message.visible_at_ms <= now {
                    message.in_flight = false;
                }
            }
        }
        self.schedule_polls(queue_id, now);
    }
}
