//! Starting points for new things: a node of each kind with sensible defaults, a handler step
//! of each op, a rule, and unique ids. Pure; tested natively.

use eventlab_core::design::{
    Bus, Design, ExternalApi, Function, KeyAttribute, KeyDistribution, NodeKind, Pipe, Producer,
    Queue, StateMachine, Step, Table,
};
use serde_json::{json, Value};

/// The kinds a person can add, in palette order: (document name, label).
pub const NODE_KINDS: &[(&str, &str)] = &[
    ("bus", "Bus"),
    ("queue", "Queue"),
    ("function", "Function"),
    ("table", "Table"),
    ("stateMachine", "State machine"),
    ("externalApi", "External API"),
    ("producer", "Producer"),
    ("pipe", "Pipe"),
];

/// The ops a step can have, in menu order.
pub const STEP_OPS: &[&str] = &[
    "get",
    "put",
    "update",
    "delete",
    "query",
    "transactWrite",
    "emit",
    "send",
    "invoke",
    "startExecution",
    "call",
    "if",
    "fail",
];

/// A node kind with defaults; references point at the first node of the right kind.
pub fn new_kind(kind: &str, design: &Design) -> Option<NodeKind> {
    let first = |wanted: &str| first_of(design, wanted);
    let event_type = design
        .event_types
        .first()
        .map(|t| t.type_name.clone())
        .unwrap_or_default();
    Some(match kind {
        "bus" => NodeKind::Bus(Bus::default()),
        "queue" => NodeKind::Queue(Queue::default()),
        "function" => NodeKind::Function(Function::default()),
        "table" => NodeKind::Table(Table {
            partition_key: KeyAttribute {
                name: "id".into(),
                attribute_type: "S".into(),
            },
            sort_key: None,
            stream: None,
            write_units_per_partition: 1_000,
            read_units_per_partition: 3_000,
        }),
        "stateMachine" => NodeKind::StateMachine(StateMachine {
            definition: json!({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
            express: false,
        }),
        "externalApi" => NodeKind::ExternalApi(ExternalApi {
            honours_idempotency_key: false,
            latency_ms: 80,
        }),
        "producer" => NodeKind::Producer(Producer {
            event_type,
            bus: first("bus"),
            count: 10,
            interval_ms: 100,
            data: json!({"orderId": "{{key}}"}),
            keys: KeyDistribution {
                prefix: "o-".into(),
                count: 0,
                hot_share_ppm: 0,
            },
        }),
        "pipe" => NodeKind::Pipe(Pipe {
            source: first("table"),
            target: first("bus"),
            filter: None,
            event_path: None,
        }),
        _ => return None,
    })
}

fn first_of(design: &Design, kind: &str) -> String {
    design
        .nodes
        .iter()
        .find(|n| n.kind.name() == kind)
        .map(|n| n.id.clone())
        .unwrap_or_default()
}

/// Each op's starting step as the document writes it. Data, not code: the page already
/// carries the step deserializer, and a struct literal per op costs bundle size.
const STEP_TEMPLATES: &str = r#"[
{"op":"get","table":"","key":{"orderId":"$.data.orderId"},"as":"item","consistentRead":false,"latencyMs":10},
{"op":"put","table":"","item":{"orderId":"$.data.orderId"},"onConditionFailed":"fail","latencyMs":10},
{"op":"update","table":"","key":{"orderId":"$.data.orderId"},"update":"SET #s = :s","onConditionFailed":"fail","latencyMs":10},
{"op":"delete","table":"","key":{"orderId":"$.data.orderId"},"onConditionFailed":"fail","latencyMs":10},
{"op":"query","table":"","keyCondition":"orderId = :id","values":{":id":"$.data.orderId"},"scanIndexForward":true,"as":"items","latencyMs":10},
{"op":"transactWrite","items":[],"onConditionFailed":"fail","latencyMs":10},
{"op":"emit","bus":"","type":"","data":{"orderId":"$.data.orderId"},"carryCorrelation":true,"latencyMs":10},
{"op":"send","queue":"","body":{"orderId":"$.data.orderId"},"latencyMs":10},
{"op":"invoke","function":"","payload":{},"latencyMs":10},
{"op":"startExecution","stateMachine":"","input":{},"latencyMs":10},
{"op":"call","api":"","key":"$.data.orderId","payload":{}},
{"op":"if","condition":"attribute_exists(item)","then":[]},
{"op":"fail","error":"Error"}
]"#;

/// A handler step with defaults; references point at the first node of the right kind and
/// the first event type.
pub fn new_step(op: &str, design: &Design) -> Option<Step> {
    let Ok(Value::Array(templates)) = serde_json::from_str::<Value>(STEP_TEMPLATES) else {
        return None;
    };
    let mut step = templates.into_iter().find(|t| t["op"] == op)?;
    let references = [
        ("table", "table"),
        ("bus", "bus"),
        ("queue", "queue"),
        ("function", "function"),
        ("stateMachine", "stateMachine"),
        ("api", "externalApi"),
    ];
    for (field, kind) in references {
        if let Some(slot) = step.get_mut(field) {
            *slot = Value::String(first_of(design, kind));
        }
    }
    if let Some(slot) = step.get_mut("type") {
        let first = design.event_types.first().map(|t| t.type_name.clone());
        *slot = Value::String(first.unwrap_or_default());
    }
    serde_json::from_value(step).ok()
}

/// `base` if no node has it, else `base-2`, `base-3`, …
pub fn unique_node_id(design: &Design, base: &str) -> String {
    unique(base, |id| design.nodes.iter().any(|n| n.id == id))
}

/// A unique id among `taken` ids, from `base`.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if base.is_empty() { "node" } else { base };
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_string())
}

/// An id from a person's name for a node: lower case, words joined by `-`. ASCII only, as AWS
/// resource names are (and it keeps Unicode's case tables out of the page).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_op_has_a_template() {
        // The palette and the step menu never offer something without a starting point.
        let design = Design::default();
        for (kind, _) in NODE_KINDS {
            assert_eq!(new_kind(kind, &design).map(|k| k.name()), Some(*kind));
        }
        for op in STEP_OPS {
            assert_eq!(new_step(op, &design).map(|s| s.op_name()), Some(*op));
        }
        assert!(new_kind("nope", &design).is_none());
        assert!(new_step("nope", &design).is_none());
    }

    #[test]
    fn a_new_step_points_at_the_first_node_of_its_kind() {
        // A put step writes to the design's first table; an emit goes to its first bus.
        let design: Design = serde_json::from_value(json!({"version": 1, "nodes": [
            {"id": "orders", "kind": "table", "partitionKey": {"name": "id", "type": "S"}},
            {"id": "events", "kind": "bus"}]}))
        .unwrap_or_default();
        let put = serde_json::to_value(new_step("put", &design)).unwrap_or_default();
        assert_eq!(
            (put["table"].as_str(), put["latencyMs"].as_u64()),
            (Some("orders"), Some(10))
        );
        let emit = serde_json::to_value(new_step("emit", &design)).unwrap_or_default();
        assert_eq!(emit["bus"], "events");
    }

    #[test]
    fn ids_are_unique_and_readable() {
        // Names become slugs; a taken id gets a number.
        assert_eq!(slug("  Charge Payment! "), "charge-payment");
        assert_eq!(slug("kitchen_queue"), "kitchen_queue");
        assert_eq!(slug("Café au lait"), "caf-au-lait");
        assert_eq!(unique("f", |id| id == "f" || id == "f-2"), "f-3");
        assert_eq!(unique("", |_| false), "node");
    }
}
