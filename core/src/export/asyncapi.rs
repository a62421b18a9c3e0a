//! `asyncapi`: an AsyncAPI 3.0 document of the whole design (`asyncapi.json`): a channel per
//! bus and event type, a message per event type (a CloudEvent whose `data` follows the type's
//! schema), and per service the operations it performs: `send` where its functions emit the
//! type (or its producers and pipes publish it), `receive` where its functions are targets of
//! rules that match it.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::design::{Design, NodeKind, Step};
use crate::lint::wiring_for_export as wiring;

use super::names::key;
use super::schemas::{data_schema, example_data};
use super::{json_text, ExportFile};

/// One channel: an event type on a bus, with who sends and who receives it.
struct Channel {
    bus: String,
    event_type: String,
    senders: BTreeSet<String>,
    receivers: BTreeSet<String>,
}

pub fn export(design: &Design) -> Vec<ExportFile> {
    let channels = channels(design);
    let mut channel_map = Map::new();
    let mut operations = Map::new();
    let mut messages = Map::new();
    for event_type in &design.event_types {
        let mut message = json!({
            "name": event_type.type_name,
            "title": event_type.type_name,
            "summary": format!("A {} CloudEvent from {}.", event_type.type_name, event_type.source),
            "contentType": "application/cloudevents+json",
            "payload": cloud_event_schema(design, &event_type.type_name),
        });
        if let Some(example) = example_data(event_type) {
            message["examples"] = json!([{"payload": {"specversion": "1.0", "id": "example",
                "source": format!("/{}", event_type.source), "type": event_type.type_name, "data": example}}]);
        }
        messages.insert(key(&event_type.type_name), message);
    }
    for channel in &channels {
        let channel_key = key(&format!("{}.{}", channel.bus, channel.event_type));
        let message_key = key(&channel.event_type);
        let mut channel_messages = Map::new();
        channel_messages.insert(
            message_key.clone(),
            json!({"$ref": format!("#/components/messages/{message_key}")}),
        );
        channel_map.insert(
            channel_key.clone(),
            json!({
                "address": channel.bus,
                "title": format!("{} on {}", channel.event_type, channel.bus),
                "description": format!("EventBridge bus {} carrying {} (detail-type).", channel.bus, channel.event_type),
                "messages": channel_messages,
            }),
        );
        for (action, services) in [("send", &channel.senders), ("receive", &channel.receivers)] {
            for service in services {
                operations.insert(
                    key(&format!("{service}.{action}.{channel_key}")),
                    json!({
                        "action": action,
                        "title": format!("{service} {action}s {}", channel.event_type),
                        "channel": {"$ref": format!("#/channels/{channel_key}")},
                        "messages": [{"$ref": format!("#/channels/{channel_key}/messages/{message_key}")}],
                    }),
                );
            }
        }
    }
    let title = if design.name.is_empty() {
        "EventLab design"
    } else {
        design.name.as_str()
    };
    let mut info = json!({"title": title, "version": "1.0.0"});
    if !design.description.is_empty() {
        info["description"] = json!(design.description);
    }
    let document = json!({
        "asyncapi": "3.0.0",
        "info": info,
        "defaultContentType": "application/cloudevents+json",
        "channels": channel_map,
        "operations": operations,
        "components": {"messages": messages},
    });
    vec![ExportFile {
        path: "asyncapi.json".to_string(),
        text: json_text(&document),
    }]
}

/// A CloudEvent whose `data` follows the event type's schema.
fn cloud_event_schema(design: &Design, type_name: &str) -> Value {
    let data = design
        .event_types
        .iter()
        .find(|t| t.type_name == type_name)
        .map(|t| data_schema(t, false))
        .unwrap_or_else(|| json!({}));
    json!({
        "type": "object",
        "required": ["specversion", "id", "source", "type"],
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1},
            "type": {"type": "string", "const": type_name},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"type": "string"},
            "correlationid": {"type": "string"},
            "causationid": {"type": "string"},
            "data": data,
        },
    })
}

/// Every (bus, event type) the design publishes, in document order.
fn channels(design: &Design) -> Vec<Channel> {
    let mut channels: Vec<Channel> = Vec::new();
    let mut add = |bus: &str, event_type: &str, sender: Option<&str>| {
        let index = match channels
            .iter()
            .position(|c| c.bus == bus && c.event_type == event_type)
        {
            Some(index) => index,
            None => {
                channels.push(Channel {
                    bus: bus.to_string(),
                    event_type: event_type.to_string(),
                    senders: BTreeSet::new(),
                    receivers: BTreeSet::new(),
                });
                channels.len() - 1
            }
        };
        if let (Some(sender), Some(channel)) = (sender, channels.get_mut(index)) {
            channel.senders.insert(sender.to_string());
        }
    };
    for node in &design.nodes {
        let owner = node.service.as_deref().unwrap_or(node.id.as_str());
        match &node.kind {
            NodeKind::Producer(producer) => add(&producer.bus, &producer.event_type, Some(owner)),
            NodeKind::Function(function) => {
                for (bus, event_type) in emits(&function.steps) {
                    add(&bus, &event_type, Some(owner));
                }
            }
            _ => {}
        }
    }
    // A pipe relays events written to its source (the outbox): each declared type that no
    // function emits directly is sent through the pipe's bus.
    for node in &design.nodes {
        let NodeKind::Pipe(pipe) = &node.kind else {
            continue;
        };
        let owner = node.service.as_deref().unwrap_or(node.id.as_str());
        for event_type in &design.event_types {
            if outbox_writes(design, &pipe.source, &event_type.type_name) {
                add(&pipe.target, &event_type.type_name, Some(owner));
            }
        }
    }
    for channel in &mut channels {
        let sample = wiring::sample_event(design, &channel.event_type, json!({}));
        for function in wiring::functions_reached(design, &channel.bus, &sample) {
            let service = design
                .nodes
                .iter()
                .find(|n| n.id == function)
                .and_then(|n| n.service.clone())
                .unwrap_or(function);
            channel.receivers.insert(service);
        }
    }
    channels
}

fn emits(steps: &[Step]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for step in steps {
        match step {
            Step::Emit(emit) => out.push((emit.bus.clone(), emit.event_type.clone())),
            Step::If(decision) => {
                out.extend(emits(&decision.then));
                out.extend(emits(&decision.otherwise));
            }
            _ => {}
        }
    }
    out
}

/// Whether some function writes an item to `table` holding a CloudEvent of `type_name`.
fn outbox_writes(design: &Design, table: &str, type_name: &str) -> bool {
    let text = format!(
        "\"type\":{}",
        serde_json::to_string(type_name).unwrap_or_default()
    );
    design.nodes.iter().any(|node| match &node.kind {
        NodeKind::Function(function) => {
            let steps = serde_json::to_string(&function.steps).unwrap_or_default();
            steps.contains(&format!(
                "\"table\":{}",
                serde_json::to_string(table).unwrap_or_default()
            )) && steps.contains(&text)
        }
        _ => false,
    })
}
