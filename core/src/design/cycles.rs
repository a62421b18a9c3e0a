//! Event cycles: a function that emits an event whose rules lead back to itself (directly or
//! through other functions and queues) makes a run go on until a bound stops it. Found on the
//! wiring by testing each rule's pattern against a sample of each emitted event type.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::diagnostic::Diagnostic;
use super::document::{Design, NodeKind};
use super::step::Step;
use crate::pattern::Pattern;

/// One diagnostic per function that starts a cycle (the smallest id in it).
pub fn find_event_cycles(design: &Design) -> Vec<Diagnostic> {
    let edges = trigger_edges(design);
    let mut reported: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for start in edges.keys() {
        if let Some(path) = path_back(&edges, start) {
            let mut members: Vec<String> =
                path.iter().map(|(function, _)| function.clone()).collect();
            members.sort();
            if !reported.insert(members.join(",")) || members.first() != Some(start) {
                continue;
            }
            let story: Vec<String> = path
                .iter()
                .map(|(function, event)| format!("'{function}' emits {event}"))
                .collect();
            out.push(
                Diagnostic::warning(
                    "event-cycle",
                    format!("nodes/{start}"),
                    format!(
                        "event cycle: {}, which leads back to '{start}'; a run repeats this until a bound stops it",
                        story.join(", which triggers ")
                    ),
                )
                .on_node(start),
            );
        }
    }
    out
}

/// Function → (event type it emits, function that event triggers).
fn trigger_edges(design: &Design) -> BTreeMap<String, Vec<(String, String)>> {
    let source_of: BTreeMap<&str, &str> = design
        .event_types
        .iter()
        .map(|t| (t.type_name.as_str(), t.source.as_str()))
        .collect();
    let mut edges: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for node in &design.nodes {
        let NodeKind::Function(function) = &node.kind else {
            continue;
        };
        let mut emitted = Vec::new();
        collect_emits(&function.steps, &mut emitted);
        for (bus, event_type) in emitted {
            let sample = json!({
                "version": "0", "id": "sample", "detail-type": event_type, "account": "123456789012",
                "source": format!("/{}", source_of.get(event_type.as_str()).copied().unwrap_or("")),
                "time": "2024-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
                "detail": {"specversion": "1.0", "type": event_type, "data": {}},
            });
            for target in targets_of(design, &bus, &sample) {
                edges
                    .entry(node.id.clone())
                    .or_default()
                    .push((event_type.clone(), target));
            }
        }
    }
    edges
}

fn collect_emits(steps: &[Step], out: &mut Vec<(String, String)>) {
    for step in steps {
        match step {
            Step::Emit(emit) => out.push((emit.bus.clone(), emit.event_type.clone())),
            Step::If(decision) => {
                collect_emits(&decision.then, out);
                collect_emits(&decision.otherwise, out);
            }
            _ => {}
        }
    }
}

/// The functions an event on `bus` reaches: rule targets that are functions, or queues that
/// feed a function.
fn targets_of(design: &Design, bus: &str, sample: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(NodeKind::Bus(bus)) = design.nodes.iter().find(|n| n.id == bus).map(|n| &n.kind)
    else {
        return out;
    };
    for rule in &bus.rules {
        let matches = Pattern::from_value(&rule.pattern)
            .map(|p| p.matches(sample))
            .unwrap_or(false);
        if !matches {
            continue;
        }
        for target in &rule.targets {
            match design
                .nodes
                .iter()
                .find(|n| n.id == target.node)
                .map(|n| &n.kind)
            {
                Some(NodeKind::Function(_)) => out.push(target.node.clone()),
                Some(NodeKind::Queue(_)) => out.extend(
                    design
                        .triggers
                        .iter()
                        .filter(|t| t.source == target.node)
                        .map(|t| t.function.clone()),
                ),
                _ => {}
            }
        }
    }
    out
}

/// A path of (function, event it emits) from `start` back to `start`, if there is one.
fn path_back(
    edges: &BTreeMap<String, Vec<(String, String)>>,
    start: &str,
) -> Option<Vec<(String, String)>> {
    let mut stack: Vec<(String, Vec<(String, String)>)> = vec![(start.to_string(), Vec::new())];
    let mut visited: BTreeSet<String> = BTreeSet::new();
    while let Some((function, path)) = stack.pop() {
        for (event_type, next) in edges.get(&function).into_iter().flatten() {
            let mut longer = path.clone();
            longer.push((function.clone(), event_type.clone()));
            if next == start {
                return Some(longer);
            }
            if visited.insert(next.clone()) {
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}
