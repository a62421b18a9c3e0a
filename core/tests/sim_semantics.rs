//! Simulator semantics: small designs with assertions on their traces and summaries, and the
//! example designs in `designs/` showing the bug and its fix.

use std::collections::BTreeSet;

use eventlab_core::design::{load_text, validate, Design, Severity};
use eventlab_core::sim::{simulate, Run, RunOptions, TraceKind};
use serde_json::{json, Value};

mod common;

fn design_file(name: &str) -> Design {
    let path = format!("{}/../designs/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = load_text(&text).unwrap();
    assert!(
        loaded.diagnostics.is_empty(),
        "{name}: {:?}",
        loaded.diagnostics
    );
    let errors: Vec<_> = validate(&loaded.design)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    loaded.design
}

fn design_json(value: Value) -> Design {
    load_text(&value.to_string()).unwrap().design
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

fn max_effects(run: &Run, api: &str) -> u32 {
    run.summary
        .external_effects
        .get(api)
        .map(|m| m.values().copied().max().unwrap_or(0))
        .unwrap_or(0)
}

// A duplicated OrderPlaced charges the order twice; the idempotent handler never does.
#[test]
fn duplicates_double_charge_and_the_fix_does_not() {
    let broken = design_file("duplicates.json");
    let first = run(&broken, 1);
    assert_eq!(
        first.summary.external_effects["payment-provider"]["o-3"], 2,
        "the scripted duplicate of the 3rd order"
    );
    let fixed = design_file("duplicates-fixed.json");
    for seed in 1..=30 {
        let result = run(&fixed, seed);
        assert!(result.summary.settled, "seed {seed}");
        assert_eq!(max_effects(&result, "payment-provider"), 1, "seed {seed}");
        assert_eq!(
            result.summary.external_effects["payment-provider"].len(),
            20,
            "seed {seed}: every order charged"
        );
    }
}

fn lost_updates(run: &Run) -> usize {
    run.summary.final_items["orders"]
        .iter()
        .filter(|item| {
            item["paymentStatus"] != json!("paid") || item["kitchenStatus"] != json!("baking")
        })
        .count()
}

// Two read-modify-write handlers on one item lose updates; version-checked updates do not.
#[test]
fn read_modify_write_loses_updates_and_version_checks_do_not() {
    let broken = design_file("lost-update.json");
    let lost: usize = (1..=10).map(|seed| lost_updates(&run(&broken, seed))).sum();
    assert!(
        lost > 0,
        "interleaved read-modify-writes must lose some update"
    );
    let fixed = design_file("lost-update-fixed.json");
    for seed in 1..=30 {
        let result = run(&fixed, seed);
        assert_eq!(lost_updates(&result), 0, "seed {seed}");
        assert_eq!(result.summary.final_items["orders"].len(), 20);
    }
    let conflicts: u32 = (1..=10)
        .map(|seed| run(&fixed, seed).summary.condition_failures)
        .sum();
    assert!(
        conflicts > 0,
        "the version condition must reject some loser"
    );
}

fn always_failing_async() -> Design {
    design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "f"}]}]},
            {"id": "f", "kind": "function", "onFailure": "failures", "steps": [{"op": "fail", "error": "Boom"}]},
            {"id": "failures", "kind": "queue"}
        ]
    })))
}

// An always-failing async handler is attempted exactly 3 times, about 1 and 2 minutes apart,
// then its on-failure destination receives the event.
#[test]
fn async_handler_is_attempted_three_times_then_dead_lettered() {
    let result = run(&always_failing_async(), 1);
    let starts: Vec<(u64, u32)> = result
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::InvocationStarted { attempt, .. } => Some((e.at_ms, *attempt)),
            _ => None,
        })
        .collect();
    assert_eq!(
        starts.iter().map(|s| s.1).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(starts[1].0 - starts[0].0, 60_000);
    assert_eq!(starts[2].0 - starts[1].0, 120_000);
    assert_eq!(result.summary.dead_lettered["failures"], 1);
    assert_eq!(result.summary.queue_depths["failures"], 1);
}

/// One message on a queue (visibility 30 s, redrive to `dlq` after `max_receive_count`) whose
/// consumer always fails.
fn redrive_design(max_receive_count: u32) -> Design {
    design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 1},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "q"}]}]},
            {"id": "q", "kind": "queue", "visibilityTimeoutS": 30, "maxReceiveCount": max_receive_count, "deadLetterQueue": "dlq"},
            {"id": "dlq", "kind": "queue"},
            {"id": "f", "kind": "function", "steps": [{"op": "fail", "error": "Boom"}]}
        ],
        "triggers": [{"id": "t", "source": "q", "function": "f", "batchSize": 10}]
    })))
}

// An SQS message whose consumer always fails is received maxReceiveCount times, one
// visibility timeout apart, then moved to the dead-letter queue.
#[test]
fn sqs_redrive_after_max_receive_count() {
    let design = redrive_design(3);
    let result = run(&design, 1);
    let receives: Vec<(u64, u32)> = result
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::MessageReceived { receive_count, .. } => Some((e.at_ms, *receive_count)),
            _ => None,
        })
        .collect();
    assert_eq!(
        receives.iter().map(|r| r.1).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(receives[1].0 - receives[0].0, 30_000);
    assert_eq!(result.summary.dead_lettered["dlq"], 1);
    assert_eq!(result.summary.queue_depths["dlq"], 1);
    assert_eq!(result.summary.queue_depths["q"], 0);
}

// A delivery delay fault really reorders: with large delays some events reach their handler
// in a different order than they were produced.
#[test]
fn delay_faults_reorder_deliveries() {
    let mut design = design_file("duplicates.json");
    design.scenario.faults.duplicate_rate_ppm = 0;
    design.scenario.scripted.clear();
    design.scenario.faults.delivery_delay_ms_max = 500;
    let result = run(&design, 3);
    let order: Vec<String> = result
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Delivered { event_id, .. } => Some(event_id.clone()),
            _ => None,
        })
        .collect();
    let produced: Vec<String> = result
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Produced { event_id, .. } => Some(event_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(order.len(), produced.len());
    assert_ne!(
        order, produced,
        "a 500 ms delay over 50 ms spacing must reorder"
    );
    design.scenario.faults.delivery_delay_ms_max = 0;
    let calm = run(&design, 3);
    let calm_order: Vec<String> = calm
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Delivered { event_id, .. } => Some(event_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(calm_order, produced);
}

// Suppressing one injected fault removes exactly that fault and changes no other decision.
#[test]
fn suppressing_a_fault_removes_only_that_fault() {
    let design = design_file("duplicates.json");
    let result = run(&design, 1);
    let faults: Vec<String> = result
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Fault { fault, .. } => Some(fault.clone()),
            _ => None,
        })
        .collect();
    assert!(!faults.is_empty());
    let suppressed: BTreeSet<String> = [faults[0].clone()].into();
    let replay = simulate(
        &design,
        &RunOptions {
            seed: Some(1),
            suppressed_faults: suppressed,
        },
    );
    let remaining: Vec<String> = replay
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::Fault { fault, .. } => Some(fault.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(remaining, faults[1..].to_vec());
    assert_eq!(
        replay.summary.external_effects["payment-provider"]["o-3"],
        1
    );
}

// Every example design, on 20 seeds, gives the same trace hash when run twice.
#[test]
fn runs_are_deterministic() {
    let directory = format!("{}/../designs", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&directory)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 4);
    for name in names {
        let design = design_file(&name);
        for seed in 1..=20 {
            let (a, b) = (run(&design, seed), run(&design, seed));
            assert_eq!(a.trace_hash, b.trace_hash, "{name} seed {seed}");
            assert_eq!(a.trace, b.trace, "{name} seed {seed}");
        }
    }
}

// EventBridge's delivery retries and Lambda's asynchronous retries are two separate layers,
// and both show in the trace: a throttled delivery is retried by EventBridge; once Lambda has
// the event, a failing function is retried by Lambda.
#[test]
fn eventbridge_and_lambda_retries_are_separate_layers() {
    let mut design = always_failing_async();
    design.scenario.faults.target_error_rate_ppm = 600_000;
    let result = run(&design, 2);
    let layers: Vec<String> = result
        .trace
        .iter()
        .filter_map(|e| match &e.kind {
            TraceKind::RetryScheduled { layer, .. } => Some(layer.clone()),
            _ => None,
        })
        .collect();
    assert!(layers.iter().any(|l| l == "eventbridge"), "{layers:?}");
    assert_eq!(
        layers.iter().filter(|l| *l == "lambda-async").count(),
        2,
        "{layers:?}"
    );
    let first_lambda = layers.iter().position(|l| l == "lambda-async").unwrap();
    assert!(
        layers[..first_lambda].iter().all(|l| l == "eventbridge"),
        "EventBridge retries come first: {layers:?}"
    );
}

// The reference's worked timeline for Lambda asynchronous retries, as a trace snapshot: three
// attempts about 1 and 2 minutes apart, then the on-failure destination.
#[test]
fn async_retry_timeline_snapshot() {
    let result = run(&always_failing_async(), 1);
    let lines: Vec<String> = result
        .trace
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                TraceKind::InvocationStarted { .. }
                    | TraceKind::InvocationFinished { .. }
                    | TraceKind::RetryScheduled { .. }
                    | TraceKind::DeadLettered { .. }
            )
        })
        .map(|e| format!("@{}ms {} {}", e.at_ms, e.node, e.kind.name()))
        .collect();
    let expected = [
        "@25ms f invocationStarted",
        "@25ms f invocationFinished",
        "@25ms f retryScheduled",
        "@60025ms f invocationStarted",
        "@60025ms f invocationFinished",
        "@60025ms f retryScheduled",
        "@180025ms f invocationStarted",
        "@180025ms f invocationFinished",
        "@180025ms f deadLettered",
    ];
    assert_eq!(lines, expected);
}

fn counter_design(conditional: bool) -> Design {
    let steps = if conditional {
        json!([
            {"op": "put", "table": "processed", "item": {"eventId": "$.eventId"},
             "condition": "attribute_not_exists(eventId)", "onConditionFailed": "stop"},
            {"op": "update", "table": "totals", "key": {"id": "$.data.account"}, "update": "ADD #n :one",
             "names": {"#n": "count"}, "values": {":one": 1}}
        ])
    } else {
        json!([
            {"op": "get", "table": "totals", "key": {"id": "$.data.account"}, "as": "total"},
            {"op": "put", "table": "totals", "item": {"id": "$.data.account", "count": {"add": ["$.total.count", 1]}}}
        ])
    };
    let mut design = design_json(json!({
        "version": 1,
        "services": [{"id": "s"}],
        "eventTypes": [{"type": "deposit.made", "source": "s"}],
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "deposit.made", "bus": "b", "count": 5, "intervalMs": 1000, "data": {"account": "a-{{n}}"}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "f"}]}]},
            {"id": "f", "kind": "function", "steps": steps},
            {"id": "totals", "kind": "table", "partitionKey": {"name": "id"}},
            {"id": "processed", "kind": "table", "partitionKey": {"name": "eventId"}}
        ],
        "scenario": {"faults": {"duplicateRatePpm": 1000000, "deliveryDelayMsMax": 400}}
    }));
    design.scenario.seed = 1;
    design
}

// A duplicated event processed by a read-modify-write handler counts twice; a handler guarded
// by a conditional write on the event id counts once.
#[test]
fn duplicates_double_count_unless_guarded_by_a_conditional_write() {
    let count_of = |run: &Run, account: &str| {
        run.summary.final_items["totals"]
            .iter()
            .find(|item| item["id"] == account)
            .and_then(|item| item["count"].as_i64())
    };
    // Every delivery is duplicated, the copies far enough apart that each reads the other's
    // write: the read-modify-write counts an account twice.
    let naive = run(&counter_design(false), 1);
    let doubled = (1..=5)
        .filter(|n| count_of(&naive, &format!("a-{n}")) == Some(2))
        .count();
    assert!(doubled > 0, "{:?}", naive.summary.final_items["totals"]);
    let guarded = run(&counter_design(true), 1);
    for n in 1..=5 {
        assert_eq!(count_of(&guarded, &format!("a-{n}")), Some(1), "a-{n}");
    }
    assert!(guarded.summary.condition_failures >= 1);
}

fn timeline(result: &Run, nodes: &[&str]) -> Vec<String> {
    result
        .trace
        .iter()
        .filter(|e| nodes.contains(&e.node.as_str()))
        .filter(|e| {
            matches!(
                e.kind,
                TraceKind::MessageReceived { .. }
                    | TraceKind::MessageDeleted { .. }
                    | TraceKind::DeadLettered { .. }
                    | TraceKind::InvocationStarted { .. }
                    | TraceKind::InvocationFinished { .. }
            )
        })
        .map(|e| match &e.kind {
            TraceKind::MessageReceived { receive_count, .. } => {
                format!("@{}ms {} received (count {receive_count})", e.at_ms, e.node)
            }
            TraceKind::InvocationFinished { ok, .. } => {
                format!(
                    "@{}ms {} finished {}",
                    e.at_ms,
                    e.node,
                    if *ok { "ok" } else { "error" }
                )
            }
            other => format!("@{}ms {} {}", e.at_ms, e.node, other.name()),
        })
        .collect()
}

// The reference's SQS redrive timeline as a trace snapshot: a consumer that always fails
// receives the message once per visibility timeout until maxReceiveCount, then the message
// moves to the dead-letter queue on the next receive.
#[test]
fn sqs_redrive_timeline_snapshot() {
    let design = redrive_design(2);
    let expected = [
        "@30ms q received (count 1)",
        "@30ms f invocationStarted",
        "@30ms f finished error",
        "@30030ms q received (count 2)",
        "@30030ms f invocationStarted",
        "@30030ms f finished error",
        "@60030ms q deadLettered",
    ];
    assert_eq!(timeline(&run(&design, 1), &["q", "f"]), expected);
}

// The reference's event source mapping example as a trace snapshot: a batch [m1, m2, m3]
// where m2 fails, with ReportBatchItemFailures: m1 and m3 are deleted, only m2 comes back
// after the visibility timeout, with receive count 2.
#[test]
fn partial_batch_timeline_snapshot() {
    let design = design_json(common::one_event_type(json!({
        "nodes": [
            {"id": "m", "kind": "producer", "eventType": "t.happened", "bus": "b", "count": 3, "intervalMs": 0,
             "data": {"id": "m{{n}}", "fails": "{{n}}"}},
            {"id": "b", "kind": "bus", "rules": [{"id": "r", "pattern": {"source": ["/s"]}, "targets": [{"node": "q"}]}]},
            {"id": "q", "kind": "queue", "visibilityTimeoutS": 30},
            {"id": "f", "kind": "function", "steps": [
                {"op": "if", "condition": "#d.fails = :two AND #i.attempt = :one", "names": {"#d": "data", "#i": "invocation"},
                 "values": {":two": 2, ":one": 1}, "then": [{"op": "fail", "error": "Boom"}]}]}
        ],
        "triggers": [{"id": "t", "source": "q", "function": "f", "batchSize": 10, "reportBatchItemFailures": true}]
    })));
    let expected = [
        "@30ms q received (count 1)",
        "@30ms q received (count 1)",
        "@30ms q received (count 1)",
        "@30ms f invocationStarted",
        "@30ms f finished ok",
        "@30ms q messageDeleted",
        "@30ms q messageDeleted",
        "@30030ms q received (count 2)",
        "@30030ms f invocationStarted",
        "@30030ms f finished ok",
        "@30030ms q messageDeleted",
    ];
    assert_eq!(timeline(&run(&design, 1), &["q", "f"]), expected);
}
