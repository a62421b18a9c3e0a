//! `causation-missing`: an event written out by hand as a CloudEvent, or a workflow started,
//! without the causation id, so nobody can tell which event led to which.
//!
//! Three places: a `send` body or a table item that builds a CloudEvent (an object with
//! `specversion`) without `causationid`; an event type's `example` that is a whole CloudEvent
//! with a correlation id but no causation id; a `startExecution` of a state machine that puts events on a
//! bus, whose input carries neither the incoming CloudEvent nor a causation id, so the
//! workflow's events start without one. An
//! `emit` sets both ids itself (its `carryCorrelation: false` is `correlation-not-carried`).

use serde_json::Value;

use crate::design::{Design, NodeKind, Step, TransactItem};

use super::steps::all_steps;
use super::Spot;

pub fn find(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    for event_type in &design.event_types {
        let Some(example) = &event_type.example else {
            continue;
        };
        if example.get("correlationid").is_some() && lacks_causation(example) {
            spots.push(Spot {
                node: None,
                location: format!("eventTypes/{}/example", event_type.type_name),
                message: format!(
                    "{}'s example has a correlationid but no causationid: consumers learn the flow but not which event caused this one; set causationid to the id of the event being handled.",
                    event_type.type_name
                ),
            });
        }
    }
    for placed in all_steps(design) {
        let built: Vec<(&Value, String)> = match placed.step {
            Step::Send(send) => vec![(&send.body, format!("{}/body", placed.location))],
            Step::Put(write) => write_item(write, &placed.location),
            Step::TransactWrite(transaction) => transaction
                .items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| match item {
                    TransactItem::Put(write) => write.item.as_ref().map(|value| {
                        (
                            value,
                            format!("{}/items/{}/item", placed.location, index + 1),
                        )
                    }),
                    _ => None,
                })
                .collect(),
            Step::StartExecution(start)
                if publishes_events(design, &start.state_machine)
                    && !input_carries_causation(&start.input) =>
            {
                spots.push(Spot {
                    node: Some(placed.function.to_string()),
                    location: format!("{}/input", placed.location),
                    message: format!(
                        "{} step {} starts {} with an input that carries neither the incoming CloudEvent nor a causation id: the workflow's events cannot say which event started it; pass $.eventId as causationId (and $.correlationId).",
                        placed.function, placed.label, start.state_machine
                    ),
                });
                Vec::new()
            }
            _ => Vec::new(),
        };
        for (value, location) in built {
            for event in cloud_events_in(value) {
                if lacks_causation(event) {
                    spots.push(Spot {
                        node: Some(placed.function.to_string()),
                        location: location.clone(),
                        message: format!(
                            "{} step {} writes a CloudEvent without causationid: the event's readers cannot tell which event caused it; set causationid to $.eventId.",
                            placed.function, placed.label
                        ),
                    });
                }
            }
        }
    }
    spots
}

fn write_item<'a>(write: &'a crate::design::WriteStep, location: &str) -> Vec<(&'a Value, String)> {
    write
        .item
        .iter()
        .map(|item| (item, format!("{location}/item")))
        .collect()
}

fn lacks_causation(event: &Value) -> bool {
    event.get("causationid").is_none_or(Value::is_null)
}

/// CloudEvents written out inside a value: the value itself or any nested object with
/// `specversion`.
fn cloud_events_in(value: &Value) -> Vec<&Value> {
    let mut found = Vec::new();
    let mut pending = vec![value];
    while let Some(current) = pending.pop() {
        if let Value::Object(object) = current {
            if object.contains_key("specversion") {
                found.push(current);
                continue;
            }
            pending.extend(object.values());
        }
    }
    found
}

/// Whether a state machine puts events on a bus (an `events:putEvents` task), so its events
/// need the causation id from its input.
fn publishes_events(design: &Design, state_machine: &str) -> bool {
    match super::wiring::node(design, state_machine).map(|n| &n.kind) {
        Some(NodeKind::StateMachine(machine)) => {
            machine.definition.to_string().contains("events:putEvents")
        }
        _ => false,
    }
}

/// The whole incoming event or CloudEvent, or an object naming the causation id.
fn input_carries_causation(input: &Value) -> bool {
    match input {
        Value::String(reference) => {
            reference == "$.cloudevent"
                || reference == "$.event"
                || reference == "$"
                || reference == "$.eventId"
        }
        Value::Object(object) => object.iter().any(|(key, value)| {
            key.eq_ignore_ascii_case("causationid")
                || key.eq_ignore_ascii_case("causation_id")
                || input_carries_causation(value)
        }),
        _ => false,
    }
}
