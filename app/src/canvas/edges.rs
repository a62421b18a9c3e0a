//! The diagram's edges, derived from the document: rules to their targets (labelled with the
//! event types of the pattern), triggers, handler steps to what they touch, producers to their
//! bus, pipes, dead-letter queues and failure destinations. Nothing is drawn that the
//! semantics do not say, so picture and meaning never differ. Pure; tested natively.

use std::collections::BTreeMap;

use eventlab_core::design::{Design, NodeKind, Step, TransactItem};
use serde_json::Value;

/// What an edge stands for; the canvas styles each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    Rule,
    Trigger,
    Step,
    Produce,
    Pipe,
    /// A dead-letter queue or an on-failure destination: drawn dashed.
    Failure,
}

impl EdgeKind {
    pub fn class(self) -> &'static str {
        match self {
            EdgeKind::Rule => "edge-rule",
            EdgeKind::Trigger => "edge-trigger",
            EdgeKind::Step => "edge-step",
            EdgeKind::Produce => "edge-produce",
            EdgeKind::Pipe => "edge-pipe",
            EdgeKind::Failure => "edge-failure",
        }
    }
}

/// One drawn edge. Several document links between the same two nodes of the same kind are
/// merged into one edge with their labels joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Stable across renders: `kind:from:to`.
    pub id: String,
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// The short label drawn on the canvas.
    pub label: String,
    /// The full text for the tooltip.
    pub title: String,
}

/// The short labels and the tooltip lines gathered for one edge.
type Labels = (Vec<String>, Vec<String>);

/// All edges of a design, in a stable order.
pub fn derive_edges(design: &Design) -> Vec<Edge> {
    let mut edges: BTreeMap<(EdgeKind, String, String), Labels> = BTreeMap::new();
    let mut add = |kind: EdgeKind, from: &str, to: &str, label: String, title: String| {
        let entry = edges
            .entry((kind, from.to_string(), to.to_string()))
            .or_default();
        if !label.is_empty() && !entry.0.contains(&label) {
            entry.0.push(label);
        }
        if !entry.1.contains(&title) {
            entry.1.push(title);
        }
    };
    for node in &design.nodes {
        match &node.kind {
            NodeKind::Bus(bus) => {
                for rule in &bus.rules {
                    let types = pattern_event_types(&rule.pattern);
                    let label = if types.is_empty() {
                        rule.id.clone()
                    } else {
                        types
                            .iter()
                            .map(|t| short_type(t))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    for target in &rule.targets {
                        let title = format!("rule {} → {}", rule.id, target.node);
                        add(EdgeKind::Rule, &node.id, &target.node, label.clone(), title);
                    }
                }
            }
            NodeKind::Function(function) => {
                let mut touched = Vec::new();
                collect_step_targets(&function.steps, &mut touched);
                for (to, label) in touched {
                    let title = format!("{} {label} {to}", node.id);
                    add(EdgeKind::Step, &node.id, &to, label, title);
                }
                if let Some(target) = &function.on_failure {
                    add(
                        EdgeKind::Failure,
                        &node.id,
                        target,
                        "on failure".into(),
                        "on failure".into(),
                    );
                }
            }
            NodeKind::Queue(queue) => {
                if let Some(dlq) = &queue.dead_letter_queue {
                    add(
                        EdgeKind::Failure,
                        &node.id,
                        dlq,
                        "DLQ".into(),
                        "dead-letter queue".into(),
                    );
                }
            }
            NodeKind::Producer(producer) => {
                let label = short_type(&producer.event_type);
                let title = format!("produces {}", producer.event_type);
                add(EdgeKind::Produce, &node.id, &producer.bus, label, title);
            }
            NodeKind::Pipe(pipe) => {
                add(
                    EdgeKind::Pipe,
                    &pipe.source,
                    &node.id,
                    "source".into(),
                    "pipe source".into(),
                );
                add(
                    EdgeKind::Pipe,
                    &node.id,
                    &pipe.target,
                    "target".into(),
                    "pipe target".into(),
                );
            }
            NodeKind::Table(_) | NodeKind::StateMachine(_) | NodeKind::ExternalApi(_) => {}
        }
    }
    for trigger in &design.triggers {
        let label = format!("trigger ×{}", trigger.batch_size);
        let title = format!("trigger {} (batch {})", trigger.id, trigger.batch_size);
        add(
            EdgeKind::Trigger,
            &trigger.source,
            &trigger.function,
            label,
            title,
        );
    }
    edges
        .into_iter()
        .map(|((kind, from, to), (labels, titles))| Edge {
            id: format!("{}:{from}:{to}", kind.class()),
            from,
            to,
            kind,
            label: labels.join(", "),
            title: titles.join("\n"),
        })
        .collect()
}

/// The event types a pattern names in `detail-type` (how EventBridge carries a CloudEvent's
/// type), or in `type` for patterns over the CloudEvent itself.
pub fn pattern_event_types(pattern: &Value) -> Vec<String> {
    let mut types = Vec::new();
    for key in ["detail-type", "type"] {
        if let Some(Value::Array(values)) = pattern.get(key) {
            types.extend(values.iter().filter_map(Value::as_str).map(str::to_string));
        }
    }
    types
}

/// A type short enough for an edge label: `com.pizza.order.placed.v1` → `order.placed`.
pub fn short_type(type_name: &str) -> String {
    let parts: Vec<&str> = type_name.split('.').collect();
    let mut core: &[&str] = &parts;
    if core.len() >= 4 {
        core = &core[2..];
    }
    if core.len() >= 2
        && core.last().is_some_and(|v| {
            v.starts_with('v') && v[1..].chars().all(|c| c.is_ascii_digit()) && v.len() > 1
        })
    {
        core = &core[..core.len() - 1];
    }
    core.join(".")
}

fn collect_step_targets(steps: &[Step], out: &mut Vec<(String, String)>) {
    for step in steps {
        match step {
            Step::Get(s) => out.push((s.table.clone(), "get".into())),
            Step::Put(s) => out.push((s.table.clone(), "put".into())),
            Step::Update(s) => out.push((s.table.clone(), "update".into())),
            Step::Delete(s) => out.push((s.table.clone(), "delete".into())),
            Step::Query(s) => out.push((s.table.clone(), "query".into())),
            Step::TransactWrite(s) => {
                for item in &s.items {
                    let (TransactItem::Put(w)
                    | TransactItem::Update(w)
                    | TransactItem::Delete(w)
                    | TransactItem::ConditionCheck(w)) = item;
                    out.push((w.table.clone(), "transact".into()));
                }
            }
            Step::Emit(s) => {
                out.push((s.bus.clone(), format!("emit {}", short_type(&s.event_type))))
            }
            Step::Send(s) => out.push((s.queue.clone(), "send".into())),
            Step::Invoke(s) => out.push((s.function.clone(), "invoke".into())),
            Step::StartExecution(s) => out.push((s.state_machine.clone(), "start".into())),
            Step::Call(s) => out.push((s.api.clone(), "call".into())),
            Step::If(s) => {
                collect_step_targets(&s.then, out);
                collect_step_targets(&s.otherwise, out);
            }
            // A task token does not name its state machine, so no edge can be drawn.
            Step::SendTaskSuccess(_) | Step::SendTaskFailure(_) | Step::Fail(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eventlab_core::design::load_text;

    fn pizza() -> Design {
        let text = r#"{"version":1,"name":"p","eventTypes":[{"type":"com.pizza.order.placed.v1","source":"orders"}],
        "nodes":[
          {"id":"checkout","kind":"producer","eventType":"com.pizza.order.placed.v1","bus":"bus","count":1},
          {"id":"bus","kind":"bus","rules":[
             {"id":"charge","pattern":{"detail-type":["com.pizza.order.placed.v1","com.pizza.order.paid.v1"]},"targets":[{"node":"pay"}]},
             {"id":"all","pattern":{"source":["x"]},"targets":[{"node":"q"}]}]},
          {"id":"pay","kind":"function","steps":[
             {"op":"get","table":"t","key":{},"as":"o"},
             {"op":"put","table":"t","item":{}},
             {"op":"if","condition":"a = b","then":[{"op":"call","api":"api","key":"k"}]},
             {"op":"emit","bus":"bus","type":"com.pizza.order.paid.v1"}]},
          {"id":"q","kind":"queue","deadLetterQueue":"dlq","maxReceiveCount":3},
          {"id":"dlq","kind":"queue"},
          {"id":"t","kind":"table","partitionKey":{"name":"id"}},
          {"id":"api","kind":"externalApi"}],
        "triggers":[{"id":"feed","source":"q","function":"pay","batchSize":5}]}"#;
        load_text(text).unwrap().design
    }

    fn check(edges: &[Edge], from: &str, to: &str, kind: EdgeKind, label: &str) {
        let edge = edges
            .iter()
            .find(|e| e.from == from && e.to == to && e.kind == kind)
            .unwrap_or_else(|| panic!("no edge {from} → {to}: {edges:#?}"));
        assert_eq!(edge.label, label);
    }

    #[test]
    fn every_kind_of_link_becomes_an_edge() {
        // Rules, triggers, steps (nested ones too), producers and DLQs each give an edge, with
        // the same-pair links merged into one label.
        let edges = derive_edges(&pizza());
        check(
            &edges,
            "bus",
            "pay",
            EdgeKind::Rule,
            "order.placed, order.paid",
        );
        check(&edges, "bus", "q", EdgeKind::Rule, "all");
        check(&edges, "q", "pay", EdgeKind::Trigger, "trigger ×5");
        check(&edges, "pay", "t", EdgeKind::Step, "get, put");
        check(&edges, "pay", "api", EdgeKind::Step, "call");
        check(&edges, "pay", "bus", EdgeKind::Step, "emit order.paid");
        check(&edges, "checkout", "bus", EdgeKind::Produce, "order.placed");
        check(&edges, "q", "dlq", EdgeKind::Failure, "DLQ");
        assert_eq!(edges.len(), 8);
    }

    #[test]
    fn event_types_are_shortened_for_labels() {
        // Reverse-DNS prefixes and version suffixes are dropped; short names stay.
        assert_eq!(short_type("com.pizza.order.placed.v1"), "order.placed");
        assert_eq!(short_type("OrderPlaced"), "OrderPlaced");
        assert_eq!(short_type("order.v2"), "order");
        assert_eq!(short_type("a.b.c.version"), "c.version");
    }
}
