//! State at a point of a run, for scrubbing: the tables' items, the queues' messages and the
//! invocations in flight just after trace event `seq`. Derived from the trace alone (writes are
//! replayed from the trace's successful table requests into a fresh table engine), so it needs
//! no snapshot kept during the run and is exact for every design the trace describes.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::trace::{TraceEvent, TraceKind};
use super::values::unmarshal_map;
use crate::design::{Design, NodeKind};
use crate::dynamo::{item_to_value, Database};

/// What the design held just after one trace event.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateAt {
    pub seq: u32,
    pub at_ms: u64,
    /// Table → items (plain JSON) in key order.
    pub tables: BTreeMap<String, Vec<Value>>,
    /// Queue → messages in it (sent, not yet deleted or moved), with their receive counts.
    pub queues: BTreeMap<String, Vec<QueuedMessage>>,
    /// Invocations started and not yet finished.
    pub in_flight: Vec<InFlight>,
}

/// A message in a queue at that moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuedMessage {
    pub message: String,
    pub body: Value,
    pub receive_count: u32,
}

/// An invocation running at that moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InFlight {
    pub function: String,
    pub invocation: String,
    pub attempt: u32,
    pub since_ms: u64,
}

const WRITES: [&str; 4] = ["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems"];

/// The state just after trace event `seq` (the end of the run when `seq` is past it).
pub fn state_at(design: &Design, trace: &[TraceEvent], seq: u32) -> StateAt {
    let end = (seq as usize + 1).min(trace.len());
    let mut database = Database::new();
    for node in &design.nodes {
        if let NodeKind::Table(table) = &node.kind {
            let mut schema =
                vec![json!({"AttributeName": table.partition_key.name, "KeyType": "HASH"})];
            let mut attributes = vec![
                json!({"AttributeName": table.partition_key.name, "AttributeType": table.partition_key.attribute_type}),
            ];
            if let Some(sort) = &table.sort_key {
                schema.push(json!({"AttributeName": sort.name, "KeyType": "RANGE"}));
                attributes.push(
                    json!({"AttributeName": sort.name, "AttributeType": sort.attribute_type}),
                );
            }
            let request = json!({"TableName": node.id, "KeySchema": schema, "AttributeDefinitions": attributes});
            let _ = database.execute("CreateTable", &request, 0);
        }
    }
    let mut state = StateAt {
        seq,
        at_ms: trace.get(end.wrapping_sub(1)).map_or(0, |e| e.at_ms),
        ..StateAt::default()
    };
    let mut messages: BTreeMap<String, (String, QueuedMessage)> = BTreeMap::new();
    let mut running: BTreeMap<String, InFlight> = BTreeMap::new();
    for event in &trace[..end] {
        match &event.kind {
            TraceKind::Step {
                op,
                request,
                response,
                ..
            } if WRITES.contains(&op.as_str()) && response.get("error").is_none() => {
                // Capacity is not replayed: a write the run accepted is accepted again.
                let _ = database.execute(op, request, 0);
            }
            TraceKind::MessageSent { message, body, .. } => {
                let entry = QueuedMessage {
                    message: message.clone(),
                    body: body.clone(),
                    receive_count: 0,
                };
                messages.insert(message.clone(), (event.node.clone(), entry));
            }
            TraceKind::MessageReceived {
                message,
                receive_count,
                ..
            } => {
                if let Some((_, entry)) = messages.get_mut(message) {
                    entry.receive_count = *receive_count;
                }
            }
            TraceKind::MessageDeleted { message } => {
                messages.remove(message);
            }
            TraceKind::DeadLettered { subject, .. } => {
                messages.remove(subject);
            }
            TraceKind::InvocationStarted {
                invocation,
                attempt,
                ..
            } => {
                let entry = InFlight {
                    function: event.node.clone(),
                    invocation: invocation.clone(),
                    attempt: *attempt,
                    since_ms: event.at_ms,
                };
                running.insert(invocation.clone(), entry);
            }
            TraceKind::InvocationFinished { invocation, .. } => {
                running.remove(invocation);
            }
            _ => {}
        }
    }
    for node in &design.nodes {
        match &node.kind {
            NodeKind::Table(_) => {
                let items = database
                    .items(&node.id)
                    .into_iter()
                    .map(|item| {
                        item_to_value(item)
                            .as_object()
                            .map(unmarshal_map)
                            .unwrap_or(Value::Null)
                    })
                    .collect();
                state.tables.insert(node.id.clone(), items);
            }
            NodeKind::Queue(_) => {
                state.queues.insert(node.id.clone(), Vec::new());
            }
            _ => {}
        }
    }
    for (queue, message) in messages.into_values() {
        state.queues.entry(queue).or_default().push(message);
    }
    state.in_flight = running.into_values().collect();
    state
}
