//! Table items: `finalItems` (a condition over every item at the end) and `versionMonotonic`
//! (an item's version never goes backwards), with the write history that explains a failure.
//!
//! Reads the run's final items and the trace's table steps (their requests and responses, in
//! DynamoDB's wire shape). Never re-runs anything and never changes an item.

use serde_json::Value;

use crate::design::Design;
use crate::dynamo::{evaluate, item_from_wire, AttributeValue, Condition, Number};
use crate::sim::values::{marshal, marshal_map};
use crate::sim::{Run, TraceEvent, TraceKind};

use super::explain::{fault_clause, fault_names, ms};
use super::spec::key_names;
use super::{Status, Verdict};

/// Every final item of `table` must satisfy the condition.
pub fn judge_final(
    design: &Design,
    run: &Run,
    table: &str,
    condition_text: &str,
    condition: &Condition,
) -> Verdict {
    if !run.summary.settled {
        return Verdict::undecided_by_bound(run);
    }
    let empty = Vec::new();
    let items = run.summary.final_items.get(table).unwrap_or(&empty);
    let failing: Vec<&Value> = items
        .iter()
        .filter(|item| !satisfies(item, condition))
        .collect();
    let Some(first) = failing.first() else {
        return Verdict::passed(
            &run.trace,
            format!(
                "all {} items of {table} satisfy {condition_text} at the end",
                items.len()
            ),
        );
    };
    let keys = key_names(design, table);
    let name = item_name(first, &keys);
    let shown = shown_attributes(first, &keys, condition_text);
    let history = accesses(&run.trace, table, &keys, first);
    let (deciding, story, seqs) = match history.last() {
        Some(last) => {
            let (story, seqs) = last_write_story(&history, last);
            (Some(last.seq), story, seqs)
        }
        None => (
            run.trace.last().map(|e| e.seq),
            "no handler step wrote it".to_string(),
            Vec::new(),
        ),
    };
    let others = if failing.len() > 1 {
        format!(
            " ({} of {} items fail; the first is shown)",
            failing.len(),
            items.len()
        )
    } else {
        String::new()
    };
    Verdict {
        status: Status::Failed,
        deciding_event: deciding,
        explanation: format!(
            "item {name} of {table} ends with {shown}, which fails {condition_text}{others}: {story}; {}",
            fault_clause(&run.trace, &seqs)
        ),
        faults: fault_names(&run.trace, &seqs),
    }
}

fn satisfies(item: &Value, condition: &Condition) -> bool {
    let Some(object) = item.as_object() else {
        return false;
    };
    match item_from_wire(&Value::Object(marshal_map(object))) {
        Ok(item) => evaluate(condition, &item),
        Err(_) => false,
    }
}

/// `orderId=o-1` (with the sort key when the table has one).
fn item_name(item: &Value, keys: &[String]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| format!("{k}={}", plain(&item[k.as_str()])))
        .collect();
    parts.join(", ")
}

/// The attributes the condition talks about, or every non-key attribute when none is named.
fn shown_attributes(item: &Value, keys: &[String], condition_text: &str) -> String {
    let Some(object) = item.as_object() else {
        return "nothing".to_string();
    };
    let named = |name: &str| {
        condition_text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == name)
    };
    let mut parts: Vec<String> = object
        .iter()
        .filter(|(name, _)| named(name) && !keys.contains(name))
        .map(|(name, value)| format!("{name}={}", plain(value)))
        .collect();
    if parts.is_empty() {
        parts = object
            .iter()
            .filter(|(name, _)| !keys.contains(name))
            .map(|(name, value)| format!("{name}={}", plain(value)))
            .collect();
    }
    parts.join(", ")
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "(absent)".to_string(),
        other => other.to_string(),
    }
}

/// One table step on one item.
#[derive(Debug, Clone)]
struct Access<'a> {
    seq: u32,
    at_ms: u64,
    function: &'a str,
    invocation: &'a str,
    op: &'a str,
}

/// Every successful step of `table` that touched the item, reads and writes, in trace order.
fn accesses<'a>(
    trace: &'a [TraceEvent],
    table: &str,
    keys: &[String],
    item: &Value,
) -> Vec<Access<'a>> {
    let wanted: Vec<Value> = keys.iter().map(|k| marshal(&item[k.as_str()])).collect();
    let matches = |map: &Value| {
        keys.iter()
            .zip(&wanted)
            .all(|(k, want)| map.get(k.as_str()) == Some(want))
    };
    let mut found = Vec::new();
    for event in trace {
        let TraceKind::Step {
            invocation,
            op,
            request,
            ..
        } = &event.kind
        else {
            continue;
        };
        if request["TableName"].as_str() != Some(table) {
            continue;
        }
        let touched = match op.as_str() {
            "PutItem" => matches(&request["Item"]),
            "UpdateItem" | "DeleteItem" | "GetItem" => matches(&request["Key"]),
            _ => false,
        };
        if touched {
            found.push(Access {
                seq: event.seq,
                at_ms: event.at_ms,
                function: &event.node,
                invocation,
                op,
            });
        }
    }
    found
}

fn is_write(access: &Access<'_>) -> bool {
    access.op != "GetItem"
}

/// How the item got its final state: its last write, and whether that write put back a stale
/// read over someone else's write (a lost update).
fn last_write_story(history: &[Access<'_>], last_access: &Access<'_>) -> (String, Vec<u32>) {
    let Some(last) = history.iter().rev().find(|a| is_write(a)) else {
        return (
            format!(
                "no handler step wrote it (last read by {} at {})",
                last_access.function,
                ms(last_access.at_ms)
            ),
            vec![last_access.seq],
        );
    };
    let read = history
        .iter()
        .rev()
        .find(|a| a.seq < last.seq && a.invocation == last.invocation && !is_write(a));
    let overwritten = read.and_then(|read| {
        history.iter().rev().find(|a| {
            is_write(a) && a.seq > read.seq && a.seq < last.seq && a.invocation != last.invocation
        })
    });
    match (read, overwritten) {
        (Some(read), Some(other)) => (
            format!(
                "its last write, {} {} at {} (#{}), wrote back what it had read at {} (#{}), over {}'s {} at {} (#{}): a lost update",
                last.function, last.op, ms(last.at_ms), last.seq, ms(read.at_ms), read.seq,
                other.function, other.op, ms(other.at_ms), other.seq
            ),
            vec![last.seq, other.seq],
        ),
        _ => (
            format!(
                "its last write was {} {} at {} (#{})",
                last.function, last.op, ms(last.at_ms), last.seq
            ),
            vec![last.seq],
        ),
    }
}

/// An item's version attribute, as written, must never be lower than the one before it.
pub fn judge_versions(design: &Design, run: &Run, table: &str, attribute: &str) -> Verdict {
    let keys = key_names(design, table);
    let mut latest: std::collections::BTreeMap<String, (Number, u32, u64, String)> =
        std::collections::BTreeMap::new();
    for event in &run.trace {
        let TraceKind::Step {
            op,
            request,
            response,
            ..
        } = &event.kind
        else {
            continue;
        };
        if request["TableName"].as_str() != Some(table) {
            continue;
        }
        let (key_source, image) = match op.as_str() {
            "PutItem" => (&request["Item"], request.get("Item")),
            "UpdateItem" => (&request["Key"], response.get("Attributes")),
            "DeleteItem" => (&request["Key"], None),
            _ => continue,
        };
        let key = key_text(key_source, &keys);
        if op == "DeleteItem" {
            // A deleted item starts a new life: its next version owes nothing to the old one.
            latest.remove(&key);
            continue;
        }
        let Some(version) = image.and_then(|i| number(&i[attribute])) else {
            continue;
        };
        if let Some((before, before_seq, before_ms, before_node)) = latest.get(&key) {
            if version < *before {
                let seqs = [*before_seq, event.seq];
                return Verdict {
                    status: Status::Failed,
                    deciding_event: Some(event.seq),
                    explanation: format!(
                        "item {key} of {table} went back from {attribute} {before} (written by {before_node} at {}, #{before_seq}) to {version} by {}'s {op} at {} (#{}); {}",
                        ms(*before_ms),
                        event.node,
                        ms(event.at_ms),
                        event.seq,
                        fault_clause(&run.trace, &seqs)
                    ),
                    faults: fault_names(&run.trace, &seqs),
                };
            }
        }
        latest.insert(key, (version, event.seq, event.at_ms, event.node.clone()));
    }
    Verdict::passed(
        &run.trace,
        format!(
            "no item of {table} saw its {attribute} go backwards ({} items written)",
            latest.len()
        ),
    )
}

fn number(wire: &Value) -> Option<Number> {
    match AttributeValue::from_wire(wire).ok()? {
        AttributeValue::N(number) => Some(number),
        _ => None,
    }
}

/// `orderId=o-1` from a wire-shaped key or item.
fn key_text(wire: &Value, keys: &[String]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| {
            let value = crate::sim::values::unmarshal(&wire[k.as_str()]);
            format!("{k}={}", plain(&value))
        })
        .collect();
    parts.join(", ")
}
