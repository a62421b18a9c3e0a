//! Connecting two nodes by dragging from one to the other creates the semantic link that
//! such an arrow means: a rule on a bus, a trigger from a queue or stream, a handler step, a
//! producer's bus, a pipe's ends, a dead-letter queue. The edge then appears because it is
//! derived from that link. Pure; tested natively.

use eventlab_core::design::change::DesignChange;
use eventlab_core::design::{Design, Node, NodeKind, Rule, Step, Target, Trigger};
use serde_json::json;

use crate::state::templates::{new_step, unique};

/// The change that connects `from` to `to`, or a sentence saying why they cannot be.
pub fn connect(design: &Design, from: &str, to: &str) -> Result<DesignChange, String> {
    let find = |id: &str| design.nodes.iter().find(|n| n.id == id);
    let (Some(source), Some(target)) = (find(from), find(to)) else {
        return Err("Both ends must be nodes of the design.".into());
    };
    if from == to {
        return Err("A node cannot be connected to itself.".into());
    }
    let refuse = || {
        Err(format!(
            "A {} cannot send to {}.",
            kind_words(&source.kind),
            with_article(kind_words(&target.kind))
        ))
    };
    match (&source.kind, &target.kind) {
        (
            NodeKind::Bus(bus),
            NodeKind::Function(_)
            | NodeKind::Queue(_)
            | NodeKind::StateMachine(_)
            | NodeKind::Bus(_),
        ) => {
            let id = unique(&format!("to-{to}"), |id| {
                bus.rules.iter().any(|r| r.id == id)
            });
            let pattern = match event_type_for_rule(design, from) {
                Some(type_name) => json!({"detail-type": [type_name]}),
                None => json!({"source": [{"prefix": ""}]}),
            };
            let rule = Rule {
                id,
                pattern,
                targets: vec![target_to(to)],
            };
            Ok(DesignChange::AddRule {
                bus: from.into(),
                index: to_u32(bus.rules.len()),
                rule,
            })
        }
        (NodeKind::Queue(_) | NodeKind::Table(_), NodeKind::Function(_)) => {
            let mut changes = Vec::new();
            if let NodeKind::Table(table) = &source.kind {
                if table.stream.is_none() {
                    let mut table = table.clone();
                    table.stream = Some("NEW_AND_OLD_IMAGES".into());
                    changes.push(DesignChange::SetNodeKind {
                        id: from.into(),
                        kind: NodeKind::Table(table),
                    });
                }
            }
            let id = unique(&format!("{from}-to-{to}"), |id| {
                design.triggers.iter().any(|t| t.id == id)
            });
            let trigger = Trigger {
                id,
                source: from.into(),
                function: to.into(),
                batch_size: 10,
                report_batch_item_failures: false,
                maximum_retry_attempts: None,
                filter: None,
            };
            changes.push(DesignChange::AddTrigger {
                index: to_u32(design.triggers.len()),
                trigger,
            });
            Ok(batch(changes))
        }
        (NodeKind::Function(function), _) => {
            let Some(step) = step_towards(design, source, target) else {
                return refuse();
            };
            Ok(DesignChange::AddStep {
                function: from.into(),
                index: to_u32(function.steps.len()),
                step,
            })
        }
        (NodeKind::Producer(producer), NodeKind::Bus(_)) => {
            let mut producer = producer.clone();
            producer.bus = to.into();
            Ok(DesignChange::SetNodeKind {
                id: from.into(),
                kind: NodeKind::Producer(producer),
            })
        }
        (NodeKind::Table(_) | NodeKind::Queue(_), NodeKind::Pipe(pipe)) => {
            let mut pipe = pipe.clone();
            pipe.source = from.into();
            Ok(DesignChange::SetNodeKind {
                id: to.into(),
                kind: NodeKind::Pipe(pipe),
            })
        }
        (NodeKind::Pipe(pipe), NodeKind::Bus(_)) => {
            let mut pipe = pipe.clone();
            pipe.target = to.into();
            Ok(DesignChange::SetNodeKind {
                id: from.into(),
                kind: NodeKind::Pipe(pipe),
            })
        }
        (NodeKind::Queue(queue), NodeKind::Queue(_)) => {
            let mut queue = queue.clone();
            queue.dead_letter_queue = Some(to.into());
            queue.max_receive_count = queue.max_receive_count.or(Some(3));
            Ok(DesignChange::SetNodeKind {
                id: from.into(),
                kind: NodeKind::Queue(queue),
            })
        }
        (NodeKind::Table(_) | NodeKind::Queue(_), NodeKind::Bus(_)) => {
            Err("Add a pipe between them: a pipe relays a table stream or a queue to a bus.".into())
        }
        _ => refuse(),
    }
}

/// The handler step that makes a function use `target`.
fn step_towards(design: &Design, function: &Node, target: &Node) -> Option<Step> {
    let to = target.id.clone();
    let mut step = match &target.kind {
        NodeKind::Table(table) => {
            let mut step = new_step("put", design)?;
            if let Step::Put(write) = &mut step {
                write.table = to;
                let key = table.partition_key.name.clone();
                write.item = Some(json!({ key.clone(): format!("$.data.{key}") }));
            }
            return Some(step);
        }
        NodeKind::Bus(_) => new_step("emit", design)?,
        NodeKind::Queue(_) => new_step("send", design)?,
        NodeKind::Function(_) => new_step("invoke", design)?,
        NodeKind::StateMachine(_) => new_step("startExecution", design)?,
        NodeKind::ExternalApi(_) => new_step("call", design)?,
        NodeKind::Producer(_) | NodeKind::Pipe(_) => return None,
    };
    match &mut step {
        Step::Emit(s) => {
            s.bus = to;
            if let Some(owned) = design
                .event_types
                .iter()
                .find(|t| Some(&t.source) == function.service.as_ref())
            {
                s.event_type = owned.type_name.clone();
            }
        }
        Step::Send(s) => s.queue = to,
        Step::Invoke(s) => s.function = to,
        Step::StartExecution(s) => s.state_machine = to,
        Step::Call(s) => s.api = to,
        _ => {}
    }
    Some(step)
}

/// The event type a new rule on `bus` most likely wants: one that reaches the bus (from a
/// producer or an emit step) and that no rule of the bus matches yet, else the first declared.
fn event_type_for_rule(design: &Design, bus: &str) -> Option<String> {
    let mut arriving = Vec::new();
    for node in &design.nodes {
        match &node.kind {
            NodeKind::Producer(p) if p.bus == bus => arriving.push(p.event_type.clone()),
            NodeKind::Function(f) => {
                for step in &f.steps {
                    if let Step::Emit(e) = step {
                        if e.bus == bus {
                            arriving.push(e.event_type.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let matched: Vec<String> = design
        .nodes
        .iter()
        .filter(|n| n.id == bus)
        .filter_map(|n| match &n.kind {
            NodeKind::Bus(b) => Some(b.rules.iter()),
            _ => None,
        })
        .flatten()
        .flat_map(|r| crate::canvas::edges::pattern_event_types(&r.pattern))
        .collect();
    arriving
        .iter()
        .find(|t| !matched.contains(t))
        .or(arriving.first())
        .cloned()
        .or_else(|| design.event_types.first().map(|t| t.type_name.clone()))
}

fn target_to(node: &str) -> Target {
    Target {
        node: node.into(),
        input_transformer: None,
        input_path: None,
        retry_policy: Default::default(),
        dead_letter_queue: None,
    }
}

fn batch(mut changes: Vec<DesignChange>) -> DesignChange {
    if changes.len() == 1 {
        changes.remove(0)
    } else {
        DesignChange::Batch { changes }
    }
}

fn to_u32(length: usize) -> u32 {
    u32::try_from(length).unwrap_or(u32::MAX)
}

fn with_article(words: &str) -> String {
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {words}")
}

/// A kind in words for messages: `stateMachine` → "state machine".
pub fn kind_words(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Bus(_) => "bus",
        NodeKind::Queue(_) => "queue",
        NodeKind::Function(_) => "function",
        NodeKind::Table(_) => "table",
        NodeKind::StateMachine(_) => "state machine",
        NodeKind::ExternalApi(_) => "external API",
        NodeKind::Producer(_) => "producer",
        NodeKind::Pipe(_) => "pipe",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canvas::edges::{derive_edges, EdgeKind};
    use eventlab_core::design::change::apply;
    use eventlab_core::design::load_text;

    fn design() -> Design {
        load_text(r#"{"version":1,"services":[{"id":"pay"}],
          "eventTypes":[{"type":"placed","source":"orders"},{"type":"charged","source":"pay"}],
          "nodes":[{"id":"bus","kind":"bus"},{"id":"f","service":"pay","kind":"function"},
            {"id":"q","kind":"queue"},{"id":"dlq","kind":"queue"},{"id":"t","kind":"table","partitionKey":{"name":"orderId"}},
            {"id":"api","kind":"externalApi"},{"id":"p","kind":"producer","eventType":"placed","bus":"","count":1}]}"#)
            .unwrap()
            .design
    }

    /// Connects and checks that exactly the expected edge appears.
    fn check(from: &str, to: &str, kind: EdgeKind, label: &str) {
        let mut design = design();
        let change = connect(&design, from, to).unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
        apply(&mut design, change).unwrap();
        let edges = derive_edges(&design);
        assert!(
            edges
                .iter()
                .any(|e| e.from == from && e.to == to && e.kind == kind && e.label == label),
            "{from} → {to}: {edges:#?}"
        );
    }

    #[test]
    fn each_connection_creates_its_semantic_link() {
        // Drawing an arrow creates the rule, trigger, step or reference it stands for.
        check("bus", "f", EdgeKind::Rule, "placed");
        check("bus", "q", EdgeKind::Rule, "placed");
        check("q", "f", EdgeKind::Trigger, "trigger ×10");
        check("t", "f", EdgeKind::Trigger, "trigger ×10");
        check("f", "t", EdgeKind::Step, "put");
        check("f", "bus", EdgeKind::Step, "emit charged");
        check("f", "q", EdgeKind::Step, "send");
        check("f", "api", EdgeKind::Step, "call");
        check("p", "bus", EdgeKind::Produce, "placed");
        check("q", "dlq", EdgeKind::Failure, "DLQ");
    }

    #[test]
    fn meaningless_connections_are_refused_with_a_reason() {
        // A table cannot send to an API; a node cannot connect to itself.
        let design = design();
        assert_eq!(
            connect(&design, "t", "api").unwrap_err(),
            "A table cannot send to an external API."
        );
        assert!(connect(&design, "f", "f").is_err());
        assert!(connect(&design, "t", "bus").unwrap_err().contains("pipe"));
    }
}
