//! `causation-missing`: an event written out by hand as a CloudEvent, or a workflow started,
//! without the causation id, so nobody can tell which event led to which.
//!
//! Three places: a `send` body or a table item that builds a CloudEvent (an object with
//! `specversion`) without `causationid`; an event type's `example` that is a whole CloudEvent
//! with a correlation id but no causation id; a `startExecution` of a state machine that puts events on a
//! bus, whose input carries neither the incoming CloudEvent nor a causation id, so the
//! workflow's events start without one. An
//! `emit` sets both ids itself (its `carryCorrelation: false` is `correlation-not-carried`),
//! but only from a CloudEvent it handles: a fourth place is an `emit` in a function fed by a
//! queue whose messages a `send` writes without the CloudEvent, so the emitted event starts
//! without a causation id. The `send` itself is `correlation-not-carried`'s finding; this one
//! names the event that ends up caused by nothing.

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
    spots.extend(bare_message_emits(design));
    spots
}

/// Emits in functions fed by queues of bare messages: their events start caused by nothing.
fn bare_message_emits(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    for placed in all_steps(design) {
        let Step::Emit(emit) = placed.step else {
            continue;
        };
        // Without carryCorrelation the emit is correlation-not-carried's finding already.
        if !emit.carry_correlation {
            continue;
        }
        for sender in bare_senders(design, placed.function) {
            spots.push(Spot {
                node: Some(placed.function.to_string()),
                location: placed.location.clone(),
                message: format!(
                    "{} step {} emits {} while handling messages that {sender} sends without a CloudEvent: the event starts without a causation id (and a new correlation id), so nobody can tell which event led to it; have {sender} send $.cloudevent.",
                    placed.function, placed.label, emit.event_type
                ),
            });
        }
    }
    spots
}

/// The functions whose `send` steps write bare messages (no CloudEvent) to a queue that feeds
/// `function`, each named once, in document order.
fn bare_senders<'a>(design: &'a Design, function: &str) -> Vec<&'a str> {
    let queues: Vec<&str> = design
        .triggers
        .iter()
        .filter(|t| t.function == function)
        .filter(|t| {
            matches!(
                super::wiring::node(design, &t.source).map(|n| &n.kind),
                Some(NodeKind::Queue(_))
            )
        })
        .map(|t| t.source.as_str())
        .collect();
    let mut senders: Vec<&str> = Vec::new();
    for placed in all_steps(design) {
        if let Step::Send(send) = placed.step {
            if queues.contains(&send.queue.as_str())
                && !super::correlation::carries_cloud_event(&send.body)
                && !senders.contains(&placed.function)
            {
                senders.push(placed.function);
            }
        }
    }
    senders
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
