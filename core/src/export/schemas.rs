//! `schemas`: a JSON Schema (draft 2020-12) for each event type's `data`, one file per type
//! (`schemas/<type>.schema.json`). Every declared field is required and no other field is
//! allowed: the schema says what the event promises, and nothing more. A field type outside
//! JSON Schema's (`string`, `number`, `integer`, `boolean`, `object`, `array`, `null`) is left
//! unconstrained.

use serde_json::{json, Map, Value};

use crate::design::{Design, EventType};

use super::names::file_name;
use super::{json_text, ExportFile};

pub fn export(design: &Design) -> Vec<ExportFile> {
    design
        .event_types
        .iter()
        .map(|event_type| ExportFile {
            path: format!("schemas/{}.schema.json", file_name(&event_type.type_name)),
            text: json_text(&data_schema(event_type, true)),
        })
        .collect()
}

/// The schema of an event type's data; `standalone` adds `$schema`, `$id` and `title`.
pub fn data_schema(event_type: &EventType, standalone: bool) -> Value {
    let mut properties = Map::new();
    for (field, field_type) in &event_type.fields {
        properties.insert(field.clone(), field_schema(field_type));
    }
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "required": event_type.fields.keys().collect::<Vec<_>>(),
        "additionalProperties": false,
    });
    if standalone {
        schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
        schema["$id"] = json!(format!("urn:eventlab:schema:{}", event_type.type_name));
        schema["title"] = json!(format!("{} data", event_type.type_name));
        schema["description"] = json!(format!(
            "The data of a {} CloudEvent, emitted by {}.",
            event_type.type_name, event_type.source
        ));
        if let Some(example) = example_data(event_type) {
            schema["examples"] = json!([example]);
        }
    }
    schema
}

fn field_schema(field_type: &str) -> Value {
    match field_type {
        "string" | "number" | "integer" | "boolean" | "object" | "array" | "null" => {
            json!({"type": field_type})
        }
        _ => json!({}),
    }
}

/// The example's `data` (or the example itself when it is not a whole CloudEvent).
pub fn example_data(event_type: &EventType) -> Option<Value> {
    let example = event_type.example.as_ref()?;
    Some(match example.get("specversion") {
        Some(_) => example.get("data").cloned().unwrap_or(Value::Null),
        None => example
            .get("data")
            .cloned()
            .unwrap_or_else(|| example.clone()),
    })
}
