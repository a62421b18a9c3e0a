//! `event-foreign-data`: an event type declares data fields its source service does not own.
//!
//! Compares `eventTypes[].fields` with the source's `services[].owns`. Identifiers (`orderId`,
//! `id`, `customer_id`) are references to another service's entity, not copies of its data, so
//! they are always allowed: carrying the id is exactly the fix this rule asks for.

use crate::design::Design;

use super::Spot;

pub fn find(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    for event_type in &design.event_types {
        let Some(source) = design.services.iter().find(|s| s.id == event_type.source) else {
            // An unknown source is validation's finding, not this rule's.
            continue;
        };
        for field in event_type.fields.keys() {
            if source.owns.contains(field) || is_identifier(field) {
                continue;
            }
            let owners: Vec<&str> = design
                .services
                .iter()
                .filter(|s| s.owns.contains(field))
                .map(|s| s.id.as_str())
                .collect();
            let message = if owners.is_empty() {
                format!(
                    "{} carries {field}, which no service owns and its source {} does not list: say which service is the source of truth for {field}, or leave it out of the event.",
                    event_type.type_name, source.id
                )
            } else {
                format!(
                    "{} carries {field}, owned by {}, not by its source {}: consumers get a copy that goes stale and now depend on both services; carry the {} id and let consumers ask its owner.",
                    event_type.type_name,
                    owners.join(" and "),
                    source.id,
                    owners.first().copied().unwrap_or_default()
                )
            };
            spots.push(Spot {
                node: None,
                location: format!("eventTypes/{}/fields/{field}", event_type.type_name),
                message,
            });
        }
    }
    spots
}

/// `id`, `orderId`, `customer_id`, `paymentID`: a reference, not data.
pub fn is_identifier(field: &str) -> bool {
    field.eq_ignore_ascii_case("id")
        || field.ends_with("Id")
        || field.ends_with("ID")
        || field.ends_with("_id")
}
