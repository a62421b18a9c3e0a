//! `read-modify-write`: a handler that reads an item (`get`) and then writes the same item of
//! the same table (`put` of the whole item, or an `update` computed from what it read) without
//! a condition. Two invocations that overlap both read the old item, and the second write puts
//! back what the first one changed: a lost update, the classic aggregator and state-table bug.
//!
//! The key of the write is compared with the key of the read as written in the document (the
//! same references), on the table's key attributes.

use serde_json::Value;

use crate::design::{Design, NodeKind, Step, WriteStep};

use super::steps::all_steps;
use super::wiring::node;
use super::Spot;

/// A `get` seen earlier in the function.
struct Read<'a> {
    table: &'a str,
    key: &'a Value,
    save_as: &'a str,
    label: String,
}

pub fn find(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    let mut reads: Vec<(&str, Read<'_>)> = Vec::new();
    for placed in all_steps(design) {
        match placed.step {
            Step::Get(get) => reads.push((
                placed.function,
                Read {
                    table: &get.table,
                    key: &get.key,
                    save_as: &get.save_as,
                    label: placed.label.clone(),
                },
            )),
            Step::Put(write) | Step::Update(write) if write.condition.is_none() => {
                let is_put = matches!(placed.step, Step::Put(_));
                let written_key = if is_put {
                    write.item.as_ref()
                } else {
                    write.key.as_ref()
                };
                let Some(written_key) = written_key else {
                    continue;
                };
                let read = reads.iter().find(|(function, read)| {
                    *function == placed.function
                        && read.table == write.table
                        && same_key(design, &write.table, read.key, written_key)
                        && (is_put || uses(write, read.save_as))
                });
                let Some((_, read)) = read else {
                    continue;
                };
                let how = if is_put {
                    "writes the whole item back with a put"
                } else {
                    "updates it from what it read"
                };
                spots.push(Spot {
                    node: Some(placed.function.to_string()),
                    location: placed.location.clone(),
                    message: format!(
                        "{} reads an item of {} in step {} (as {}) and in step {} {how}, without a condition: when two invocations overlap, the second write puts back what the first one changed (a lost update). Add a condition on the version you read (version = :expected, bumping it), or update only this handler's own fields.",
                        placed.function, write.table, read.label, read.save_as, placed.label
                    ),
                });
            }
            _ => {}
        }
    }
    spots
}

/// Whether two key (or item) templates name the same item of the table: equal values for each
/// of the table's key attributes (or for each attribute of the read key, when the table is not
/// in the design).
fn same_key(design: &Design, table: &str, read_key: &Value, written: &Value) -> bool {
    let attributes: Vec<String> = match node(design, table).map(|n| &n.kind) {
        Some(NodeKind::Table(settings)) => std::iter::once(settings.partition_key.name.clone())
            .chain(settings.sort_key.iter().map(|k| k.name.clone()))
            .collect(),
        _ => read_key
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default(),
    };
    !attributes.is_empty()
        && attributes
            .iter()
            .all(|name| read_key.get(name).is_some() && read_key.get(name) == written.get(name))
}

/// Whether an update's values refer to what was read (`$.order...`).
fn uses(write: &WriteStep, save_as: &str) -> bool {
    let prefix = format!("$.{save_as}");
    write
        .expressions
        .values
        .values()
        .any(|value| refers_to(value, &prefix))
}

fn refers_to(value: &Value, prefix: &str) -> bool {
    match value {
        Value::String(text) => {
            text == prefix
                || text
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        }
        Value::Array(items) => items.iter().any(|v| refers_to(v, prefix)),
        Value::Object(object) => object.values().any(|v| refers_to(v, prefix)),
        _ => false,
    }
}
