//! `sync-invoke-chain`: functions that `invoke` functions that `invoke` functions.
//!
//! Builds the synchronous call graph (an edge per `invoke` step) with petgraph and reports each
//! chain of more than one hop once, at its first caller, and each cycle once. The longest path
//! is found by dynamic programming over a topological order, without recursion, so a design
//! of any size cannot overflow the stack.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::BuildHasherDefault;

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graphmap::DiGraphMap;
use petgraph::Direction;

use crate::design::{Design, Step};

use super::steps::all_steps;
use super::Spot;

/// A fixed hasher: the graph map keeps insertion order anyway, and nothing here may read an OS
/// random source.
type CallGraph<'a> = DiGraphMap<&'a str, (), BuildHasherDefault<DefaultHasher>>;

pub fn find(design: &Design) -> Vec<Spot> {
    let mut calls: CallGraph<'_> = CallGraph::default();
    let mut first_invoke: BTreeMap<&str, String> = BTreeMap::new();
    for placed in all_steps(design) {
        if let Step::Invoke(invoke) = placed.step {
            calls.add_edge(placed.function, invoke.function.as_str(), ());
            first_invoke
                .entry(placed.function)
                .or_insert(placed.location.clone());
        }
    }
    let mut spots = Vec::new();
    let mut in_cycle = BTreeSet::new();
    for component in tarjan_scc(&calls) {
        let cyclic = component.len() > 1
            || component
                .first()
                .is_some_and(|&n| calls.contains_edge(n, n));
        if !cyclic {
            continue;
        }
        let mut members: Vec<&str> = component.clone();
        members.sort_unstable();
        in_cycle.extend(members.iter().copied());
        let head = members.first().copied().unwrap_or_default();
        spots.push(Spot {
            node: Some(head.to_string()),
            location: first_invoke.get(head).cloned().unwrap_or_default(),
            message: format!(
                "{} invoke each other synchronously in a cycle: each call waits on the next, so one request can run until every function times out.",
                members.join(", ")
            ),
        });
    }
    let mut acyclic = calls.clone();
    for node in &in_cycle {
        acyclic.remove_node(node);
    }
    let Ok(order) = toposort(&acyclic, None) else {
        return spots;
    };
    // Hops of the longest chain starting at each function, and the next function on it.
    let mut longest: BTreeMap<&str, (u32, Option<&str>)> = BTreeMap::new();
    for &node in order.iter().rev() {
        let best = acyclic
            .neighbors_directed(node, Direction::Outgoing)
            .map(|next| (longest.get(next).map(|l| l.0).unwrap_or(0) + 1, Some(next)))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .unwrap_or((0, None));
        longest.insert(node, best);
    }
    for &head in &order {
        let hops = longest.get(head).map(|l| l.0).unwrap_or(0);
        let called = acyclic
            .neighbors_directed(head, Direction::Incoming)
            .next()
            .is_some();
        if hops < 2 || called {
            continue;
        }
        let mut chain = vec![head];
        let mut current = head;
        while let Some(&(_, Some(next))) = longest.get(current) {
            chain.push(next);
            current = next;
        }
        spots.push(Spot {
            node: Some(head.to_string()),
            location: first_invoke.get(head).cloned().unwrap_or_default(),
            message: format!(
                "{}: a synchronous chain of {hops} hops. {head} waits, and is billed, for every function after it, their timeouts stack, and a failure at the end fails the whole chain; emit an event and let the next function react instead.",
                describe_chain(&chain)
            ),
        });
    }
    spots
}

/// "a invokes b, which invokes c, which invokes d".
fn describe_chain(chain: &[&str]) -> String {
    let mut text = String::new();
    for (index, function) in chain.iter().enumerate() {
        match index {
            0 => text.push_str(function),
            1 => text.push_str(&format!(" invokes {function}")),
            _ => text.push_str(&format!(", which invokes {function}")),
        }
    }
    text
}
