//! An item's version history, read from a run's trace: every write that reached the item (Put,
//! Update, Delete, and transaction parts), by which function and invocation, with its
//! condition and whether it passed; a rejected conditional write is in the history too, since
//! the trace keeps the rejected request. This is what shows a lost update (two writes from one
//! version) or a version check rejecting the loser.
//!
//! It must never simulate: it only reads the trace.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::trace::{TraceEvent, TraceKind};
use super::values::unmarshal_map;

/// One write that reached the item (or was refused on it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemWrite {
    pub seq: u32,
    pub at_ms: u64,
    /// The function whose handler made the request (empty when the trace does not say).
    pub function: String,
    pub invocation: String,
    /// `PutItem`, `UpdateItem`, `DeleteItem`, or `TransactWriteItems/Put` and the like.
    pub op: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update: Option<String>,
    /// Whether the write took effect.
    pub passed: bool,
    /// Why it did not (DynamoDB's error and message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The writes to the item of `table` whose key attributes equal `key`'s (plain JSON, e.g.
/// `{"orderId": "o-1"}`), in trace order.
pub fn item_history(trace: &[TraceEvent], table: &str, key: &Map<String, Value>) -> Vec<ItemWrite> {
    let functions: BTreeMap<&str, &str> = trace
        .iter()
        .filter_map(|event| match &event.kind {
            TraceKind::InvocationStarted { invocation, .. } => {
                Some((invocation.as_str(), event.node.as_str()))
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for event in trace {
        let (invocation, op, request, error) = match &event.kind {
            TraceKind::Step {
                invocation,
                op,
                request,
                ..
            } => (invocation, op.as_str(), request, None),
            TraceKind::ConditionFailed {
                invocation,
                request,
                error,
                message,
                ..
            } => (
                invocation,
                operation_of(request),
                request,
                Some(format!("{error}: {message}")),
            ),
            _ => continue,
        };
        let function = functions
            .get(invocation.as_str())
            .copied()
            .unwrap_or_default();
        for (part_op, part) in write_parts(op, request) {
            if part["TableName"].as_str() != Some(table) || !touches(part, key) {
                continue;
            }
            out.push(ItemWrite {
                seq: event.seq,
                at_ms: event.at_ms,
                function: function.to_string(),
                invocation: invocation.clone(),
                op: part_op,
                condition: part["ConditionExpression"].as_str().map(str::to_string),
                update: part["UpdateExpression"].as_str().map(str::to_string),
                passed: error.is_none(),
                error: error.clone(),
            });
        }
    }
    out
}

/// The operation a rejected request was, from its shape (the trace names the step, not the op).
fn operation_of(request: &Value) -> &'static str {
    if request.get("TransactItems").is_some() {
        "TransactWriteItems"
    } else if request.get("UpdateExpression").is_some() {
        "UpdateItem"
    } else if request.get("Item").is_some() {
        "PutItem"
    } else {
        "DeleteItem"
    }
}

/// The single-item writes inside a request: itself, or each part of a transaction.
fn write_parts<'a>(op: &str, request: &'a Value) -> Vec<(String, &'a Value)> {
    match op {
        "PutItem" | "UpdateItem" | "DeleteItem" => vec![(op.to_string(), request)],
        "TransactWriteItems" => request["TransactItems"]
            .as_array()
            .map(|parts| {
                parts
                    .iter()
                    .filter_map(|part| {
                        let (kind, body) = part.as_object()?.iter().next()?;
                        (kind != "ConditionCheck")
                            .then(|| (format!("TransactWriteItems/{kind}"), body))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Whether the request's key (or, for a put, its item) has every attribute of `key`.
fn touches(request: &Value, key: &Map<String, Value>) -> bool {
    let Some(plain) = request
        .get("Key")
        .or_else(|| request.get("Item"))
        .and_then(Value::as_object)
        .map(unmarshal_map)
    else {
        return false;
    };
    !key.is_empty()
        && key
            .iter()
            .all(|(name, value)| plain.get(name) == Some(value))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::design::load_text;
    use crate::sim::{simulate, RunOptions};

    #[test]
    fn a_version_check_shows_the_losing_write_refused() {
        // In the fixed lost-update design, two handlers race on order o-1: the history of that
        // item shows the first write, then writes with the version condition, at least one of
        // them refused by DynamoDB's conditional check on some seed.
        let text = include_str!("../../../designs/lost-update-fixed.json");
        let design = load_text(text).expect("a valid design").design;
        let key = json!({"orderId": "o-1"});
        let key = key.as_object().expect("an object");
        let mut refused = 0;
        for seed in 1..=5 {
            let options = RunOptions {
                seed: Some(seed),
                ..RunOptions::default()
            };
            let run = simulate(&design, &options);
            let history = item_history(&run.trace, "orders", key);
            assert!(history.len() >= 3, "seed {seed}: {history:?}");
            assert_eq!(history[0].op, "PutItem");
            assert!(history.iter().all(|w| !w.function.is_empty()));
            refused += history.iter().filter(|w| !w.passed).count();
            for write in history.iter().filter(|w| !w.passed) {
                assert!(write.condition.is_some(), "a refused write had a condition");
                assert!(write
                    .error
                    .as_deref()
                    .is_some_and(|e| e.starts_with("ConditionalCheckFailedException")));
            }
        }
        assert!(refused > 0, "some seed shows a refused write");
    }

    #[test]
    fn another_item_has_its_own_history() {
        // Writes to o-2 are not in o-1's history, and an empty key matches nothing.
        let text = include_str!("../../../designs/lost-update.json");
        let design = load_text(text).expect("a valid design").design;
        let run = simulate(&design, &RunOptions::default());
        let one = item_history(
            &run.trace,
            "orders",
            json!({"orderId": "o-1"}).as_object().unwrap(),
        );
        let two = item_history(
            &run.trace,
            "orders",
            json!({"orderId": "o-2"}).as_object().unwrap(),
        );
        assert!(!one.is_empty());
        assert!(one.iter().all(|w| !two.iter().any(|v| v.seq == w.seq)));
        assert!(item_history(&run.trace, "orders", &Map::new()).is_empty());
    }
}
