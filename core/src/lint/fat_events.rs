//! `event-too-fat`: an event type that carries too much: more fields than a consumer can reason
//! about, an example over the size budget, or whole entities carried "just in case" a consumer
//! might want them: a nested object, or every data field another service owns (its entity
//! copied flat, field by field).
//!
//! Judged on `eventTypes[]` alone (fields and example), never on a run. The thresholds are
//! constants here so the explanation and the tests agree on them.

use crate::design::{Design, EventType};

use super::ownership::is_identifier;

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
        spots.extend(copied_entities(design, event_type));
    }
    spots
}

/// Another service's whole entity copied into the event: every data field (not identifier)
/// that service owns, when it owns at least two, so one shared field is never taken for an
/// entity.
fn copied_entities(design: &Design, event_type: &EventType) -> Vec<Spot> {
    let mut spots = Vec::new();
    for service in design.services.iter().filter(|s| s.id != event_type.source) {
        let data_fields: Vec<&str> = service
            .owns
            .iter()
            .map(String::as_str)
            .filter(|field| !is_identifier(field))
            .collect();
        if data_fields.len() < 2
            || !data_fields
                .iter()
                .all(|field| event_type.fields.contains_key(*field))
        {
            continue;
        }
        spots.push(Spot {
            node: None,
            location: format!("eventTypes/{}/fields", event_type.type_name),
            message: format!(
                "{} carries every field {} owns ({}): the whole entity, copied just in case; consumers come to rely on all of it and it goes stale when {} changes it. Carry the id and the values the fact is about.",
                event_type.type_name,
                service.id,
                data_fields.join(", "),
                service.id
            ),
        });
    }
    spots
}

/// The size of the example's data (or of the whole example when it has no `data`).
fn example_bytes(event_type: &EventType) -> Option<usize> {
    let example = event_type.example.as_ref()?;
    let data = example.get("data").unwrap_or(example);
    serde_json::to_string(data).ok().map(|text| text.len())
}
