//! CloudEvents 1.0.2: the envelope, its validation, the JSON event format (in and out), the
//! project's tracing convention (`correlationid`, `causationid`) and the EventBridge bridge.
//!
//! Owns what a CloudEvent is and how it is written as JSON. It must never accept an event
//! the spec's MUSTs forbid (SHOULDs, such as names of at most 20 characters, are not
//! problems), and never read a clock or make up ids.
//!
//! Tracing convention: every event of one business flow carries the same `correlationid`;
//! an event caused by another carries the cause's `id` as `causationid`
//! ([`CloudEvent::caused_by`] sets both). These come from the CloudEvents correlation
//! extension (added to the spec after 1.0.2); as extensions they are valid 1.0.2.

mod bridge;
mod syntax;
mod validate;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

pub use bridge::{to_eventbridge, BusEnvelope};
pub use validate::{validate_json, Problem, CONTEXT_ATTRIBUTES};

/// The extension naming the business transaction an event belongs to.
pub const CORRELATION_ID: &str = "correlationid";
/// The extension naming the event (by `id`) that directly caused this one.
pub const CAUSATION_ID: &str = "causationid";

/// A valid CloudEvent. Unset optional attributes are `None`; extensions hold Strings,
/// Booleans or Integers as JSON values.
#[derive(Debug, Clone, PartialEq)]
pub struct CloudEvent {
    pub specversion: String,
    pub id: String,
    pub source: String,
    pub event_type: String,
    pub datacontenttype: Option<String>,
    pub dataschema: Option<String>,
    pub subject: Option<String>,
    pub time: Option<String>,
    /// `data`: a JSON value when the content type is JSON (or absent), else a JSON string.
    pub data: Option<Value>,
    /// `data_base64`: binary data as base64 text; never together with `data`.
    pub data_base64: Option<String>,
    pub extensions: BTreeMap<String, Value>,
}

fn text(object: &Map<String, Value>, name: &str) -> Option<String> {
    object.get(name).and_then(Value::as_str).map(str::to_string)
}

impl CloudEvent {
    /// A minimal event: specversion 1.0 and the three other required attributes.
    pub fn new(id: &str, source: &str, event_type: &str) -> CloudEvent {
        CloudEvent {
            specversion: "1.0".to_string(),
            id: id.to_string(),
            source: source.to_string(),
            event_type: event_type.to_string(),
            datacontenttype: None,
            dataschema: None,
            subject: None,
            time: None,
            data: None,
            data_base64: None,
            extensions: BTreeMap::new(),
        }
    }

    /// Reads the JSON event format; any problem refuses the event with all its problems.
    pub fn from_json(value: &Value) -> Result<CloudEvent, Vec<Problem>> {
        let problems = validate_json(value);
        let Value::Object(object) = value else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let extensions = object
            .iter()
            .filter(|(name, value)| {
                !value.is_null()
                    && !CONTEXT_ATTRIBUTES.contains(&name.as_str())
                    && name.as_str() != "data"
                    && name.as_str() != "data_base64"
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        Ok(CloudEvent {
            specversion: text(object, "specversion").unwrap_or_default(),
            id: text(object, "id").unwrap_or_default(),
            source: text(object, "source").unwrap_or_default(),
            event_type: text(object, "type").unwrap_or_default(),
            datacontenttype: text(object, "datacontenttype"),
            dataschema: text(object, "dataschema"),
            subject: text(object, "subject"),
            time: text(object, "time"),
            data: object.get("data").filter(|data| !data.is_null()).cloned(),
            data_base64: text(object, "data_base64"),
            extensions,
        })
    }

    /// Reads JSON text (`application/cloudevents+json`).
    pub fn parse(text: &str) -> Result<CloudEvent, Vec<Problem>> {
        let value: Value = serde_json::from_str(text).map_err(|error| {
            vec![Problem {
                attribute: "event".to_string(),
                reason: format!("is not valid JSON: {error}"),
            }]
        })?;
        CloudEvent::from_json(&value)
    }

    /// The JSON event format: attributes as top-level members, unset ones left out.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        let mut put = |name: &str, value: Option<&String>| {
            if let Some(value) = value {
                object.insert(name.to_string(), Value::String(value.clone()));
            }
        };
        put("specversion", Some(&self.specversion));
        put("id", Some(&self.id));
        put("source", Some(&self.source));
        put("type", Some(&self.event_type));
        put("datacontenttype", self.datacontenttype.as_ref());
        put("dataschema", self.dataschema.as_ref());
        put("subject", self.subject.as_ref());
        put("time", self.time.as_ref());
        put("data_base64", self.data_base64.as_ref());
        for (name, value) in &self.extensions {
            object.insert(name.clone(), value.clone());
        }
        if let Some(data) = &self.data {
            object.insert("data".to_string(), data.clone());
        }
        Value::Object(object)
    }

    /// The problems of this event (none for one built by `from_json`; fields set by hand
    /// may introduce some).
    pub fn validate(&self) -> Vec<Problem> {
        validate_json(&self.to_json())
    }

    fn extension_text(&self, name: &str) -> Option<&str> {
        self.extensions.get(name).and_then(Value::as_str)
    }

    /// The business transaction this event belongs to.
    pub fn correlation_id(&self) -> Option<&str> {
        self.extension_text(CORRELATION_ID)
    }

    /// The `id` of the event that directly caused this one.
    pub fn causation_id(&self) -> Option<&str> {
        self.extension_text(CAUSATION_ID)
    }

    pub fn set_correlation_id(&mut self, correlation_id: &str) {
        self.extensions.insert(
            CORRELATION_ID.to_string(),
            Value::String(correlation_id.to_string()),
        );
    }

    pub fn set_causation_id(&mut self, causation_id: &str) {
        self.extensions.insert(
            CAUSATION_ID.to_string(),
            Value::String(causation_id.to_string()),
        );
    }

    /// A new event caused by this one: same correlation (this event's id when it has none),
    /// and this event's id as causation.
    pub fn caused_by(&self, id: &str, source: &str, event_type: &str) -> CloudEvent {
        let mut child = CloudEvent::new(id, source, event_type);
        child.set_correlation_id(self.correlation_id().unwrap_or(&self.id));
        child.set_causation_id(&self.id);
        child
    }
}
