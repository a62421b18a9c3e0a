//! `table-shared-writers`: one table written by functions of more than one service. The table
//! then has no single owner: each service's writes can undo another's, its schema cannot change
//! without all of them, and nobody can say which service's events describe its items.
//!
//! Writes are `put`, `update` and `delete` steps and the writing actions of `transactWrite`
//! (a `conditionCheck` only reads). A function without a service is not counted.

use std::collections::BTreeMap;

use crate::design::{Design, NodeKind, Step, TransactItem};

use super::steps::all_steps;
use super::wiring::node;
use super::Spot;

pub fn find(design: &Design) -> Vec<Spot> {
    // Table → service → the functions of that service that write it.
    let mut writers: BTreeMap<&str, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for placed in all_steps(design) {
        let Some(service) = node(design, placed.function).and_then(|n| n.service.as_deref()) else {
            continue;
        };
        for table in tables_written(placed.step) {
            let functions = writers
                .entry(table)
                .or_default()
                .entry(service)
                .or_default();
            if !functions.contains(&placed.function) {
                functions.push(placed.function);
            }
        }
    }
    let mut spots = Vec::new();
    for table in &design.nodes {
        if !matches!(table.kind, NodeKind::Table(_)) {
            continue;
        }
        let Some(services) = writers.get(table.id.as_str()).filter(|s| s.len() > 1) else {
            continue;
        };
        let described: Vec<String> = services
            .iter()
            .map(|(service, functions)| format!("{} ({service})", functions.join(", ")))
            .collect();
        spots.push(Spot {
            node: Some(table.id.clone()),
            location: format!("nodes/{}", table.id),
            message: format!(
                "{} is written by functions of {} services: {}. Nobody owns it: one service's write can undo another's, and its items change without an event from their owner; let one service own the table and have the others send it events.",
                table.id,
                services.len(),
                described.join("; ")
            ),
        });
    }
    spots
}

fn tables_written(step: &Step) -> Vec<&str> {
    match step {
        Step::Put(write) | Step::Update(write) | Step::Delete(write) => vec![write.table.as_str()],
        Step::TransactWrite(transaction) => transaction
            .items
            .iter()
            .filter_map(|item| match item {
                TransactItem::Put(w) | TransactItem::Update(w) | TransactItem::Delete(w) => {
                    Some(w.table.as_str())
                }
                TransactItem::ConditionCheck(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
