//! Hostile and odd designs: cycles, huge workloads, empty documents and mutated fixtures give
//! diagnostics or bounded runs, never a panic or a hang. Also the out-of-order example.

use eventlab_core::design::{load_text, load_value, validate, Design};
use eventlab_core::sim::{simulate, Run, RunOptions};
use proptest::prelude::*;
use serde_json::{json, Value};

fn design_file(name: &str) -> Design {
    let path = format!("{}/../designs/{name}", env!("CARGO_MANIFEST_DIR"));
    load_text(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .design
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

fn stale_orders(run: &Run) -> usize {
    // The highest sequence produced per order, from the trace, against the stored one.
    let mut newest: std::collections::BTreeMap<String, i64> = Default::default();
    for event in &run.trace {
        if let eventlab_core::sim::TraceKind::Published { event, .. } = &event.kind {
            let data = &event["detail"]["data"];
            let (Some(order), Some(sequence)) =
                (data["orderId"].as_str(), data["sequence"].as_i64())
            else {
                continue;
            };
            let entry = newest.entry(order.to_string()).or_insert(0);
            *entry = (*entry).max(sequence);
        }
    }
    run.summary.final_items["order-status"]
        .iter()
        .filter(|item| {
            item["sequence"].as_i64() != newest.get(item["orderId"].as_str().unwrap_or("")).copied()
        })
        .count()
}

// Late deliveries leave some orders in a stale state; the sequence condition never does.
#[test]
fn out_of_order_updates_and_the_sequence_guard() {
    let broken = design_file("out-of-order.json");
    let stale: usize = (1..=10).map(|seed| stale_orders(&run(&broken, seed))).sum();
    assert!(stale > 0);
    let fixed = design_file("out-of-order-fixed.json");
    for seed in 1..=20 {
        assert_eq!(stale_orders(&run(&fixed, seed)), 0, "seed {seed}");
    }
}

fn cycle() -> Design {
    load_value(json!({
        "version": 1,
        "services": [{"id": "s"}],
        "eventTypes": [{"type": "ping", "source": "s"}, {"type": "pong", "source": "s"}],
        "nodes": [
            {"id": "p", "kind": "producer", "eventType": "ping", "bus": "b", "count": 1},
            {"id": "b", "kind": "bus", "rules": [
                {"id": "on-ping", "pattern": {"detail-type": ["ping"]}, "targets": [{"node": "a"}]},
                {"id": "on-pong", "pattern": {"detail-type": ["pong"]}, "targets": [{"node": "z"}]}]},
            {"id": "a", "kind": "function", "steps": [{"op": "emit", "bus": "b", "type": "pong", "data": {}}]},
            {"id": "z", "kind": "function", "steps": [{"op": "emit", "bus": "b", "type": "ping", "data": {}}]}
        ],
        "scenario": {"bounds": {"maxEvents": 5000}}
    }))
    .unwrap()
    .design
}

// An event cycle is named in the diagnostics and its run stops at the event bound.
#[test]
fn event_cycles_are_named_and_bounded() {
    let design = cycle();
    let diagnostics = validate(&design);
    let found: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code == "event-cycle")
        .collect();
    assert_eq!(found.len(), 1, "{diagnostics:?}");
    assert!(
        found[0]
            .message
            .contains("'a' emits pong, which triggers 'z' emits ping"),
        "{}",
        found[0].message
    );
    let result = run(&design, 1);
    assert_eq!(result.summary.stopped_by.as_deref(), Some("maxEvents"));
    assert!(!result.summary.settled);
    // The piece of work that crossed the bound finishes, then the run stops and says why.
    assert!(
        (5000..5010).contains(&result.trace.len()),
        "{}",
        result.trace.len()
    );
    assert!(matches!(
        result.trace.last().map(|e| &e.kind),
        Some(eventlab_core::sim::TraceKind::BoundReached { .. })
    ));
}

// A million-event workload stops at the bound quickly instead of building a million items of
// work up front.
#[test]
fn huge_workloads_stop_at_the_bound() {
    let mut design = design_file("duplicates.json");
    for node in &mut design.nodes {
        if let eventlab_core::design::NodeKind::Producer(producer) = &mut node.kind {
            producer.count = 1_000_000;
        }
    }
    design.scenario.bounds.max_events = 20_000;
    let result = run(&design, 1);
    assert_eq!(result.summary.stopped_by.as_deref(), Some("maxEvents"));
    let mut timed = design.clone();
    timed.scenario.bounds.max_events = 10_000_000;
    timed.scenario.bounds.max_time_ms = 2_000;
    let result = run(&timed, 1);
    assert_eq!(result.summary.stopped_by.as_deref(), Some("maxTimeMs"));
}

// An empty object and a document of nothing but unknown parts load, validate and run.
#[test]
fn empty_and_unknown_documents_run() {
    for text in [
        "{}",
        r#"{"version": 1, "nodes": [{"id": "x", "kind": "teleporter"}], "extra": 1}"#,
    ] {
        let loaded = load_text(text).unwrap();
        let _ = validate(&loaded.design);
        let result = run(&loaded.design, 1);
        assert!(result.summary.settled);
    }
    assert!(load_text("[1,2]").is_err());
    assert!(load_text(r#"{"version": 99}"#).is_err());
}

fn mutate(value: &mut Value, choices: &[u32]) {
    let Some((&choice, rest)) = choices.split_first() else {
        return;
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            let index = choice as usize % map.len();
            let key = map.keys().nth(index).cloned().unwrap_or_default();
            match (choice / 7) % 5 {
                0 => {
                    map.remove(&key);
                }
                1 => {
                    map.insert(key, json!(choice));
                }
                2 => {
                    map.insert(key, json!("$.nowhere"));
                }
                _ => {
                    if let Some(inner) = map.get_mut(&key) {
                        mutate(inner, rest);
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let index = choice as usize % items.len();
            if (choice / 3) % 4 == 0 {
                items.remove(index);
            } else {
                mutate(&mut items[index], rest);
            }
        }
        other => *other = json!(null),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    // Any mutation of an example design gives diagnostics and a bounded run, never a panic.
    #[test]
    fn mutated_designs_never_panic(file in 0usize..7, choices in proptest::collection::vec(any::<u32>(), 1..8), seed in 1u64..50) {
        let names = ["duplicates.json", "lost-update-fixed.json", "outbox-fixed.json", "pizza-choreography.json", "photo-aggregator.json", "photo-orchestrator.json", "photo-orchestrator-callback.json"];
        let path = format!("{}/../designs/{}", env!("CARGO_MANIFEST_DIR"), names[file]);
        let mut value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        mutate(&mut value, &choices);
        if let Ok(mut loaded) = load_value(value) {
            let _ = validate(&loaded.design);
            loaded.design.scenario.bounds.max_events = loaded.design.scenario.bounds.max_events.min(20_000);
            let _ = run(&loaded.design, seed);
        }
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z$.#:{} _-]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("bus"),
            Just("function"),
            Just("queue"),
            Just("table"),
            Just("producer"),
            Just("pipe")
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("version".to_string()),
                    Just("nodes".to_string()),
                    Just("kind".to_string()),
                    Just("id".to_string()),
                    Just("steps".to_string()),
                    Just("rules".to_string()),
                    Just("triggers".to_string()),
                    Just("scenario".to_string()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    // Arbitrary JSON fed to loading, validation and a bounded run never panics.
    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        if let Ok(mut loaded) = load_value(value) {
            let _ = validate(&loaded.design);
            loaded.design.scenario.bounds.max_events = loaded.design.scenario.bounds.max_events.min(5_000);
            let _ = run(&loaded.design, 1);
        }
    }
}
