//! DynamoDB Streams consumers: event source mappings to functions (in-order batches per shard,
//! retried until they succeed or expire, so a poison record blocks its shard) and EventBridge
//! Pipes to a bus (the outbox relay). Each table has one shard in the simulator: per-item order
//! is what AWS promises, and one shard keeps that while making a blocked shard easy to see.

use std::collections::VecDeque;

use serde_json::Value;

use super::engine::{Engine, Work};
use super::lambda::Source;
use super::trace::TraceKind;
use super::values::{lookup, unmarshal};
use crate::design::NodeKind;
use crate::pattern::Pattern;

/// How soon a consumer picks up new records (Lambda polls a shard about 4 times a second).
const STREAM_POLL_MS: u64 = 250;
/// Stream retention: records older than this are gone.
const RETENTION_MS: u64 = 24 * 3_600_000;

/// A record waiting on a shard.
#[derive(Debug, Clone)]
pub struct PendingRecord {
    pub sequence: String,
    pub record: Value,
    pub at_ms: u64,
    pub cause: u32,
}

/// Who reads a table's stream.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsumerKind {
    Trigger,
    Pipe,
}

/// One reader of one table's stream.
#[derive(Debug, Clone)]
pub struct Consumer {
    pub kind: ConsumerKind,
    pub records: VecDeque<PendingRecord>,
    pub busy: bool,
    pub in_batch: usize,
    pub failed_attempts: u32,
}

impl<'a> Engine<'a> {
    /// Registers every consumer of every table stream.
    pub fn register_stream_consumers(&mut self) {
        for trigger in &self.design.triggers {
            if matches!(
                self.node(&trigger.source).map(|n| &n.kind),
                Some(NodeKind::Table(_))
            ) {
                self.consumers
                    .insert(trigger.id.clone(), consumer(ConsumerKind::Trigger));
            }
        }
        for node in &self.design.nodes {
            if let NodeKind::Pipe(pipe) = &node.kind {
                if matches!(
                    self.node(&pipe.source).map(|n| &n.kind),
                    Some(NodeKind::Table(_))
                ) {
                    self.consumers
                        .insert(node.id.clone(), consumer(ConsumerKind::Pipe));
                }
            }
        }
    }

    fn consumers_of(&self, table: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .design
            .triggers
            .iter()
            .filter(|t| t.source == table)
            .map(|t| t.id.clone())
            .collect();
        for node in &self.design.nodes {
            if let NodeKind::Pipe(pipe) = &node.kind {
                if pipe.source == table {
                    ids.push(node.id.clone());
                }
            }
        }
        ids.retain(|id| self.consumers.contains_key(id));
        ids
    }

    /// Takes the records the tables produced and hands them to their consumers, in order.
    pub fn route_stream_records(&mut self) {
        for record in self.database.drain_stream_records() {
            let keys = crate::dynamo::item_to_value(&record.keys);
            let cause = self.trace.len().checked_sub(1).map(|s| s as u32);
            let sequence = format!("{:021}", record.sequence_number);
            let seq = self.record(
                &record.table_name,
                cause,
                None,
                TraceKind::StreamRecord {
                    sequence: sequence.clone(),
                    event_name: record.event_name.clone(),
                    keys,
                },
            );
            for consumer_id in self.consumers_of(&record.table_name) {
                // A trigger's filter criteria drop records before the function sees them.
                let filter = self
                    .design
                    .triggers
                    .iter()
                    .find(|t| t.id == consumer_id)
                    .and_then(|t| t.filter.as_ref());
                if filter.is_some_and(|f| {
                    !Pattern::from_value(f).is_ok_and(|p| p.matches(&record.record))
                }) {
                    continue;
                }
                if let Some(consumer) = self.consumers.get_mut(&consumer_id) {
                    consumer.records.push_back(PendingRecord {
                        sequence: sequence.clone(),
                        record: record.record.clone(),
                        at_ms: record.at_ms,
                        cause: seq,
                    });
                    if !consumer.busy {
                        self.schedule(
                            self.now_ms + STREAM_POLL_MS,
                            Work::StreamPoll {
                                consumer: consumer_id,
                            },
                        );
                    }
                }
            }
        }
    }

    pub(super) fn stream_poll(&mut self, consumer_id: &str) {
        let now = self.now_ms;
        let Some(consumer) = self.consumers.get_mut(consumer_id) else {
            return;
        };
        if consumer.busy {
            return;
        }
        while consumer
            .records
            .front()
            .is_some_and(|r| now.saturating_sub(r.at_ms) > RETENTION_MS)
        {
            consumer.records.pop_front();
        }
        if consumer.records.is_empty() {
            return;
        }
        match consumer.kind {
            ConsumerKind::Pipe => self.pipe_forward(consumer_id),
            ConsumerKind::Trigger => self.stream_invoke(consumer_id),
        }
    }

    fn stream_invoke(&mut self, consumer_id: &str) {
        let Some(trigger) = self.design.triggers.iter().find(|t| t.id == consumer_id) else {
            return;
        };
        let Some(consumer) = self.consumers.get_mut(consumer_id) else {
            return;
        };
        let count = (trigger.batch_size as usize).min(consumer.records.len());
        let batch: Vec<PendingRecord> = consumer.records.iter().take(count).cloned().collect();
        consumer.busy = true;
        consumer.in_batch = count;
        let attempt = consumer.failed_attempts + 1;
        let first = batch
            .first()
            .map(|r| r.sequence.clone())
            .unwrap_or_default();
        let invocation =
            Engine::derive_id("inv", &format!("{consumer_id}/{first}/{count}/{attempt}"));
        let cause = batch.first().map(|r| r.cause).unwrap_or(0);
        let records = batch
            .into_iter()
            .map(|r| std::rc::Rc::new(r.record))
            .collect();
        self.functions
            .entry(trigger.function.clone())
            .or_default()
            .in_flight += 1;
        let source = Source::Stream {
            consumer: consumer_id.to_string(),
        };
        let report = trigger.report_batch_item_failures;
        self.start_invocation(
            &trigger.function.clone(),
            invocation,
            attempt,
            source,
            records,
            cause,
            None,
            report,
        );
    }

    /// A stream batch ended: advance past it, or retry it (the shard waits meanwhile).
    pub(super) fn stream_batch_done(
        &mut self,
        consumer_id: &str,
        ok: bool,
        failed_records: &[usize],
        seq: u32,
    ) {
        let max_retries = self
            .design
            .triggers
            .iter()
            .find(|t| t.id == consumer_id)
            .and_then(|t| t.maximum_retry_attempts);
        let Some(consumer) = self.consumers.get_mut(consumer_id) else {
            return;
        };
        consumer.busy = false;
        let processed = if ok && failed_records.is_empty() {
            consumer.in_batch
        } else if ok {
            // ReportBatchItemFailures: checkpoint before the lowest failed record.
            failed_records.iter().copied().min().unwrap_or(0)
        } else {
            0
        };
        for _ in 0..processed {
            consumer.records.pop_front();
        }
        if processed == consumer.in_batch {
            consumer.failed_attempts = 0;
            self.schedule(
                self.now_ms,
                Work::StreamPoll {
                    consumer: consumer_id.to_string(),
                },
            );
            return;
        }
        consumer.failed_attempts += 1;
        let attempts = consumer.failed_attempts;
        if max_retries.is_some_and(|max| attempts > max) {
            let skipped = consumer.in_batch - processed;
            for _ in 0..skipped {
                consumer.records.pop_front();
            }
            consumer.failed_attempts = 0;
            self.record(
                consumer_id,
                Some(seq),
                None,
                TraceKind::Discarded {
                    subject: format!("{skipped} stream record(s)"),
                    reason: "MaximumRetryAttempts exhausted; the shard moves on".to_string(),
                },
            );
            self.schedule(
                self.now_ms,
                Work::StreamPoll {
                    consumer: consumer_id.to_string(),
                },
            );
            return;
        }
        let delay_ms = (1_000u64 << attempts.min(6).saturating_sub(1)).min(60_000);
        let retry_at_ms = self.now_ms + delay_ms;
        self.record(
            consumer_id,
            Some(seq),
            None,
            TraceKind::RetryScheduled {
                subject: format!("stream batch of {consumer_id}"),
                layer: "stream".to_string(),
                attempt: attempts + 1,
                retry_at_ms,
            },
        );
        self.schedule(
            retry_at_ms,
            Work::StreamPoll {
                consumer: consumer_id.to_string(),
            },
        );
    }

    /// A pipe forwards one record: filter, pick the event, put it on the bus.
    fn pipe_forward(&mut self, pipe_id: &str) {
        let Some(NodeKind::Pipe(pipe)) = self.node(pipe_id).map(|n| &n.kind) else {
            return;
        };
        let Some(record) = self
            .consumers
            .get_mut(pipe_id)
            .and_then(|c| c.records.pop_front())
        else {
            return;
        };
        let passes = match &pipe.filter {
            Some(filter) => Pattern::from_value(filter)
                .map(|p| p.matches(&record.record))
                .unwrap_or(false),
            None => true,
        };
        if passes {
            let picked = match &pipe.event_path {
                Some(path) => lookup(&record.record, path.trim_start_matches("$."))
                    .cloned()
                    .unwrap_or(Value::Null),
                None => record.record.clone(),
            };
            // Stream images are in the DynamoDB wire shape; the event inside is plain JSON.
            let event = if picked
                .as_object()
                .is_some_and(|o| o.len() == 1 && o.contains_key("M"))
            {
                unmarshal(&picked)
            } else {
                picked
            };
            if event.get("specversion").is_some() {
                self.put_event(&pipe.target.clone(), event, Some(record.cause));
            }
        }
        self.schedule(
            self.now_ms,
            Work::StreamPoll {
                consumer: pipe_id.to_string(),
            },
        );
    }
}

fn consumer(kind: ConsumerKind) -> Consumer {
    Consumer {
        kind,
        records: VecDeque::new(),
        busy: false,
        in_batch: 0,
        failed_attempts: 0,
    }
}
