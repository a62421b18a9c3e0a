//! The context a handler's `$.` references read: for one input record, `event` (the record),
//! `cloudevent` (the CloudEvent it carries), `data` (that CloudEvent's data, or the record's
//! own), `correlationId` and `eventId`, then `invocation`, then whatever the steps saved.
//!
//! The record is shared with the invocation (and through it with the bus's envelope), and the
//! three big entries and the two ids only point into it until a step saves over them: copying
//! the whole event three times for every invocation was most of what a run spent. The
//! invocation's facts are written as JSON only when read, which few handlers do. Every read answers exactly
//! what the plain JSON object `{"event", "cloudevent", "data", ...}` would, in the same key
//! order; this module must never let a reader tell the difference.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;

use serde_json::Value;

use super::values::object;

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

/// A top-level entry whose value is still lent: the record's (or its CloudEvent's) own, or
/// the invocation's facts, written as JSON only when a step reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lent {
    Event,
    CloudEvent,
    Data,
    CorrelationId,
    EventId,
    Invocation,
}

impl Lent {
    fn named(name: &str) -> Option<Lent> {
        match name {
            "event" => Some(Lent::Event),
            "cloudevent" => Some(Lent::CloudEvent),
            "data" => Some(Lent::Data),
            "correlationId" => Some(Lent::CorrelationId),
            "eventId" => Some(Lent::EventId),
            "invocation" => Some(Lent::Invocation),
            _ => None,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// `$.invocation`: its id (like the Lambda request id), its attempt, and the virtual time it
/// started at, the values a handler can use that differ between attempts.
#[derive(Debug, Clone)]
struct InvocationFacts {
    id: String,
    attempt: u32,
    started_ms: u64,
    /// The facts as JSON, written the first time a step reads them (most never do).
    written: OnceCell<Value>,
}

#[derive(Debug, Clone)]
pub struct Context {
    record: Rc<Value>,
    cloud_event: CloudEventAt,
    /// Every entry in order; a lent entry holds null here and is read from where it is lent
    /// from. A context has a handful of entries, so a list searched by name beats a hashed map
    /// (every `$.` reference and every invocation's start reads or writes it); the names every
    /// context has are not allocated.
    entries: Vec<(Cow<'static, str>, Value)>,
    /// The lent entries, one bit each.
    lent: u8,
    invocation: Option<InvocationFacts>,
}

impl Default for Context {
    /// An empty context: no record, no entries (what a step's saves are collected in).
    fn default() -> Context {
        Context {
            record: Rc::new(Value::Null),
            cloud_event: CloudEventAt::None,
            entries: Vec::new(),
            lent: 0,
            invocation: None,
        }
    }
}

impl Context {
    /// The context for one input record. Without a CloudEvent, `data` is a queue message's
    /// parsed body, or the record itself.
    pub fn for_record(record: Rc<Value>) -> Context {
        let cloud_event = find_cloud_event(&record);
        let mut lent = Lent::Event.bit() | Lent::CorrelationId.bit() | Lent::EventId.bit();
        if !matches!(cloud_event, CloudEventAt::None) {
            lent |= Lent::CloudEvent.bit();
        }
        // Only a record without a CloudEvent can have its body as its data.
        let body = match cloud_event {
            CloudEventAt::None => record.get("body"),
            _ => None,
        };
        let data = match body {
            Some(Value::String(text))
                if record.get("eventSource").and_then(Value::as_str) == Some("aws:sqs") =>
            {
                Some(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())))
            }
            _ => None,
        };
        let data = data.unwrap_or_else(|| {
            lent |= Lent::Data.bit();
            Value::Null
        });
        let mut entries = Vec::with_capacity(8);
        entries.push((Cow::Borrowed("event"), Value::Null));
        entries.push((Cow::Borrowed("cloudevent"), Value::Null));
        entries.push((Cow::Borrowed("data"), data));
        entries.push((Cow::Borrowed("correlationId"), Value::Null));
        entries.push((Cow::Borrowed("eventId"), Value::Null));
        Context {
            record,
            cloud_event,
            entries,
            lent,
            invocation: None,
        }
    }

    /// Lends `$.invocation` (saved last, as a save of its JSON would be): the facts are kept
    /// and only written as JSON when a step reads them.
    pub fn lend_invocation(&mut self, id: &str, attempt: u32, started_ms: u64) {
        match self
            .entries
            .iter_mut()
            .find(|(entry, _)| entry == "invocation")
        {
            Some((_, slot)) => *slot = Value::Null,
            None => self
                .entries
                .push((Cow::Borrowed("invocation"), Value::Null)),
        }
        self.lent |= Lent::Invocation.bit();
        self.invocation = Some(InvocationFacts {
            id: id.to_string(),
            attempt,
            started_ms,
            written: OnceCell::new(),
        });
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
        let member = |name: &str| {
            self.cloud_event()
                .and_then(|c| c.get(name))
                .unwrap_or(&NULL)
        };
        match lent {
            Lent::Event => &self.record,
            Lent::CloudEvent => self.cloud_event().unwrap_or(&NULL),
            Lent::Data => match self.cloud_event() {
                Some(cloud_event) => cloud_event.get("data").unwrap_or(&NULL),
                None => &self.record,
            },
            Lent::CorrelationId => member("correlationid"),
            Lent::EventId => member("id"),
            Lent::Invocation => match &self.invocation {
                Some(facts) => facts.written.get_or_init(|| {
                    object([
                        ("id", Value::String(facts.id.clone())),
                        ("attempt", Value::from(facts.attempt)),
                        ("startedMs", Value::from(facts.started_ms)),
                    ])
                }),
                None => &NULL,
            },
        }
    }

    /// A top-level entry, as the plain object would answer `get(name)`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let value = self.slot(name)?;
        match Lent::named(name).filter(|l| self.lent & l.bit() != 0) {
            Some(lent) => Some(self.lent_value(lent)),
            None => Some(value),
        }
    }

    /// Saves a value under a top-level name, where the plain object's `context[name] = value`
    /// would put it (in place when the name is there, else last).
    pub fn save(&mut self, name: &str, value: Value) {
        if let Some(lent) = Lent::named(name) {
            self.lent &= !lent.bit();
        }
        match self.entries.iter_mut().find(|(entry, _)| entry == name) {
            Some((_, slot)) => *slot = value,
            None => self.entries.push((Cow::Owned(name.to_string()), value)),
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
            .filter_map(|(name, _)| self.get(name).map(|value| (name.as_ref(), value)))
    }

    /// The entries whose names `keep` keeps, in order; the others are not read (a lent entry
    /// is written as JSON only when read).
    pub fn entries_named<'s>(
        &'s self,
        mut keep: impl FnMut(&str) -> bool + 's,
    ) -> impl Iterator<Item = (&'s str, &'s Value)> {
        self.entries
            .iter()
            .filter(move |(name, _)| keep(name))
            .filter_map(|(name, _)| self.get(name).map(|value| (name.as_ref(), value)))
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
    use serde_json::json;

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

    // The invocation's facts read as the object a save of them would hold, last, until a step
    // saves over them in place.
    #[test]
    fn lent_invocation_reads_as_saved() {
        let record = json!({"specversion": "1.0", "type": "t", "id": "e-3", "data": {}});
        let facts = json!({"id": "inv-1", "attempt": 2, "startedMs": 40});
        let mut context = Context::for_record(Rc::new(record.clone()));
        context.lend_invocation("inv-1", 2, 40);
        context.save("photo", json!(1));
        let mut expected = plain(vec![
            ("event", record.clone()),
            ("cloudevent", record.clone()),
            ("data", json!({})),
            ("correlationId", Value::Null),
            ("eventId", json!("e-3")),
            ("invocation", facts.clone()),
            ("photo", json!(1)),
        ]);
        assert_eq!(context.to_value(), expected);
        assert_eq!(context.get("invocation"), Some(&facts));
        context.save("invocation", json!("mine"));
        expected["invocation"] = json!("mine");
        assert_eq!(context.to_value(), expected);
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
