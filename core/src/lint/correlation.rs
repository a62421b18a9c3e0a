//! `correlation-not-carried`: a step that breaks a flow's correlation and causation chain.
//!
//! Two ways a handler loses them: an `emit` with `carryCorrelation: false` (the new event gets a
//! fresh correlation id and no causation id), and a `send` whose body is not the incoming
//! CloudEvent (the function reading the queue finds no CloudEvent, so whatever it emits starts
//! a new flow).

use serde_json::Value;

use crate::design::{Design, Step};

use super::steps::all_steps;
use super::Spot;

pub fn find(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    for placed in all_steps(design) {
        match placed.step {
            Step::Emit(emit) if !emit.carry_correlation => spots.push(Spot {
                node: Some(placed.function.to_string()),
                location: format!("{}/carryCorrelation", placed.location),
                message: format!(
                    "{} step {} emits {} with carryCorrelation: false: the event gets a new correlation id and no causation id, so the flow it belongs to cannot be followed past {}.",
                    placed.function, placed.label, emit.event_type, placed.function
                ),
            }),
            Step::Send(send) if !carries_cloud_event(&send.body) => spots.push(Spot {
                node: Some(placed.function.to_string()),
                location: format!("{}/body", placed.location),
                message: format!(
                    "{} step {} sends a body to {} without the CloudEvent it handles: the function reading {} finds no correlation id, so every event it emits starts a new flow; send $.cloudevent (or a CloudEvent with correlationid and causationid).",
                    placed.function, placed.label, send.queue, send.queue
                ),
            }),
            _ => {}
        }
    }
    spots
}

/// Whether a message body brings the flow's ids along: the incoming event itself, or a
/// CloudEvent written out with its correlation id.
pub(super) fn carries_cloud_event(body: &Value) -> bool {
    match body {
        Value::String(reference) => {
            reference == "$.cloudevent"
                || reference == "$.event"
                || reference.starts_with("$.event.")
        }
        Value::Object(object) => {
            object.contains_key("specversion") && object.contains_key("correlationid")
        }
        _ => false,
    }
}
