//! The deterministic simulator: a design and a scenario in, a trace and a summary out, the same
//! bytes every time, natively and in wasm.
//!
//! `simulate` is a pure function of (design, options, core version). Time is virtual
//! milliseconds; ties are broken by a sequence number; every random decision is drawn from a
//! keyed sub-stream (`random`), and every injected fault is a trace event naming what it hit,
//! so a run can be replayed with chosen faults suppressed and nothing else changes.

mod bus;
mod callbacks;
mod context;
mod effects;
mod engine;
mod handler;
pub mod history;
mod lambda;
mod orchestration;
mod queue;
pub mod random;
mod requests;
pub mod state;
pub mod story;
mod stream;
pub mod trace;
pub mod values;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};

use crate::design::{Design, NodeKind};
use crate::dynamo::CapacityConfig;
pub use engine::timestamp;
use engine::Engine;
pub use history::{item_history, ItemWrite};
pub use state::{state_at, StateAt};
pub use story::{event_story, EventStory};
pub use trace::{render, trace_hash, TraceEvent, TraceKind};

/// What to run beyond the design's own scenario.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Overrides the scenario's seed.
    pub seed: Option<u64>,
    /// Faults (by the name their trace event gives) that must not happen on this run.
    pub suppressed_faults: BTreeSet<String>,
}

/// The result of one run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub seed: u64,
    pub trace: Vec<TraceEvent>,
    pub trace_hash: String,
    pub summary: Summary,
}

/// The run in numbers, and the state it ended in.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub events: u32,
    pub end_ms: u64,
    pub published: u32,
    pub deliveries: u32,
    pub invocations: u32,
    pub failed_invocations: u32,
    pub retries: u32,
    pub condition_failures: u32,
    pub throttles: u32,
    pub faults: u32,
    pub dead_lettered: BTreeMap<String, u32>,
    /// External API → business key → how many times the side effect happened.
    pub external_effects: BTreeMap<String, BTreeMap<String, u32>>,
    /// Queue → messages left in it at the end.
    pub queue_depths: BTreeMap<String, u32>,
    /// Table → its items at the end (plain JSON), in key order.
    pub final_items: BTreeMap<String, Vec<Value>>,
    /// Whether the run ended with nothing left to do (false when it hit a bound).
    pub settled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<String>,
}

/// Runs a design's scenario.
pub fn simulate(design: &Design, options: &RunOptions) -> Run {
    let mut run = simulate_unhashed(design, options);
    run.trace_hash = trace_hash(&run.trace);
    run
}

/// Runs a design's scenario and leaves `trace_hash` empty: exploring judges properties on the
/// trace's events over many seeds, and hashing every trace's full JSON would cost it about a
/// tenth of its time for a value it only needs for the few runs it reports.
pub(crate) fn simulate_unhashed(design: &Design, options: &RunOptions) -> Run {
    simulate_with(design, options, TraceDetail::Full)
}

/// How much of its events' bodies a run keeps in its trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TraceDetail {
    /// Everything: the trace text, its hash and every explanation read it.
    Full,
    /// Only what decides whether a check passes: the request and response of each table and
    /// emit step and the envelope of each published event are left null, and the summary has
    /// no final items. Exploring judges thousands of runs and
    /// drops them; building and freeing those bodies was a fifth of its time. No check's status
    /// reads them (only the item checks do, and they are judged on full runs), but the words of
    /// an explanation may, so a failure is explained from a full run of the same seed.
    Verdicts,
}

/// Runs a design's scenario keeping the trace detail asked for, without the trace hash.
pub(crate) fn simulate_with(design: &Design, options: &RunOptions, detail: TraceDetail) -> Run {
    let seed = options.seed.unwrap_or(design.scenario.seed);
    let mut engine = Engine::new(design, seed, &options.suppressed_faults);
    engine.keeps_bodies = detail == TraceDetail::Full;
    create_tables(&mut engine);
    engine.register_stream_consumers();
    engine.schedule_producers();
    engine.run_to_end();
    let summary = summarize(&engine, detail);
    Run {
        seed,
        trace: engine.into_trace(),
        trace_hash: String::new(),
        summary,
    }
}

fn create_tables(engine: &mut Engine<'_>) {
    for node in &engine.design.nodes {
        let NodeKind::Table(table) = &node.kind else {
            continue;
        };
        let mut key_schema =
            vec![json!({"AttributeName": table.partition_key.name, "KeyType": "HASH"})];
        let mut definitions = vec![
            json!({"AttributeName": table.partition_key.name, "AttributeType": table.partition_key.attribute_type}),
        ];
        if let Some(sort) = &table.sort_key {
            key_schema.push(json!({"AttributeName": sort.name, "KeyType": "RANGE"}));
            definitions
                .push(json!({"AttributeName": sort.name, "AttributeType": sort.attribute_type}));
        }
        let mut request = json!({
            "TableName": node.id,
            "KeySchema": key_schema,
            "AttributeDefinitions": definitions,
            "BillingMode": "PAY_PER_REQUEST",
        });
        if let Some(view) = &table.stream {
            request["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": view});
        }
        // A design whose table cannot be created runs without it; validation says why.
        let _ = engine.database.execute("CreateTable", &request, 0);
        engine.database.set_capacity(
            &node.id,
            CapacityConfig {
                write_units_per_second: table.write_units_per_partition,
                read_units_per_second: table.read_units_per_partition,
                burst_seconds: 0,
            },
        );
    }
}

fn summarize(engine: &Engine<'_>, detail: TraceDetail) -> Summary {
    let mut summary = Summary {
        events: engine.trace.len() as u32,
        end_ms: engine.now_ms,
        settled: engine.stopped.is_none() && !engine.has_pending_work(),
        stopped_by: engine.stopped.clone(),
        ..Summary::default()
    };
    for event in &engine.trace {
        match &event.kind {
            TraceKind::Published { .. } => summary.published += 1,
            TraceKind::Delivered { .. } => summary.deliveries += 1,
            TraceKind::InvocationStarted { .. } => summary.invocations += 1,
            TraceKind::InvocationFinished { ok: false, .. } => summary.failed_invocations += 1,
            TraceKind::RetryScheduled { .. } => summary.retries += 1,
            TraceKind::ConditionFailed { .. } => summary.condition_failures += 1,
            TraceKind::Throttled { .. } => summary.throttles += 1,
            TraceKind::Fault { .. } => summary.faults += 1,
            TraceKind::DeadLettered { destination, .. } => {
                *summary
                    .dead_lettered
                    .entry(destination.clone())
                    .or_insert(0) += 1
            }
            _ => {}
        }
    }
    for (api, state) in &engine.apis {
        summary
            .external_effects
            .insert(api.clone(), state.effects.clone());
    }
    for (queue, state) in &engine.queues {
        summary
            .queue_depths
            .insert(queue.clone(), state.messages.len() as u32);
    }
    // Only the item checks read the final items, and they are judged on full runs.
    if detail != TraceDetail::Full {
        return summary;
    }
    for node in &engine.design.nodes {
        if let NodeKind::Table(_) = node.kind {
            let items = engine.database.items(&node.id).into_iter().map(|item| {
                values::unmarshal_map(
                    crate::dynamo::item_to_value(item)
                        .as_object()
                        .unwrap_or(&serde_json::Map::new()),
                )
            });
            summary.final_items.insert(node.id.clone(), items.collect());
        }
    }
    summary
}
