//! Validation: every reference resolves to a node of the right kind, every pattern is one
//! EventBridge accepts, every event type is declared and used. It never fails: it returns
//! diagnostics that point at the node or field at fault, in words an attendee understands.

use std::collections::{BTreeMap, BTreeSet};

use super::diagnostic::Diagnostic;
use super::document::{Design, Node, NodeKind};
use super::step::{Step, TransactItem};
use crate::pattern::Pattern;

/// Checks a design and returns its diagnostics, errors first, then in document order.
pub fn validate(design: &Design) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let nodes = index_nodes(design, &mut out);
    let event_types: BTreeSet<&str> = design
        .event_types
        .iter()
        .map(|t| t.type_name.as_str())
        .collect();
    let services: BTreeSet<&str> = design.services.iter().map(|s| s.id.as_str()).collect();
    let refs = References {
        nodes: &nodes,
        event_types: &event_types,
        waits_for_tokens: design.nodes.iter().any(|n| match &n.kind {
            NodeKind::StateMachine(machine) => machine.waits_for_task_tokens(),
            _ => false,
        }),
    };
    for node in &design.nodes {
        if let Some(service) = &node.service {
            if !services.contains(service.as_str()) {
                out.push(
                    Diagnostic::warning(
                        "unknown-service",
                        format!("nodes/{}/service", node.id),
                        format!(
                            "'{}' belongs to service '{service}', which is not declared",
                            node.label()
                        ),
                    )
                    .on_node(&node.id),
                );
            }
        }
        validate_node(node, &refs, &mut out);
    }
    validate_triggers(design, &refs, &mut out);
    validate_event_types(design, &services, &mut out);
    out.extend(super::cycles::find_event_cycles(design));
    out.sort_by_key(|d| d.severity);
    out
}

struct References<'a> {
    nodes: &'a BTreeMap<&'a str, &'a Node>,
    event_types: &'a BTreeSet<&'a str>,
    /// Whether any state machine has a `.waitForTaskToken` task, the only source of tokens.
    waits_for_tokens: bool,
}

impl References<'_> {
    /// Reports when `id` is not a node of one of `kinds`.
    fn expect(
        &self,
        id: &str,
        kinds: &[&str],
        owner: &Node,
        field: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let location = format!("nodes/{}/{field}", owner.id);
        match self.nodes.get(id) {
            None => out.push(
                Diagnostic::error(
                    "unknown-reference",
                    location,
                    format!("'{}' refers to '{id}', which does not exist", owner.label()),
                )
                .on_node(&owner.id),
            ),
            Some(node) if !kinds.contains(&node.kind.name()) => out.push(
                Diagnostic::error(
                    "wrong-kind",
                    location,
                    format!(
                        "'{}' refers to '{id}', a {}, where a {} is needed",
                        owner.label(),
                        node.kind.name(),
                        kinds.join(" or ")
                    ),
                )
                .on_node(&owner.id),
            ),
            Some(_) => {}
        }
    }
}

fn index_nodes<'a>(design: &'a Design, out: &mut Vec<Diagnostic>) -> BTreeMap<&'a str, &'a Node> {
    let mut nodes = BTreeMap::new();
    for node in &design.nodes {
        if node.id.trim().is_empty() {
            out.push(Diagnostic::error(
                "empty-id",
                "nodes",
                "a node has an empty id",
            ));
        } else if nodes.insert(node.id.as_str(), node).is_some() {
            out.push(
                Diagnostic::error(
                    "duplicate-id",
                    format!("nodes/{}", node.id),
                    format!("two nodes have the id '{}'", node.id),
                )
                .on_node(&node.id),
            );
        }
    }
    nodes
}

fn validate_node(node: &Node, refs: &References<'_>, out: &mut Vec<Diagnostic>) {
    match &node.kind {
        NodeKind::Bus(bus) => {
            for rule in &bus.rules {
                let location = format!("nodes/{}/rules/{}/pattern", node.id, rule.id);
                if let Err(error) = Pattern::from_value(&rule.pattern) {
                    out.push(
                        Diagnostic::error("invalid-pattern", location, error.to_string())
                            .on_node(&node.id),
                    );
                }
                if rule.targets.is_empty() {
                    out.push(
                        Diagnostic::warning(
                            "rule-without-target",
                            format!("nodes/{}/rules/{}", node.id, rule.id),
                            format!("rule '{}' has no target", rule.id),
                        )
                        .on_node(&node.id),
                    );
                }
                if rule.targets.len() > 5 {
                    out.push(
                        Diagnostic::error(
                            "too-many-targets",
                            format!("nodes/{}/rules/{}", node.id, rule.id),
                            format!(
                                "rule '{}' has {} targets; EventBridge allows at most 5",
                                rule.id,
                                rule.targets.len()
                            ),
                        )
                        .on_node(&node.id),
                    );
                }
                for (index, target) in rule.targets.iter().enumerate() {
                    let field = format!("rules/{}/targets/{index}", rule.id);
                    refs.expect(
                        &target.node,
                        &["function", "queue", "stateMachine", "bus"],
                        node,
                        &field,
                        out,
                    );
                    if let Some(dlq) = &target.dead_letter_queue {
                        refs.expect(
                            dlq,
                            &["queue"],
                            node,
                            &format!("{field}/deadLetterQueue"),
                            out,
                        );
                    }
                }
            }
        }
        NodeKind::Queue(queue) => {
            if let Some(dlq) = &queue.dead_letter_queue {
                refs.expect(dlq, &["queue"], node, "deadLetterQueue", out);
                if queue.max_receive_count.is_none() {
                    out.push(
                        Diagnostic::error(
                            "dlq-without-max-receive",
                            format!("nodes/{}/maxReceiveCount", node.id),
                            "a dead-letter queue needs maxReceiveCount (the redrive policy)",
                        )
                        .on_node(&node.id),
                    );
                }
            }
        }
        NodeKind::Function(function) => {
            validate_steps(&function.steps, node, "steps", refs, out);
            if let Some(target) = &function.on_failure {
                refs.expect(
                    target,
                    &["queue", "bus", "function"],
                    node,
                    "onFailure",
                    out,
                );
            }
            if function.async_retry_attempts > 2 {
                out.push(
                    Diagnostic::error(
                        "async-retries-range",
                        format!("nodes/{}/asyncRetryAttempts", node.id),
                        "Lambda allows 0 to 2 asynchronous retry attempts",
                    )
                    .on_node(&node.id),
                );
            }
        }
        NodeKind::Producer(producer) => {
            refs.expect(&producer.bus, &["bus"], node, "bus", out);
            if !refs.event_types.contains(producer.event_type.as_str()) {
                out.push(
                    Diagnostic::error(
                        "unknown-event-type",
                        format!("nodes/{}/eventType", node.id),
                        format!(
                            "'{}' produces '{}', which is not a declared event type",
                            node.label(),
                            producer.event_type
                        ),
                    )
                    .on_node(&node.id),
                );
            }
        }
        NodeKind::Pipe(pipe) => {
            refs.expect(&pipe.source, &["table", "queue"], node, "source", out);
            refs.expect(&pipe.target, &["bus"], node, "target", out);
            if let Some(filter) = &pipe.filter {
                if let Err(error) = Pattern::from_value(filter) {
                    out.push(
                        Diagnostic::error(
                            "invalid-pattern",
                            format!("nodes/{}/filter", node.id),
                            error.to_string(),
                        )
                        .on_node(&node.id),
                    );
                }
            }
        }
        NodeKind::StateMachine(machine) => {
            super::machines::validate_state_machine(node, machine, out)
        }
        NodeKind::Table(_) | NodeKind::ExternalApi(_) => {}
    }
}

fn validate_steps(
    steps: &[Step],
    node: &Node,
    prefix: &str,
    refs: &References<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (index, step) in steps.iter().enumerate() {
        let field = format!("{prefix}/{}", index + 1);
        match step {
            Step::Get(s) => refs.expect(&s.table, &["table"], node, &format!("{field}/table"), out),
            Step::Put(s) | Step::Update(s) | Step::Delete(s) => {
                refs.expect(&s.table, &["table"], node, &format!("{field}/table"), out)
            }
            Step::Query(s) => {
                refs.expect(&s.table, &["table"], node, &format!("{field}/table"), out)
            }
            Step::TransactWrite(s) => {
                for item in &s.items {
                    let (TransactItem::Put(w)
                    | TransactItem::Update(w)
                    | TransactItem::Delete(w)
                    | TransactItem::ConditionCheck(w)) = item;
                    refs.expect(&w.table, &["table"], node, &format!("{field}/table"), out);
                }
            }
            Step::Emit(s) => {
                refs.expect(&s.bus, &["bus"], node, &format!("{field}/bus"), out);
                if !refs.event_types.contains(s.event_type.as_str()) {
                    out.push(
                        Diagnostic::error(
                            "unknown-event-type",
                            format!("nodes/{}/{field}/type", node.id),
                            format!(
                                "step {} of '{}' emits '{}', which is not a declared event type",
                                index + 1,
                                node.label(),
                                s.event_type
                            ),
                        )
                        .on_node(&node.id),
                    );
                }
            }
            Step::Send(s) => {
                refs.expect(&s.queue, &["queue"], node, &format!("{field}/queue"), out)
            }
            Step::Invoke(s) => refs.expect(
                &s.function,
                &["function"],
                node,
                &format!("{field}/function"),
                out,
            ),
            Step::StartExecution(s) => refs.expect(
                &s.state_machine,
                &["stateMachine"],
                node,
                &format!("{field}/stateMachine"),
                out,
            ),
            Step::Call(s) => {
                refs.expect(&s.api, &["externalApi"], node, &format!("{field}/api"), out)
            }
            Step::If(s) => {
                // DynamoDB refuses such a condition (a reserved word, a syntax error, an unused
                // placeholder) before evaluating it, and so does the run: the step would throw.
                if let Some(message) = super::conditions::if_condition_problem(s) {
                    out.push(
                        Diagnostic::error(
                            "invalid-condition",
                            format!("nodes/{}/{field}/condition", node.id),
                            message,
                        )
                        .on_node(&node.id),
                    );
                }
                validate_steps(&s.then, node, &format!("{field}/then"), refs, out);
                validate_steps(&s.otherwise, node, &format!("{field}/else"), refs, out);
            }
            Step::SendTaskSuccess(_) | Step::SendTaskFailure(_) if !refs.waits_for_tokens => {
                out.push(
                    Diagnostic::warning(
                        "no-callback-task",
                        format!("nodes/{}/{field}/taskToken", node.id),
                        format!(
                            "step {} of '{}' answers a task token, but no state machine of the design has a .waitForTaskToken task: Step Functions would refuse every token with InvalidToken",
                            index + 1,
                            node.label()
                        ),
                    )
                    .on_node(&node.id),
                );
            }
            Step::SendTaskSuccess(_) | Step::SendTaskFailure(_) | Step::Fail(_) => {}
        }
    }
}

fn validate_triggers(design: &Design, refs: &References<'_>, out: &mut Vec<Diagnostic>) {
    for trigger in &design.triggers {
        let location = format!("triggers/{}", trigger.id);
        match refs.nodes.get(trigger.source.as_str()).map(|n| &n.kind) {
            Some(NodeKind::Queue(_)) => {}
            Some(NodeKind::Table(table)) if table.stream.is_some() => {}
            Some(NodeKind::Table(_)) => out.push(
                Diagnostic::error(
                    "table-without-stream",
                    format!("{location}/source"),
                    format!(
                        "trigger '{}' reads the stream of table '{}', which has no stream",
                        trigger.id, trigger.source
                    ),
                )
                .on_node(&trigger.source),
            ),
            Some(other) => out.push(Diagnostic::error(
                "wrong-kind",
                format!("{location}/source"),
                format!(
                    "trigger '{}' reads from '{}', a {}; a trigger reads a queue or a table stream",
                    trigger.id,
                    trigger.source,
                    other.name()
                ),
            )),
            None => out.push(Diagnostic::error(
                "unknown-reference",
                format!("{location}/source"),
                format!(
                    "trigger '{}' reads from '{}', which does not exist",
                    trigger.id, trigger.source
                ),
            )),
        }
        match refs.nodes.get(trigger.function.as_str()).map(|n| &n.kind) {
            Some(NodeKind::Function(_)) => {}
            _ => out.push(Diagnostic::error(
                "unknown-reference",
                format!("{location}/function"),
                format!(
                    "trigger '{}' feeds '{}', which is not a function of this design",
                    trigger.id, trigger.function
                ),
            )),
        }
        if trigger.batch_size == 0 || trigger.batch_size > 10_000 {
            out.push(Diagnostic::error(
                "batch-size-range",
                format!("{location}/batchSize"),
                "batch size must be between 1 and 10,000",
            ));
        }
    }
}

fn validate_event_types(design: &Design, services: &BTreeSet<&str>, out: &mut Vec<Diagnostic>) {
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for node in &design.nodes {
        match &node.kind {
            NodeKind::Producer(p) => {
                used.insert(p.event_type.as_str());
            }
            NodeKind::Function(f) => collect_emitted(&f.steps, &mut used),
            NodeKind::StateMachine(machine) => collect_detail_types(&machine.definition, &mut used),
            _ => {}
        }
    }
    for event_type in &design.event_types {
        let location = format!("eventTypes/{}", event_type.type_name);
        if !services.contains(event_type.source.as_str()) {
            out.push(Diagnostic::warning(
                "unknown-service",
                format!("{location}/source"),
                format!(
                    "event type '{}' comes from service '{}', which is not declared",
                    event_type.type_name, event_type.source
                ),
            ));
        }
        if !used.contains(event_type.type_name.as_str()) {
            out.push(Diagnostic::warning(
                "unused-event-type",
                location,
                format!(
                    "event type '{}' is declared but nothing emits it",
                    event_type.type_name
                ),
            ));
        }
    }
}

fn collect_emitted<'a>(steps: &'a [Step], used: &mut BTreeSet<&'a str>) {
    for step in steps {
        match step {
            Step::Emit(s) => {
                used.insert(s.event_type.as_str());
            }
            Step::If(s) => {
                collect_emitted(&s.then, used);
                collect_emitted(&s.otherwise, used);
            }
            _ => {}
        }
    }
}

/// Event types a state machine publishes: the `DetailType` of its PutEvents entries.
fn collect_detail_types<'a>(definition: &'a serde_json::Value, used: &mut BTreeSet<&'a str>) {
    match definition {
        serde_json::Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("DetailType", serde_json::Value::String(detail_type)) => {
                        used.insert(detail_type.as_str());
                    }
                    _ => collect_detail_types(value, used),
                }
            }
        }
        serde_json::Value::Array(items) => items
            .iter()
            .for_each(|item| collect_detail_types(item, used)),
        _ => {}
    }
}
