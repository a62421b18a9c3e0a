//! Platform semantics in the simulator: the outbox, hot partitions, FIFO order, partial batch
//! failures and a poison record on a stream shard, each a small design plus an assertion.

use eventlab_core::design::{load_text, Design};
use eventlab_core::sim::{simulate, Run, RunOptions, TraceEvent, TraceKind};
use serde_json::{json, Value};

mod common;

fn design_file(name: &str) -> Design {
    let path = format!("{}/../designs/{name}", env!("CARGO_MANIFEST_DIR"));
    load_text(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .design
}

fn design_json(value: Value) -> Design {
    let loaded = load_text(&value.to_string()).unwrap();
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.design
}

fn run(design: &Design, seed: u64) -> Run {
    simulate(
        design,
        &RunOptions {
            seed: Some(seed),
            ..RunOptions::default()
        },
    )
}

fn steps_of<'a>(run: &'a Run, function: &str) -> Vec<&'a TraceEvent> {
    run.trace
        .iter()
        .filter(|e| e.node == function && matches!(e.kind, TraceKind::Step { .. }))
        .collect()
}

// A crash between the table write and the emit loses the event; writing the event into an
// outbox in the same transaction, relayed by a pipe from the stream, loses nothing.
#[test]
fn outbox_survives_the_crash_that_loses_the_event() {
    let broken = run(&design_file("outbox.json"), 1);
    assert_eq!(broken.summary.final_items["orders"].len(), 10);
    assert_eq!(
        broken.summary.final_items["tickets"].len(),
        0,
        "every OrderPlaced was lost"
    );
    let fixed = run(&design_file("outbox-fixed.json"), 1);
    assert_eq!(fixed.summary.faults, 10, "the same crash happens");
    assert_eq!(
        fixed.summary.final_items["tickets"].len(),
        10,
        "every order reached the kitchen"
    );
    let relayed = fixed
        .trace
        .iter()
        .filter(|e| matches!(&e.kind, TraceKind::Published { event_type, .. } if event_type == "com.pizza.order.placed.v1"))
        .count();
    assert_eq!(relayed, 10, "each outbox record is published exactly once");
}

// A producer skewed onto one partition key is throttled by its partition's capacity; the same
// load spread evenly is not.
#[test]
fn hot_key_is_throttled_and_spread_keys_are_not() {
    let skewed = design_file("hot-key.json");
    let hot = run(&skewed, 1);
    assert!(hot.summary.throttles > 0);
    let mut spread = skewed.clone();
    for node in &mut spread.nodes {
        if let eventlab_core::design::NodeKind::Producer(producer) = &mut node.kind {
            producer.keys.hot_share_ppm = 0;
        }
    }
    let even = run(&spread, 1);
    assert_eq!(even.summary.throttles, 0);
    let views: i64 = even.summary.final_items["page-counters"]
        .iter()
        .map(|i| i["views"].as_i64().unwrap())
        .sum();
    assert_eq!(views, 600);
}

fn fifo_design() -> Design {
    design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 30, "intervalMs": 5,
             "data": {"group": "{{key}}", "n": "{{n}}"}, "keys": {"prefix": "g-", "count": 3}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "enqueue"}]}]},
            {"id": "enqueue", "kind": "function", "steps": [
                {"op": "send", "queue": "q.fifo", "body": "$.data", "messageGroupId": "$.data.group", "deduplicationId": "$.data.n"}]},
            {"id": "q.fifo", "kind": "queue", "fifo": true},
            {"id": "consume", "kind": "function", "steps": [
                {"op": "update", "table": "seen", "key": {"id": "$.data.group"}, "update": "SET #last = :n", "names": {"#last": "last"}, "values": {":n": "$.data.n"}, "latencyMs": 40}]},
            {"id": "seen", "kind": "table", "partitionKey": {"name": "id"}}
        ],
        "triggers": [{"id": "t", "source": "q.fifo", "function": "consume", "batchSize": 1}],
        "scenario": {"faults": {"deliveryDelayMsMax": 200}}
    })))
}

// A FIFO queue hands each message group's messages to the consumer in the order they were
// sent, one at a time, even with many groups in flight and delayed deliveries upstream.
#[test]
fn fifo_keeps_per_group_order() {
    for seed in 1..=5 {
        let result = run(&fifo_design(), seed);
        let mut sent: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        let mut received: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        let mut group_of: std::collections::BTreeMap<String, String> = Default::default();
        for event in &result.trace {
            match &event.kind {
                TraceKind::MessageSent {
                    message,
                    group: Some(group),
                    ..
                } => {
                    sent.entry(group.clone()).or_default().push(message.clone());
                    group_of.insert(message.clone(), group.clone());
                }
                TraceKind::MessageReceived { message, .. } => {
                    received
                        .entry(group_of[message].clone())
                        .or_default()
                        .push(message.clone());
                }
                _ => {}
            }
        }
        assert_eq!(sent.len(), 3);
        assert_eq!(sent, received, "seed {seed}");
    }
}

fn batch_design(report_failures: bool) -> Design {
    design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "good", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 4, "intervalMs": 0, "data": {"id": "{{key}}", "poison": false}},
            {"id": "bad", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1, "intervalMs": 0, "data": {"id": "poison", "poison": true}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "q"}]}]},
            {"id": "q", "kind": "queue", "visibilityTimeoutS": 30, "maxReceiveCount": 2, "deadLetterQueue": "dlq"},
            {"id": "dlq", "kind": "queue"},
            {"id": "f", "kind": "function", "steps": [
                {"op": "if", "condition": "#d.poison = :yes", "names": {"#d": "data"}, "values": {":yes": true},
                 "then": [{"op": "fail", "error": "PoisonMessage"}]},
                {"op": "update", "table": "done", "key": {"id": "$.data.id"}, "update": "ADD #c :one", "names": {"#c": "count"}, "values": {":one": 1}}]},
            {"id": "done", "kind": "table", "partitionKey": {"name": "id"}}
        ],
        "triggers": [{"id": "t", "source": "q", "function": "f", "batchSize": 10, "reportBatchItemFailures": report_failures}]
    })))
}

// With ReportBatchItemFailures only the failed message comes back; without it the whole batch
// is redelivered and the good messages are processed again.
#[test]
fn partial_batch_failure_redelivers_only_the_failed_message() {
    let partial = run(&batch_design(true), 1);
    let counts: Vec<i64> = partial.summary.final_items["done"]
        .iter()
        .map(|i| i["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, vec![1, 1, 1, 1]);
    assert_eq!(partial.summary.dead_lettered["dlq"], 1);
    let whole = run(&batch_design(false), 1);
    let counts: Vec<i64> = whole.summary.final_items["done"]
        .iter()
        .map(|i| i["count"].as_i64().unwrap())
        .collect();
    assert!(
        counts.iter().all(|c| *c == 2),
        "every good message processed on both receives: {counts:?}"
    );
}

// A poison record blocks its stream shard: later records wait until the poison's retries are
// exhausted, then flow.
#[test]
fn poison_record_blocks_the_stream_shard() {
    let design = design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "first", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1, "data": {"id": "poison", "poison": true}},
            {"id": "later", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1, "intervalMs": 1000, "data": {"id": "fine", "poison": false}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "writer"}]}]},
            {"id": "writer", "kind": "function", "steps": [
                {"op": "put", "table": "items", "item": {"id": "$.data.id", "poison": "$.data.poison"}}]},
            {"id": "items", "kind": "table", "partitionKey": {"name": "id"}, "stream": "NEW_IMAGE"},
            {"id": "reader", "kind": "function", "steps": [
                {"op": "if", "condition": "#e.dynamodb.NewImage.poison.#b = :yes", "names": {"#e": "event", "#b": "BOOL"}, "values": {":yes": true},
                 "then": [{"op": "fail", "error": "Poison"}]},
                {"op": "put", "table": "read", "item": {"id": "$.event.dynamodb.NewImage.id.S"}}]},
            {"id": "read", "kind": "table", "partitionKey": {"name": "id"}}
        ],
        "triggers": [{"id": "stream", "source": "items", "function": "reader", "batchSize": 1, "maximumRetryAttempts": 3}]
    })));
    let result = run(&design, 1);
    let reader_starts: Vec<u64> = result
        .trace
        .iter()
        .filter(|e| e.node == "reader" && matches!(e.kind, TraceKind::InvocationStarted { .. }))
        .map(|e| e.at_ms)
        .collect();
    assert_eq!(
        reader_starts.len(),
        5,
        "4 attempts on the poison record, then the later one"
    );
    let discarded = result
        .trace
        .iter()
        .position(|e| matches!(e.kind, TraceKind::Discarded { .. }))
        .unwrap();
    let fine_written = result
        .trace
        .iter()
        .position(|e| {
            e.node == "reader" && matches!(&e.kind, TraceKind::Step { op, .. } if op == "PutItem")
        })
        .unwrap();
    assert!(
        fine_written > discarded,
        "the later record waited for the poison to be skipped"
    );
    assert_eq!(
        result.summary.final_items["read"],
        vec![json!({"id": "fine"})]
    );
    assert!(steps_of(&result, "reader").len() == 1);
}

fn execution_events(run: &Run, name: &str) -> usize {
    run.trace
        .iter()
        .filter(|e| matches!(&e.kind, TraceKind::Execution { event, .. } if event == name))
        .count()
}

// The photo flow as a state machine runs state by state in the trace; under the same faults an
// Express workflow restarts (at least once) where a Standard one never does.
#[test]
fn standard_and_express_orchestrators_differ_under_duplicates() {
    let standard = design_file("photo-orchestrator.json");
    let express = design_file("photo-orchestrator-express.json");
    let mut restarts = 0;
    for seed in 1..=5 {
        let a = run(&standard, seed);
        assert!(a.summary.settled);
        assert_eq!(execution_events(&a, "ExecutionRestarted"), 0, "seed {seed}");
        assert_eq!(
            execution_events(&a, "ExecutionSucceeded"),
            execution_events(&a, "ExecutionStarted"),
            "seed {seed}"
        );
        let b = run(&express, seed);
        restarts += execution_events(&b, "ExecutionRestarted");
    }
    assert!(
        restarts > 0,
        "Express executions must restart under a 10% duplicate rate"
    );
}

// A crashed Lambda task is retried by the state machine's Retry, visibly in the trace.
#[test]
fn state_machine_retries_failed_tasks() {
    let result = run(&design_file("photo-orchestrator.json"), 1);
    assert!(result.summary.failed_invocations > 0);
    assert!(execution_events(&result, "TaskFailed") > 0);
    assert_eq!(
        execution_events(&result, "ExecutionFailed"),
        0,
        "retries recover every crash on seed 1"
    );
}

// A rule target's input transformer shapes what the function receives, as EventBridge renders
// it: a string value inside a quoted template string loses its quotes.
#[test]
fn input_transformer_shapes_the_target_input() {
    let design = design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1, "data": {"id": "x-1"}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "f",
                "inputTransformer": {"inputPathsMap": {"id": "$.detail.data.id"},
                    "inputTemplate": "{\"orderId\": <id>, \"note\": \"order <id> by <aws.events.rule-name>\"}"}}]}]},
            {"id": "f", "kind": "function", "steps": [
                {"op": "put", "table": "seen", "item": {"id": "$.event.orderId", "note": "$.event.note"}}]},
            {"id": "seen", "kind": "table", "partitionKey": {"name": "id"}}
        ]
    })));
    let result = run(&design, 1);
    assert_eq!(
        result.summary.final_items["seen"],
        vec![json!({"id": "x-1", "note": "order x-1 by r"})]
    );
}

// Trigger filter criteria: SQS messages that do not match are deleted without reaching the
// function (as Lambda does), and non-matching stream records are skipped.
#[test]
fn trigger_filters_drop_what_does_not_match() {
    let design = design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 6, "intervalMs": 10,
             "data": {"id": "{{key}}", "kind": "small"}},
            {"id": "big", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 2, "intervalMs": 10,
             "data": {"id": "big-{{n}}", "kind": "large"}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "q"}]}]},
            {"id": "q", "kind": "queue"},
            {"id": "f", "kind": "function", "steps": [{"op": "put", "table": "seen", "item": {"id": "$.data.id", "kind": "$.data.kind"}}]},
            {"id": "seen", "kind": "table", "partitionKey": {"name": "id"}, "stream": "NEW_IMAGE"},
            {"id": "g", "kind": "function", "steps": [{"op": "put", "table": "large", "item": {"id": "$.event.dynamodb.NewImage.id.S"}}]},
            {"id": "large", "kind": "table", "partitionKey": {"name": "id"}}
        ],
        "triggers": [
            {"id": "t", "source": "q", "function": "f", "filter": {"body": {"detail": {"data": {"kind": ["small", "large"]}}}}},
            {"id": "s", "source": "seen", "function": "g", "filter": {"dynamodb": {"NewImage": {"kind": {"S": ["large"]}}}}}
        ]
    })));
    let result = run(&design, 1);
    assert_eq!(result.summary.final_items["seen"].len(), 8);
    assert_eq!(
        result.summary.final_items["large"].len(),
        2,
        "only the large items pass the stream filter"
    );
    let mut narrow = design.clone();
    narrow.triggers[0].filter = Some(json!({"body": {"detail": {"data": {"kind": ["large"]}}}}));
    let result = run(&narrow, 1);
    assert_eq!(result.summary.final_items["seen"].len(), 2);
    assert_eq!(
        result.summary.queue_depths["q"], 0,
        "filtered messages are deleted, not left behind"
    );
}
