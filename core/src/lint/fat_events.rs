//! `event-too-fat`: an event type that carries too much: more fields than a consumer can reason
//! about, an example over the size budget, or whole entities (nested objects) carried "just in
//! case" a consumer might want them.
//!
//! Judged on `eventTypes[]` alone (fields and example), never on a run. The thresholds are
//! constants here so the explanation and the tests agree on them.

use crate::design::{Design, EventType};

use super::Spot;

/// More data fields than this and an event stops being one fact.
pub const MAX_FIELDS: usize = 12;

/// An example's serialized `data` over this many bytes is a document, not an event. EventBridge
/// allows 256 KB, but meters every 64 KB and each consumer parses all of it.
pub const MAX_EXAMPLE_BYTES: usize = 4_096;

pub fn find(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    for event_type in &design.event_types {
        let location = format!("eventTypes/{}", event_type.type_name);
        if event_type.fields.len() > MAX_FIELDS {
            spots.push(Spot {
                node: None,
                location: format!("{location}/fields"),
                message: format!(
                    "{} has {} data fields (more than {MAX_FIELDS}): every consumer now depends on all of them and none can tell which it needs; keep the fact and the ids, and let consumers ask the owners for the rest.",
                    event_type.type_name,
                    event_type.fields.len()
                ),
            });
        }
        if let Some(bytes) = example_bytes(event_type).filter(|b| *b > MAX_EXAMPLE_BYTES) {
            spots.push(Spot {
                node: None,
                location: format!("{location}/example"),
                message: format!(
                    "{}'s example data is {bytes} bytes (over {MAX_EXAMPLE_BYTES}): large events cost more per PutEvents, slow every consumer and carry data nobody asked for; send the fact and ids, not the document.",
                    event_type.type_name
                ),
            });
        }
        for (field, field_type) in &event_type.fields {
            if field_type == "object" {
                spots.push(Spot {
                    node: None,
                    location: format!("{location}/fields/{field}"),
                    message: format!(
                        "{} carries {field} as a whole object, just in case: consumers start reading fields inside it that the event never promised; carry {field}'s id and the few values the fact is about.",
                        event_type.type_name
                    ),
                });
            }
        }
    }
    spots
}

/// The size of the example's data (or of the whole example when it has no `data`).
fn example_bytes(event_type: &EventType) -> Option<usize> {
    let example = event_type.example.as_ref()?;
    let data = example.get("data").unwrap_or(example);
    serde_json::to_string(data).ok().map(|text| text.len())
}
