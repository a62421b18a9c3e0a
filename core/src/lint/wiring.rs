//! The delivery wiring lint rules reason about: which functions an event type reaches (through
//! rules, directly or through a queue), and which functions are fed by a source that delivers
//! at least once, so the same record can run twice.
//!
//! Read from the document only; a reference to a missing node reaches nothing (validation
//! reports it). Never decides anything by hash-map order: every list follows document order.

use serde_json::{json, Value};

use crate::design::{Design, Node, NodeKind};
use crate::pattern::Pattern;

/// The node with this id.
pub fn node<'a>(design: &'a Design, id: &str) -> Option<&'a Node> {
    design.nodes.iter().find(|n| n.id == id)
}

/// How a function is fed, when the feed delivers at least once, in words for a message.
pub fn at_least_once_feeds(design: &Design, function: &str) -> Vec<String> {
    let mut feeds = Vec::new();
    for bus in &design.nodes {
        let NodeKind::Bus(settings) = &bus.kind else {
            continue;
        };
        for rule in &settings.rules {
            if rule.targets.iter().any(|t| t.node == function) {
                feeds.push(format!("EventBridge rule {}", rule.id));
            }
        }
    }
    for trigger in design.triggers.iter().filter(|t| t.function == function) {
        match node(design, &trigger.source).map(|n| &n.kind) {
            Some(NodeKind::Queue(queue)) if !queue.fifo => {
                feeds.push(format!("SQS standard queue {}", trigger.source))
            }
            Some(NodeKind::Table(_)) => {
                feeds.push(format!("the stream of table {}", trigger.source))
            }
            _ => {}
        }
    }
    feeds
}

/// A sample EventBridge event for a CloudEvent of `event_type` with `data`, as the simulator
/// publishes it, for testing rule patterns.
pub fn sample_event(design: &Design, event_type: &str, data: Value) -> Value {
    let source = design
        .event_types
        .iter()
        .find(|t| t.type_name == event_type)
        .map(|t| format!("/{}", t.source))
        .unwrap_or_default();
    json!({
        "version": "0", "id": "sample", "detail-type": event_type, "account": "123456789012",
        "source": source, "time": "2024-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
        "detail": {"specversion": "1.0", "id": "sample", "source": source, "type": event_type,
                   "datacontenttype": "application/json", "data": data},
    })
}

/// The functions an event on `bus` reaches: rule targets that are functions, and functions
/// triggered by queues that are rule targets. In document order, without repeats.
pub fn functions_reached(design: &Design, bus: &str, event: &Value) -> Vec<String> {
    let mut reached: Vec<String> = Vec::new();
    let Some(NodeKind::Bus(settings)) = node(design, bus).map(|n| &n.kind) else {
        return reached;
    };
    for rule in &settings.rules {
        let matches = Pattern::from_value(&rule.pattern)
            .map(|p| p.matches(event))
            .unwrap_or(false);
        if !matches {
            continue;
        }
        for target in &rule.targets {
            let functions: Vec<String> = match node(design, &target.node).map(|n| &n.kind) {
                Some(NodeKind::Function(_)) => vec![target.node.clone()],
                Some(NodeKind::Queue(_)) => design
                    .triggers
                    .iter()
                    .filter(|t| t.source == target.node)
                    .map(|t| t.function.clone())
                    .collect(),
                _ => Vec::new(),
            };
            for function in functions {
                if !reached.contains(&function) {
                    reached.push(function);
                }
            }
        }
    }
    reached
}
