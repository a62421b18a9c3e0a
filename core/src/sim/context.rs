//! The context a handler's `$.` references read: for one input record, `event` (the record),
//! `cloudevent` (the CloudEvent it carries), `data` (that CloudEvent's data, or the record's
//! own), `correlationId` and `eventId`, then `invocation`, then whatever the steps saved.
//!
//! The record is shared with the invocation (and through it with the bus's envelope), and the
//! three big entries only point into it until a step saves over them: copying the whole event
//! three times for every invocation was most of what a run spent. Every read answers exactly
//! what the plain JSON object `{"event", "cloudevent", "data", ...}` would, in the same key
//! order; this module must never let a reader tell the difference.

use std::rc::Rc;

use serde_json::{json, Value};

static NULL: Value = Value::Null;

/// Where the record's CloudEvent is.
#[derive(Debug, Clone)]
enum CloudEventAt {
    None,
    /// The record is a CloudEvent itself.
    Record,
    /// The record is an EventBridge envelope whose `detail` is a CloudEvent.
    Detail,
    /// Found inside a queue message body (parsed, so owned).
    Parsed(Value),
}

/// A top-level entry whose value is still the record's (or its CloudEvent's) own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lent {
    Event,
    CloudEvent,
    Data,
}

#[derive(Debug, Clone)]
pub struct Context {
    record: Rc<Value>,
    cloud_event: CloudEventAt,
    /// Every entry in order; a lent entry holds null here and is read from the record. A
    /// context has a handful of entries, so a list searched by name beats a hashed map (every
    /// `$.` reference and every invocation's start reads or writes it).
    entries: Vec<(String, Value)>,
    lent: Vec<Lent>,
}

impl Default for Context {
    /// An empty context: no record, no entries (what a step's saves are collected in).
    fn default() -> Context {
        Context {
            record: Rc::new(Value::Null),
            cloud_event: CloudEventAt::None,
            entries: Vec::new(),
            lent: Vec::new(),
        }
    }
}

impl Context {
    /// The context for one input record. Without a CloudEvent, `data` is a queue message's
    /// parsed body, or the record itself.
    pub fn for_record(record: Rc<Value>) -> Context {
        let cloud_event = find_cloud_event(&record);
        let mut lent = vec![Lent::Event];
        let mut entries = Vec::with_capacity(8);
        entries.push(("event".to_string(), Value::Null));
        entries.push(("cloudevent".to_string(), Value::Null));
        if !matches!(cloud_event, CloudEventAt::None) {
            lent.push(Lent::CloudEvent);
        }
        let data = match (&cloud_event, record.get("body")) {
            (CloudEventAt::None, Some(Value::String(text)))
                if record.get("eventSource") == Some(&json!("aws:sqs")) =>
            {
                Some(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())))
            }
            _ => None,
        };
        match data {
            Some(parsed) => entries.push(("data".to_string(), parsed)),
            None => {
                entries.push(("data".to_string(), Value::Null));
                lent.push(Lent::Data);
            }
        }
        let mut context = Context {
            record,
            cloud_event,
            entries,
            lent,
        };
        let found = context.cloud_event();
        let correlation = found
            .and_then(|c| c.get("correlationid"))
            .cloned()
            .unwrap_or(Value::Null);
        let event_id = found
            .and_then(|c| c.get("id"))
            .cloned()
            .unwrap_or(Value::Null);
        context
            .entries
            .push(("correlationId".to_string(), correlation));
        context.entries.push(("eventId".to_string(), event_id));
        context
    }

    fn cloud_event(&self) -> Option<&Value> {
        match &self.cloud_event {
            CloudEventAt::None => None,
            CloudEventAt::Record => Some(&self.record),
            CloudEventAt::Detail => self.record.get("detail"),
            CloudEventAt::Parsed(value) => Some(value),
        }
    }

    fn lent_value(&self, lent: Lent) -> &Value {
        match lent {
            Lent::Event => &self.record,
            Lent::CloudEvent => self.cloud_event().unwrap_or(&NULL),
            Lent::Data => match self.cloud_event() {
                Some(cloud_event) => cloud_event.get("data").unwrap_or(&NULL),
                None => &self.record,
            },
        }
    }

    fn lent_entry(name: &str) -> Option<Lent> {
        match name {
            "event" => Some(Lent::Event),
            "cloudevent" => Some(Lent::CloudEvent),
            "data" => Some(Lent::Data),
            _ => None,
        }
    }

    /// A top-level entry, as the plain object would answer `get(name)`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let value = self.slot(name)?;
        match Context::lent_entry(name).filter(|l| self.lent.contains(l)) {
            Some(lent) => Some(self.lent_value(lent)),
            None => Some(value),
        }
    }

    /// Saves a value under a top-level name, where the plain object's `context[name] = value`
    /// would put it (in place when the name is there, else last).
    pub fn save(&mut self, name: &str, value: Value) {
        if let Some(lent) = Context::lent_entry(name) {
            self.lent.retain(|l| *l != lent);
        }
        match self.entries.iter_mut().find(|(entry, _)| entry == name) {
            Some((_, slot)) => *slot = value,
            None => self.entries.push((name.to_string(), value)),
        }
    }

    /// The value stored under a name (null for a lent entry).
    fn slot(&self, name: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(entry, _)| entry == name)
            .map(|(_, value)| value)
    }

    /// Every entry in order, as the plain object would iterate them.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries
            .iter()
            .filter_map(|(name, _)| self.get(name).map(|value| (name.as_str(), value)))
    }

    /// Moves another context's entries in, as saves in their order (a step's collected saves).
    pub fn absorb(&mut self, saved: Context) {
        for (name, value) in saved.entries {
            self.save(&name, value);
        }
    }

    /// The whole context as the plain JSON object (for a `$` reference).
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.entries()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
        )
    }
}

/// Where a record's CloudEvent is: the record itself, its EventBridge `detail`, or inside a
/// queue message body (a string parsed as JSON, or an object).
fn find_cloud_event(record: &Value) -> CloudEventAt {
    if is_cloud_event(record) {
        return CloudEventAt::Record;
    }
    if record.get("detail").is_some_and(is_cloud_event) {
        return CloudEventAt::Detail;
    }
    match record.get("body") {
        Some(body) => match nested_cloud_event(body) {
            Some(found) => CloudEventAt::Parsed(found),
            None => CloudEventAt::None,
        },
        None => CloudEventAt::None,
    }
}

fn is_cloud_event(value: &Value) -> bool {
    value.get("specversion").is_some() && value.get("type").is_some()
}

/// A CloudEvent inside a message body, found the way a record's own is, at any depth of
/// bodies.
fn nested_cloud_event(body: &Value) -> Option<Value> {
    let parsed: Value = match body {
        Value::String(text) => serde_json::from_str(text).ok()?,
        other => other.clone(),
    };
    if is_cloud_event(&parsed) {
        return Some(parsed);
    }
    if let Some(detail) = parsed.get("detail").filter(|d| is_cloud_event(d)) {
        return Some(detail.clone());
    }
    nested_cloud_event(parsed.get("body")?)
}

/// Builds a plain JSON object from entries, for tests comparing against the plain context.
#[cfg(test)]
fn plain(entries: Vec<(&str, Value)>) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(record: Value, saves: Vec<(&str, Value)>, expected: Value) {
        let mut context = Context::for_record(Rc::new(record));
        for (name, value) in saves {
            context.save(name, value);
        }
        assert_eq!(context.to_value(), expected);
        let Value::Object(expected) = expected else {
            panic!("an object")
        };
        for (name, value) in &expected {
            assert_eq!(context.get(name), Some(value), "{name}");
        }
        assert_eq!(context.get("missing"), None);
    }

    // An EventBridge envelope lends its CloudEvent and data; saving over an entry keeps its
    // place, a new name goes last.
    #[test]
    fn envelope_entries_read_as_the_plain_object() {
        let cloud_event = json!({"specversion": "1.0", "type": "t", "id": "e-1",
            "correlationid": "c-1", "data": {"photoId": "p-1"}});
        let envelope = json!({"detail-type": "t", "detail": cloud_event});
        check(
            envelope.clone(),
            vec![("data", json!(1)), ("photo", json!({"received": 3}))],
            plain(vec![
                ("event", envelope),
                ("cloudevent", cloud_event),
                ("data", json!(1)),
                ("correlationId", json!("c-1")),
                ("eventId", json!("e-1")),
                ("photo", json!({"received": 3})),
            ]),
        );
    }

    // A queue message's body is parsed: its CloudEvent is found inside, or the body is data.
    #[test]
    fn queue_bodies_read_as_the_plain_object() {
        let inner = json!({"specversion": "1.0", "type": "t", "id": "e-2", "data": [1]});
        let message = json!({"body": inner.to_string(), "eventSource": "aws:sqs"});
        check(
            message.clone(),
            vec![],
            plain(vec![
                ("event", message),
                ("cloudevent", inner),
                ("data", json!([1])),
                ("correlationId", Value::Null),
                ("eventId", json!("e-2")),
            ]),
        );
        let bare = json!({"body": "{\"n\": 2}", "eventSource": "aws:sqs"});
        check(
            bare.clone(),
            vec![("event", json!("x"))],
            plain(vec![
                ("event", json!("x")),
                ("cloudevent", Value::Null),
                ("data", json!({"n": 2})),
                ("correlationId", Value::Null),
                ("eventId", Value::Null),
            ]),
        );
    }

    // A record with no CloudEvent at all is its own data.
    #[test]
    fn plain_records_are_their_own_data() {
        let record = json!({"orderId": "o-1"});
        check(
            record.clone(),
            vec![],
            plain(vec![
                ("event", record.clone()),
                ("cloudevent", Value::Null),
                ("data", record),
                ("correlationId", Value::Null),
                ("eventId", Value::Null),
            ]),
        );
    }
}
