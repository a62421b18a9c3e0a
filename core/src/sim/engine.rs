//! The engine's state and loop: virtual time, the agenda ordered by (time, sequence), the trace
//! it appends to, and the dispatch of each piece of work to the component that owns it.
//!
//! Components (bus, lambda, queue, stream, handler) are `impl Engine` blocks in their own files;
//! none of them reads a clock or an unkeyed random source, and all iteration that decides
//! anything goes over `BTreeMap`s or vectors in document order.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};

use serde_json::Value;

use super::lambda::{AsyncEvent, Invocation};
use super::queue::QueueState;
use super::random::{hash_u64, Randomness, TextHasher};
use super::stream::Consumer;
use super::trace::{TraceEvent, TraceKind};
use crate::design::{Design, Node, NodeKind, Rule};
use crate::dynamo::Database;
use crate::pattern::{Pattern, RuleSet};

/// How many trace events a run makes room for at its start.
const TRACE_CAPACITY: usize = 512;

/// A piece of work due at a virtual instant.
#[derive(Debug, Clone)]
pub enum Work {
    Produce {
        producer: String,
        number: u32,
    },
    Deliver(Box<super::bus::Delivery>),
    StartAsync {
        function: String,
    },
    /// A failed async event goes back into its function's queue after the retry interval.
    RequeueAsync {
        function: String,
        event: Box<AsyncEvent>,
    },
    StepStart {
        invocation: String,
    },
    StepComplete {
        invocation: String,
    },
    QueuePoll {
        trigger: String,
    },
    MessageVisible {
        queue: String,
    },
    StreamPoll {
        consumer: String,
    },
    AdvanceExecution {
        execution: String,
    },
}

/// Per-function platform state.
#[derive(Debug, Default)]
pub struct FunctionState {
    pub in_flight: u32,
    pub backlog: VecDeque<AsyncEvent>,
}

/// Per-external-API state: effects per key and the idempotency records it honours.
#[derive(Debug, Default)]
pub struct ApiState {
    pub effects: BTreeMap<String, u32>,
    pub idempotency: BTreeMap<String, Value>,
}

/// A compiled bus: its rules in one matching structure.
pub struct CompiledBus<'a> {
    pub rule_set: RuleSet,
    pub rules: BTreeMap<String, &'a Rule>,
}

pub struct Engine<'a> {
    pub design: &'a Design,
    pub nodes: BTreeMap<&'a str, &'a Node>,
    pub buses: BTreeMap<&'a str, CompiledBus<'a>>,
    pub random: Randomness,
    pub suppressed: &'a BTreeSet<String>,
    pub database: Database,
    pub now_ms: u64,
    agenda: BinaryHeap<Reverse<(u64, u64)>>,
    work: BTreeMap<u64, Work>,
    next_work: u64,
    pub trace: Vec<TraceEvent>,
    pub max_events: u32,
    pub max_time_ms: u64,
    pub invocations: BTreeMap<String, Invocation<'a>>,
    pub functions: BTreeMap<String, FunctionState>,
    pub queues: BTreeMap<String, QueueState>,
    pub consumers: BTreeMap<String, Consumer>,
    pub apis: BTreeMap<String, ApiState>,
    pub executions: BTreeMap<String, super::orchestration::ExecutionState>,
    pub definitions: BTreeMap<String, std::sync::Arc<crate::asl::Definition>>,
    /// How many events of each type were published so far (for "the 3rd OrderPlaced").
    pub type_counts: BTreeMap<String, u32>,
    /// Each `published` trace event's envelope, shared with its deliveries while the run goes
    /// on; `into_trace` puts them into the trace at the end (moved, not copied, once nothing
    /// else holds them), since nothing reads a published event's body during the run.
    pub published: Vec<(u32, std::rc::Rc<Value>)>,
    pub stopped: Option<String>,
    /// Whether trace events keep their bodies (requests, responses, envelopes); see
    /// `TraceDetail`. Nothing the run decides may depend on it.
    pub keeps_bodies: bool,
    /// Each event type's CloudEvent source (`/service`), written once per run rather than for
    /// every event; the first declaration of a type wins.
    sources: BTreeMap<&'a str, String>,
    /// The `if` conditions parsed so far in this run.
    pub(super) parsed_conditions: super::requests::ParsedConditions<'a>,
}

impl<'a> Engine<'a> {
    pub fn new(design: &'a Design, seed: u64, suppressed: &'a BTreeSet<String>) -> Engine<'a> {
        let nodes: BTreeMap<&str, &Node> =
            design.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
        let mut buses = BTreeMap::new();
        for node in &design.nodes {
            if let NodeKind::Bus(bus) = &node.kind {
                let mut compiled = Vec::new();
                let mut rules = BTreeMap::new();
                for rule in &bus.rules {
                    // An invalid pattern matches nothing; validation reports it.
                    if let Ok(pattern) = Pattern::from_value(&rule.pattern) {
                        compiled.push((rule.id.clone(), pattern));
                        rules.insert(rule.id.clone(), rule);
                    }
                }
                buses.insert(
                    node.id.as_str(),
                    CompiledBus {
                        rule_set: RuleSet::compile(&compiled),
                        rules,
                    },
                );
            }
        }
        let mut sources = BTreeMap::new();
        for event_type in &design.event_types {
            sources
                .entry(event_type.type_name.as_str())
                .or_insert_with(|| format!("/{}", event_type.source));
        }
        Engine {
            design,
            nodes,
            sources,
            buses,
            random: Randomness::new(seed),
            suppressed,
            database: Database::new(),
            now_ms: 0,
            agenda: BinaryHeap::new(),
            work: BTreeMap::new(),
            next_work: 0,
            // Most runs record a few hundred events; growing there one doubling at a time
            // copied the trace over and over.
            trace: Vec::with_capacity(
                TRACE_CAPACITY.min(design.scenario.bounds.max_events as usize),
            ),
            max_events: design.scenario.bounds.max_events,
            max_time_ms: design.scenario.bounds.max_time_ms,
            invocations: BTreeMap::new(),
            functions: BTreeMap::new(),
            queues: BTreeMap::new(),
            consumers: BTreeMap::new(),
            apis: BTreeMap::new(),
            executions: BTreeMap::new(),
            definitions: BTreeMap::new(),
            type_counts: BTreeMap::new(),
            published: Vec::new(),
            stopped: None,
            keeps_bodies: true,
            parsed_conditions: Default::default(),
        }
    }

    /// Schedules `work` at `at_ms` (never in the past).
    pub fn schedule(&mut self, at_ms: u64, work: Work) {
        let at_ms = at_ms.max(self.now_ms);
        let sequence = self.next_work;
        self.next_work += 1;
        self.agenda.push(Reverse((at_ms, sequence)));
        self.work.insert(sequence, work);
    }

    /// Runs the agenda until it is empty or a bound is hit.
    pub fn run_to_end(&mut self) {
        while let Some(Reverse((at_ms, sequence))) = self.agenda.pop() {
            let Some(work) = self.work.remove(&sequence) else {
                continue;
            };
            if at_ms > self.max_time_ms {
                self.stop(
                    "maxTimeMs",
                    format!(
                        "virtual time would pass {} ms with work still pending",
                        self.max_time_ms
                    ),
                );
                return;
            }
            self.now_ms = at_ms;
            self.dispatch(work);
            if self.trace.len() as u64 >= u64::from(self.max_events) {
                self.stop(
                    "maxEvents",
                    format!("the trace reached {} events", self.max_events),
                );
                return;
            }
        }
    }

    fn dispatch(&mut self, work: Work) {
        match work {
            Work::Produce { producer, number } => self.produce(&producer, number),
            Work::Deliver(delivery) => self.deliver(*delivery),
            Work::StartAsync { function } => self.start_async(&function),
            Work::RequeueAsync { function, event } => {
                self.functions
                    .entry(function.clone())
                    .or_default()
                    .backlog
                    .push_back(*event);
                self.start_async(&function);
            }
            Work::StepStart { invocation } => self.step_start(&invocation),
            Work::StepComplete { invocation } => self.step_complete(&invocation),
            Work::QueuePoll { trigger } => self.queue_poll(&trigger),
            Work::MessageVisible { queue } => self.message_visible(&queue),
            Work::StreamPoll { consumer } => self.stream_poll(&consumer),
            Work::AdvanceExecution { execution } => self.advance_execution(&execution),
        }
    }

    fn stop(&mut self, bound: &str, detail: String) {
        self.stopped = Some(bound.to_string());
        self.record(
            "run",
            None,
            None,
            TraceKind::BoundReached {
                bound: bound.to_string(),
                detail,
            },
        );
    }

    /// Appends a trace event and returns its `seq`.
    pub fn record(
        &mut self,
        node: &str,
        cause: Option<u32>,
        correlation: Option<&str>,
        kind: TraceKind,
    ) -> u32 {
        self.record_owned(
            node.to_string(),
            cause,
            correlation.map(str::to_string),
            kind,
        )
    }

    /// `record` of a node and correlation already owned (moved in, not copied again).
    pub fn record_owned(
        &mut self,
        node: String,
        cause: Option<u32>,
        correlation: Option<String>,
        kind: TraceKind,
    ) -> u32 {
        let seq = self.trace.len() as u32;
        self.trace.push(TraceEvent {
            seq,
            at_ms: self.now_ms,
            node,
            cause,
            correlation,
            kind,
        });
        seq
    }

    /// Whether an injected fault should happen: drawn, then checked against the suppressed
    /// set; when it happens it is recorded as a trace event naming what it hit.
    pub fn fault(
        &mut self,
        fault: &str,
        drawn: bool,
        node: &str,
        cause: Option<u32>,
        correlation: Option<&str>,
        description: String,
    ) -> bool {
        if !drawn || self.suppressed.contains(fault) {
            return false;
        }
        self.record(
            node,
            cause,
            correlation,
            TraceKind::Fault {
                fault: fault.to_string(),
                description,
            },
        );
        true
    }

    /// A stable id derived from what caused the thing: `prefix-` and 10 hex digits.
    pub fn derive_id(prefix: &str, origin: &str) -> String {
        id_text(prefix, hash_u64(origin) >> 24)
    }

    /// `derive_id` of a formatted origin, hashed as it is formatted: the same id as
    /// `derive_id(prefix, &format!(...))` without building the origin text (ids are derived
    /// for every delivery, async event, invocation and event).
    pub fn derive_id_from(prefix: &str, origin: std::fmt::Arguments<'_>) -> String {
        use std::io::Write;
        let mut hasher = TextHasher::default();
        // Writing into the hasher cannot fail.
        let _ = hasher.write_fmt(origin);
        id_text(prefix, hasher.finish_u64() >> 24)
    }

    /// `derive_id` of an origin hashed part by part (`TextHasher::text`, `number`): the same
    /// id, without the formatter, for the ids made for every event, delivery and invocation.
    pub fn derive_id_hashed(prefix: &str, origin: TextHasher) -> String {
        id_text(prefix, origin.finish_u64() >> 24)
    }

    pub fn node(&self, id: &str) -> Option<&'a Node> {
        self.nodes.get(id).copied()
    }

    /// The service that emits an event type (its CloudEvent source).
    pub fn source_of(&self, event_type: &str) -> String {
        match self.sources.get(event_type) {
            Some(source) => source.clone(),
            None => "/unknown".to_string(),
        }
    }

    /// A virtual time as an RFC 3339 timestamp; virtual time 0 is 2024-01-01T00:00:00Z.
    pub fn timestamp(&self, at_ms: u64) -> String {
        timestamp(at_ms)
    }

    /// A trace event's body: built by `make` when the trace keeps bodies, else null.
    pub fn body(&self, make: impl FnOnce() -> Value) -> Value {
        if self.keeps_bodies {
            make()
        } else {
            Value::Null
        }
    }

    pub fn has_pending_work(&self) -> bool {
        !self.work.is_empty()
    }

    /// The finished trace, each published event's envelope put in place. The rest of the engine
    /// is dropped first, so an envelope is copied only when a run stopped at a bound with a
    /// delivery of it still pending.
    pub fn into_trace(self) -> Vec<TraceEvent> {
        let Engine {
            mut trace,
            published,
            work,
            invocations,
            functions,
            ..
        } = self;
        drop((work, invocations, functions));
        for (seq, envelope) in published {
            if let Some(TraceKind::Published { event, .. }) =
                trace.get_mut(seq as usize).map(|e| &mut e.kind)
            {
                *event = std::rc::Rc::unwrap_or_clone(envelope);
            }
        }
        trace
    }
}

/// `prefix-` and the low 40 bits of `hash` as 10 lowercase hex digits: what
/// `format!("{prefix}-{hash:010x}")` writes for a hash below 2^40, without the formatter (ids
/// are made several times per event).
fn id_text(prefix: &str, hash: u64) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(prefix.len() + 11);
    text.push_str(prefix);
    text.push('-');
    for shift in (0..10).rev() {
        let digit = (hash >> (shift * 4)) & 0xf;
        text.push(char::from(DIGITS[digit as usize]));
    }
    text
}

/// Virtual time 0 (2024-01-01T00:00:00Z) in milliseconds since the Unix epoch.
pub const VIRTUAL_EPOCH_MS: u64 = 1_704_067_200_000;

/// A virtual time as an RFC 3339 timestamp; virtual time 0 is 2024-01-01T00:00:00Z.
pub fn timestamp(at_ms: u64) -> String {
    const EPOCH_DAYS: u64 = 19_723; // 2024-01-01 in days since 1970-01-01
    let total_seconds = at_ms / 1000;
    let days = EPOCH_DAYS + total_seconds / 86_400;
    let seconds_of_day = total_seconds % 86_400;
    // The calendar arithmetic is the transformer's, so both render the same dates.
    let (year, month, day) = crate::pattern::transform::time::civil_from_days(days as i64);
    let (hours, minutes, seconds) = (
        seconds_of_day / 3600,
        (seconds_of_day / 60) % 60,
        seconds_of_day % 60,
    );
    if !(0..=9999).contains(&year) {
        return format!(
            "{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{:03}Z",
            at_ms % 1000
        );
    }
    // Every event carries a timestamp: its digits are written directly, without the formatter.
    let mut text = String::with_capacity(24);
    push_digits(&mut text, year as u64, 4);
    text.push('-');
    push_digits(&mut text, u64::from(month), 2);
    text.push('-');
    push_digits(&mut text, u64::from(day), 2);
    text.push('T');
    push_digits(&mut text, hours, 2);
    text.push(':');
    push_digits(&mut text, minutes, 2);
    text.push(':');
    push_digits(&mut text, seconds, 2);
    text.push('.');
    push_digits(&mut text, at_ms % 1000, 3);
    text.push('Z');
    text
}

/// The last `width` decimal digits of `value`, zero-padded.
fn push_digits(text: &mut String, value: u64, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u64.pow(place)) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
}

#[cfg(test)]
mod tests {
    // Ids read exactly as the formatter would write them.
    #[test]
    fn ids_read_as_formatted() {
        for hash in [0, 1, 0xabc, 0xff_ffff_ffff, 0x12_3456_789a] {
            assert_eq!(super::id_text("evt", hash), format!("evt-{hash:010x}"));
        }
    }

    // Virtual time renders as a real RFC 3339 timestamp from 2024-01-01.
    #[test]
    fn timestamps() {
        assert_eq!(super::timestamp(0), "2024-01-01T00:00:00.000Z");
        assert_eq!(
            super::timestamp(86_400_000 * 60 + 1_234),
            "2024-03-01T00:00:01.234Z"
        );
        assert_eq!(
            super::timestamp(86_400_000 * 366 + 3_723_456),
            "2025-01-01T01:02:03.456Z"
        );
        // Far years keep the formatter's width.
        let far = super::timestamp(u64::MAX / 1_000);
        assert!(far.starts_with("586") && far.ends_with(".551Z"), "{far}");
    }
}
