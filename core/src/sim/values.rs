//! Values inside handler steps: resolving `$.` references against an invocation's context, and
//! converting between plain JSON (what handlers see, as the SDK's document client gives it) and
//! DynamoDB attribute values (what tables store).

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::{Map, Number, Value};

use super::context::Context;
use crate::dynamo::{encode_base64, AttributeValue, Item, Number as DecimalNumber, MAX_NESTING};

/// A JSON object from owned entries, in the given order. Unlike `json!`, which copies each
/// embedded `Value` through its serializer, this moves them: the simulator builds events and
/// requests on its hot path.
pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

/// The member names of objects the simulator builds for every event (envelopes, CloudEvents),
/// hashed once: an object of the shape is a copy of a template whose names and hash table are
/// already in place, its values filled in order. Building each with fresh names rehashed every
/// name of every event. An object built so is equal, member for member and in order, to
/// `object` of the same entries.
pub struct Shape {
    names: &'static [&'static str],
    template: OnceLock<Map<String, Value>>,
}

impl Shape {
    pub const fn new(names: &'static [&'static str]) -> Shape {
        Shape {
            names,
            template: OnceLock::new(),
        }
    }

    /// The object with these values under the shape's names, in order.
    pub fn object<const N: usize>(&self, values: [Value; N]) -> Value {
        if N != self.names.len() {
            // A call that does not fit the shape still gets its object, the slow way.
            let names = self.names.iter().map(|name| name.to_string());
            return Value::Object(names.zip(values).collect());
        }
        let template = self.template.get_or_init(|| {
            let names = self.names.iter().map(|name| name.to_string());
            names.zip(std::iter::repeat(Value::Null)).collect()
        });
        let mut members = template.clone();
        for (slot, value) in members.values_mut().zip(values) {
            *slot = value;
        }
        Value::Object(members)
    }
}

/// What `$.` references are resolved against: a handler's context, or any JSON value.
pub trait Scope {
    /// The value under a top-level name.
    fn top(&self, name: &str) -> Option<&Value>;
    /// The whole scope as JSON (a bare `$`).
    fn whole(&self) -> Value;
}

impl Scope for Value {
    fn top(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }

    fn whole(&self) -> Value {
        self.clone()
    }
}

impl Scope for Context {
    fn top(&self, name: &str) -> Option<&Value> {
        self.get(name)
    }

    fn whole(&self) -> Value {
        self.to_value()
    }
}

/// Follows a `$.` path (without the `$.`) in a scope, as `lookup` does in its JSON: the first
/// name is asked of the scope, the rest followed in the value it answers.
fn lookup_in<'a, S: Scope + ?Sized>(scope: &'a S, path: &str) -> Option<Cow<'a, Value>> {
    let first = path.split('.').next().unwrap_or_default();
    let name = first.split('[').next().unwrap_or_default();
    if name.is_empty() {
        // `$.` alone or `$.[0]`: the path starts at the whole scope.
        return lookup(&scope.whole(), path).cloned().map(Cow::Owned);
    }
    let top = scope.top(name)?;
    let rest = &path[name.len()..];
    let found = match rest.strip_prefix('.') {
        Some(after) => lookup(top, after)?,
        None if rest.is_empty() => top,
        None => lookup(top, rest)?,
    };
    Some(Cow::Borrowed(found))
}

/// Resolves every `$.` reference inside `template` against `context`. A reference to nothing
/// becomes null; `{"literal": x}` stands for `x` itself.
pub fn resolve<S: Scope + ?Sized>(template: &Value, context: &S) -> Value {
    match template {
        Value::String(text) => resolve_text(text, context),
        Value::Array(items) => Value::Array(items.iter().map(|v| resolve(v, context)).collect()),
        Value::Object(object) => {
            if object.len() == 1 {
                if let Some(literal) = object.get("literal") {
                    return literal.clone();
                }
                if let Some(Value::Array(terms)) = object.get("add") {
                    return add(terms.iter().map(|t| resolve(t, context)));
                }
            }
            Value::Object(
                object
                    .iter()
                    .map(|(k, v)| (k.clone(), resolve(v, context)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// `resolve` of a string template, read from the text itself rather than a JSON string holding
/// a copy of it (expression names are kept as text).
pub fn resolve_text<S: Scope + ?Sized>(text: &str, context: &S) -> Value {
    match text.strip_prefix("$.") {
        Some(path) => lookup_in(context, path).map_or(Value::Null, Cow::into_owned),
        None if text == "$" => context.whole(),
        None if text.contains("{$.") => Value::String(interpolate(text, context)),
        None => Value::String(text.to_string()),
    }
}

/// A string with `{$.path}` parts, each replaced by the value there (`"{$.data.pageId}#{$.data.shard}"`).
fn interpolate<S: Scope + ?Sized>(text: &str, context: &S) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{$.") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        match after.find('}') {
            Some(end) => {
                out.push_str(&key_text(
                    lookup_in(context, &after[..end])
                        .as_deref()
                        .unwrap_or(&Value::Null),
                ));
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `{"add": [a, b, ...]}`: the sum of numbers (integers stay integers); a missing value (null)
/// counts as 0, as a counter that was never written; any other non-number makes it null.
fn add(terms: impl Iterator<Item = Value>) -> Value {
    let mut integer: Option<i64> = Some(0);
    let mut float = 0.0_f64;
    for term in terms {
        let number = match term {
            Value::Number(number) => number,
            Value::Null => Number::from(0),
            _ => return Value::Null,
        };
        integer = integer
            .zip(number.as_i64())
            .and_then(|(a, b)| a.checked_add(b));
        float += number.as_f64().unwrap_or(0.0);
    }
    match integer {
        Some(sum) => Value::from(sum),
        None => Number::from_f64(float)
            .map(Value::Number)
            .unwrap_or(Value::Null),
    }
}

/// Follows a dotted path with optional `[n]` indexes (`order.items[0].sku`).
pub fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut current = value;
    for segment in path.split('.') {
        let (name, indexes) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        if !name.is_empty() {
            current = current.get(name)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let index: usize = index.trim_end_matches(']').parse().ok()?;
            current = current.get(index)?;
        }
    }
    Some(current)
}

/// Plain JSON → a DynamoDB attribute value in the wire shape (`{"S": "x"}`, `{"N": "1"}`, ...).
pub fn marshal(value: &Value) -> Value {
    let (tag, inner) = match value {
        Value::Null => ("NULL", Value::Bool(true)),
        Value::Bool(b) => ("BOOL", Value::Bool(*b)),
        Value::Number(n) => ("N", Value::String(n.to_string())),
        Value::String(s) => ("S", Value::String(s.clone())),
        Value::Array(items) => ("L", Value::Array(items.iter().map(marshal).collect())),
        Value::Object(object) => ("M", Value::Object(marshal_map(object))),
    };
    Value::Object(Map::from_iter([(tag.to_string(), inner)]))
}

/// `marshal` of a value that is no longer needed: its strings and members move into the wire
/// shape instead of being copied.
pub fn marshal_owned(value: Value) -> Value {
    let (tag, inner) = match value {
        Value::Null => ("NULL", Value::Bool(true)),
        Value::Bool(b) => ("BOOL", Value::Bool(b)),
        Value::Number(n) => ("N", Value::String(n.to_string())),
        Value::String(s) => ("S", Value::String(s)),
        Value::Array(items) => (
            "L",
            Value::Array(items.into_iter().map(marshal_owned).collect()),
        ),
        Value::Object(object) => (
            "M",
            Value::Object(
                object
                    .into_iter()
                    .map(|(k, v)| (k, marshal_owned(v)))
                    .collect(),
            ),
        ),
    };
    Value::Object(Map::from_iter([(tag.to_string(), inner)]))
}

/// Plain JSON object → a DynamoDB item or key in the wire shape.
pub fn marshal_map(object: &Map<String, Value>) -> Map<String, Value> {
    object
        .iter()
        .map(|(k, v)| (k.clone(), marshal(v)))
        .collect()
}

/// A DynamoDB attribute value in the wire shape → plain JSON (sets become arrays).
pub fn unmarshal(value: &Value) -> Value {
    let Some((tag, inner)) = value.as_object().and_then(|o| o.iter().next()) else {
        return Value::Null;
    };
    match tag.as_str() {
        "S" | "B" => inner.clone(),
        "N" => number(inner.as_str().unwrap_or("0")),
        "BOOL" => inner.clone(),
        "NULL" => Value::Null,
        "L" => Value::Array(
            inner
                .as_array()
                .map(|l| l.iter().map(unmarshal).collect())
                .unwrap_or_default(),
        ),
        "M" => inner.as_object().map(unmarshal_map).unwrap_or(Value::Null),
        "SS" | "BS" => inner.clone(),
        "NS" => Value::Array(
            inner
                .as_array()
                .map(|l| {
                    l.iter()
                        .map(|n| number(n.as_str().unwrap_or("0")))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        _ => Value::Null,
    }
}

/// A DynamoDB item in the wire shape → a plain JSON object.
pub fn unmarshal_map(object: &Map<String, Value>) -> Value {
    Value::Object(
        object
            .iter()
            .map(|(k, v)| (k.clone(), unmarshal(v)))
            .collect(),
    )
}

/// An attribute value as plain JSON: exactly `unmarshal(&value.to_wire())`, without building
/// the wire shape (a handler reads every item a table returns this way).
pub fn plain_of_attribute(value: &AttributeValue) -> Value {
    match value {
        AttributeValue::S(text) => Value::String(text.clone()),
        AttributeValue::N(number_value) => number(&number_value.to_string()),
        AttributeValue::B(bytes) => Value::String(encode_base64(bytes)),
        AttributeValue::Bool(flag) => Value::Bool(*flag),
        AttributeValue::Null => Value::Null,
        AttributeValue::M(members) => plain_of_item(members),
        AttributeValue::L(elements) => {
            Value::Array(elements.iter().map(plain_of_attribute).collect())
        }
        AttributeValue::SS(texts) => {
            Value::Array(texts.iter().cloned().map(Value::String).collect())
        }
        AttributeValue::NS(numbers) => {
            Value::Array(numbers.iter().map(|n| number(&n.to_string())).collect())
        }
        AttributeValue::BS(blobs) => Value::Array(
            blobs
                .iter()
                .map(|b| Value::String(encode_base64(b)))
                .collect(),
        ),
    }
}

/// An item as a plain JSON object: exactly `unmarshal_map(&item_to_wire(item))`.
pub fn plain_of_item(item: &Item) -> Value {
    Value::Object(
        item.iter()
            .map(|(name, value)| (name.clone(), plain_of_attribute(value)))
            .collect(),
    )
}

/// Plain JSON as an attribute value: what `AttributeValue::from_wire(&marshal(value))` reads
/// when it succeeds, None when it would refuse the value (a number beyond DynamoDB's range, or
/// nesting deeper than it stores), without building the wire shape.
pub fn attribute_of_plain(value: &Value) -> Option<AttributeValue> {
    attribute_of_plain_at(value, 0)
}

fn attribute_of_plain_at(value: &Value, depth: usize) -> Option<AttributeValue> {
    if depth > MAX_NESTING {
        return None;
    }
    Some(match value {
        Value::Null => AttributeValue::Null,
        Value::Bool(flag) => AttributeValue::Bool(*flag),
        // An integer is its own decimal (normalised, so equal to what its text parses to);
        // other numbers go through their text, as the wire shape does.
        Value::Number(number_value) => match number_value.as_i64() {
            Some(integer) => AttributeValue::N(DecimalNumber::from_i64(integer)),
            None => AttributeValue::N(DecimalNumber::parse(&number_value.to_string()).ok()?),
        },
        Value::String(text) => AttributeValue::S(text.clone()),
        Value::Array(elements) => AttributeValue::L(
            elements
                .iter()
                .map(|e| attribute_of_plain_at(e, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Value::Object(members) => {
            // Inserted one by one: a handful of members, where collecting sorted a copy first.
            let mut item = Item::new();
            for (name, member) in members {
                item.insert(name.clone(), attribute_of_plain_at(member, depth + 1)?);
            }
            AttributeValue::M(item)
        }
    })
}

/// A DynamoDB number string as a JSON number: an integer when it is one, else a float.
fn number(text: &str) -> Value {
    if let Ok(integer) = text.parse::<i64>() {
        return Value::Number(Number::from(integer));
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// `key_text` of a value that is no longer needed, its string moved rather than copied.
pub fn into_key_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => key_text(&other),
    }
}

/// A value shown as a short key text (`o-17`), for counting effects per key.
pub fn key_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // References resolve into the context, literals stay literal, and missing paths are null.
    #[test]
    fn references_resolve() {
        let context =
            json!({"data": {"orderId": "o-1", "items": [{"sku": "a"}]}, "order": {"version": 3}});
        let template = json!({"id": "$.data.orderId", "v": "$.order.version", "sku": "$.data.items[0].sku",
            "missing": "$.nope", "lit": {"literal": "$.data"}, "plain": "hello",
            "key": "{$.data.orderId}#{$.order.version}", "next": {"add": ["$.order.version", 1]}});
        assert_eq!(
            resolve(&template, &context),
            json!({"id": "o-1", "v": 3, "sku": "a", "missing": null, "lit": "$.data", "plain": "hello",
                "key": "o-1#3", "next": 4})
        );
    }

    // An object built from a shape is the object built from its entries, in the same order.
    #[test]
    fn shaped_objects_are_plain_objects() {
        static SHAPE: Shape = Shape::new(&["b", "a", "c"]);
        for round in 0..2 {
            let built = SHAPE.object([json!(round), json!("x"), json!({"k": [1]})]);
            let plain = object([
                ("b", json!(round)),
                ("a", json!("x")),
                ("c", json!({"k": [1]})),
            ]);
            assert_eq!(built.to_string(), plain.to_string());
        }
        assert_eq!(SHAPE.object([json!(1)]).to_string(), r#"{"b":1}"#);
    }

    // Plain values read as the attribute values their wire shape reads as.
    #[test]
    fn plain_values_read_as_their_wire_shape() {
        let value = json!({"z": 1, "a": [-120, 0, 9_223_372_036_854_775_807_i64, 18_446_744_073_709_551_615_u64,
            1.5, 100.0], "m": {"k": "v", "b": true, "n": null}});
        let wire = marshal(&value);
        assert_eq!(
            attribute_of_plain(&value),
            AttributeValue::from_wire(&wire).ok()
        );
    }

    // Marshalling to the wire shape and back returns the same plain JSON.
    #[test]
    fn marshal_round_trips() {
        let value = json!({"s": "x", "n": 12, "f": 1.5, "b": true, "z": null, "l": [1, "a"], "m": {"k": "v"}});
        let wire = marshal(&value);
        assert_eq!(wire["M"]["n"], json!({"N": "12"}));
        assert_eq!(unmarshal(&wire), value);
    }
}
