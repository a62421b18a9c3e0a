//! Starting points for new things: a node of each kind with sensible defaults, a handler step
//! of each op, a rule, and unique ids. Pure; tested natively.

use eventlab_core::design::{
    Bus, CallStep, Design, EmitStep, Expressions, ExternalApi, FailStep, Function, GetStep, IfStep,
    InvokeStep, KeyAttribute, KeyDistribution, NodeKind, OnConditionFailed, Pipe, Producer,
    QueryStep, Queue, SendStep, StartExecutionStep, StateMachine, Step, Table, TransactWriteStep,
    WriteStep,
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

/// A step of `op` with its required fields filled from the design where it can.
pub fn new_step(op: &str, design: &Design) -> Option<Step> {
    let table = first_of(design, "table");
    let key = || json!({"orderId": "$.data.orderId"});
    let write = |item: Option<Value>, key: Option<Value>, update: Option<String>| WriteStep {
        table: table.clone(),
        item,
        key,
        update,
        condition: None,
        expressions: Expressions::default(),
        on_condition_failed: OnConditionFailed::Fail,
        save_as: None,
        latency_ms: 10,
    };
    Some(match op {
        "get" => Step::Get(GetStep {
            table: table.clone(),
            key: key(),
            save_as: "item".into(),
            consistent_read: false,
            latency_ms: 10,
        }),
        "put" => Step::Put(write(
            Some(json!({"orderId": "$.data.orderId"})),
            None,
            None,
        )),
        "update" => Step::Update(write(None, Some(key()), Some("SET #s = :s".into()))),
        "delete" => Step::Delete(write(None, Some(key()), None)),
        "query" => Step::Query(QueryStep {
            table: table.clone(),
            key_condition: "orderId = :id".into(),
            filter: None,
            expressions: Expressions {
                names: Default::default(),
                values: [(":id".to_string(), json!("$.data.orderId"))].into(),
            },
            scan_index_forward: true,
            limit: None,
            save_as: "items".into(),
            latency_ms: 10,
        }),
        "transactWrite" => Step::TransactWrite(TransactWriteStep {
            items: Vec::new(),
            client_request_token: None,
            on_condition_failed: OnConditionFailed::Fail,
            latency_ms: 10,
        }),
        "emit" => Step::Emit(EmitStep {
            bus: first_of(design, "bus"),
            event_type: design
                .event_types
                .first()
                .map(|t| t.type_name.clone())
                .unwrap_or_default(),
            data: json!({"orderId": "$.data.orderId"}),
            carry_correlation: true,
            latency_ms: 10,
        }),
        "send" => Step::Send(SendStep {
            queue: first_of(design, "queue"),
            body: json!({"orderId": "$.data.orderId"}),
            message_group_id: None,
            deduplication_id: None,
            latency_ms: 10,
        }),
        "invoke" => Step::Invoke(InvokeStep {
            function: first_of(design, "function"),
            payload: json!({}),
            save_as: None,
            latency_ms: 10,
        }),
        "startExecution" => Step::StartExecution(StartExecutionStep {
            state_machine: first_of(design, "stateMachine"),
            input: json!({}),
            name: None,
            latency_ms: 10,
        }),
        "call" => Step::Call(CallStep {
            api: first_of(design, "externalApi"),
            key: json!("$.data.orderId"),
            idempotency_key: None,
            payload: json!({}),
            save_as: None,
        }),
        "if" => Step::If(IfStep {
            condition: "attribute_exists(item)".into(),
            expressions: Expressions::default(),
            then: Vec::new(),
            otherwise: Vec::new(),
        }),
        "fail" => Step::Fail(FailStep {
            error: "Error".into(),
            cause: String::new(),
        }),
        _ => return None,
    })
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

/// An id from a person's name for a node: lower case, words joined by `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '_' {
            out.extend(c.to_lowercase());
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
    }

    #[test]
    fn ids_are_unique_and_readable() {
        // Names become slugs; a taken id gets a number.
        assert_eq!(slug("  Charge Payment! "), "charge-payment");
        assert_eq!(slug("kitchen_queue"), "kitchen_queue");
        assert_eq!(unique("f", |id| id == "f" || id == "f-2"), "f-3");
        assert_eq!(unique("", |_| false), "node");
    }
}
