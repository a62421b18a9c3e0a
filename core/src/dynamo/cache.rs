//! The parsed expressions of recent requests, so a request whose expressions, names and values
//! are exactly those of an earlier one is not parsed and validated again. A simulated handler
//! sends the same UpdateExpression with the same placeholders over and over; parsing it was a
//! fifth of what its UpdateItem cost.
//!
//! Parsing is a pure function of the expression texts, the names and the values (and of which
//! fields the operation reads), so a hit answers exactly what a parse would. Only successful
//! parses are kept; a request that fails is parsed again and fails with the same words. This
//! must never key on anything less than all of those inputs, in their order.

use std::rc::Rc;

use serde_json::{Map, Value};

use super::call::{parse_call_expressions, UpdateCall};
use super::request::{read_expressions, Expressions, Request};
use super::{ApiError, AttributeValue};

/// How many distinct requests are remembered: a design has a handful of expression shapes,
/// and a bound keeps a request stream with ever-new values from growing the cache.
const CAPACITY: usize = 32;

#[derive(Debug, Clone, PartialEq)]
struct Key {
    fields: &'static [&'static str],
    texts: Vec<Option<String>>,
    names: Option<Value>,
    values: Option<Value>,
}

/// A typed call's expression inputs: its texts, names and values, in order.
#[derive(Debug, Clone, PartialEq)]
struct PartsKey {
    update: Option<String>,
    condition: Option<String>,
    names: Vec<(String, String)>,
    values: Vec<(String, AttributeValue)>,
}

#[derive(Debug, Clone, Default)]
pub struct ExpressionCache {
    entries: Vec<(Key, Rc<Expressions>)>,
    parts: Vec<(PartsKey, Rc<Expressions>)>,
}

impl ExpressionCache {
    /// `read_expressions` of the request, from the cache when an identical request was parsed.
    pub fn read(
        &mut self,
        request: &Request,
        fields: &'static [&'static str],
    ) -> Result<Rc<Expressions>, ApiError> {
        let names = request.get("ExpressionAttributeNames");
        let values = request.get("ExpressionAttributeValues");
        let found = self.entries.iter().find(|(key, _)| {
            std::ptr::eq(key.fields, fields)
                && same(key.names.as_ref(), names)
                && same(key.values.as_ref(), values)
                && fields
                    .iter()
                    .zip(&key.texts)
                    .all(|(field, text)| same_text(text.as_deref(), request.get(field)))
        });
        if let Some((_, expressions)) = found {
            return Ok(Rc::clone(expressions));
        }
        let expressions = Rc::new(read_expressions(request, fields)?);
        if self.entries.len() < CAPACITY {
            let key = Key {
                fields,
                // Only strings reach here: any other expression field fails to parse.
                texts: fields
                    .iter()
                    .map(|f| request.get(f).and_then(Value::as_str).map(str::to_string))
                    .collect(),
                names: names.cloned(),
                values: values.cloned(),
            };
            self.entries.push((key, Rc::clone(&expressions)));
        }
        Ok(expressions)
    }
}

impl ExpressionCache {
    /// A typed UpdateItem call's expressions, from the cache when identical parts were parsed;
    /// None when the call's body must be read instead (see `call`).
    pub fn read_parts(&mut self, call: &UpdateCall<'_>) -> Option<Rc<Expressions>> {
        let found = self.parts.iter().find(|(key, _)| {
            key.update.as_deref() == call.update_expression
                && key.condition.as_deref() == call.condition_expression
                && key.names == call.names
                && key.values == call.values
        });
        if let Some((_, expressions)) = found {
            return Some(Rc::clone(expressions));
        }
        let expressions = Rc::new(parse_call_expressions(call)?);
        if self.parts.len() < CAPACITY {
            let key = PartsKey {
                update: call.update_expression.map(str::to_string),
                condition: call.condition_expression.map(str::to_string),
                names: call.names.to_vec(),
                values: call.values.to_vec(),
            };
            self.parts.push((key, Rc::clone(&expressions)));
        }
        Some(expressions)
    }
}

fn same_text(kept: Option<&str>, asked: Option<&Value>) -> bool {
    match (kept, asked) {
        (None, None) => true,
        (Some(kept), Some(Value::String(asked))) => kept == asked,
        _ => false,
    }
}

/// Equal values with object members in the same order (stricter than `Value`'s equality, which
/// ignores member order; the order decides which unused placeholder a message names).
fn same(kept: Option<&Value>, asked: Option<&Value>) -> bool {
    match (kept, asked) {
        (None, None) => true,
        (Some(kept), Some(asked)) => same_value(kept, asked),
        _ => false,
    }
}

fn same_value(kept: &Value, asked: &Value) -> bool {
    match (kept, asked) {
        (Value::Object(kept), Value::Object(asked)) => same_members(kept, asked),
        (Value::Array(kept), Value::Array(asked)) => {
            kept.len() == asked.len() && kept.iter().zip(asked).all(|(k, a)| same_value(k, a))
        }
        (kept, asked) => kept == asked,
    }
}

fn same_members(kept: &Map<String, Value>, asked: &Map<String, Value>) -> bool {
    kept.len() == asked.len()
        && kept
            .iter()
            .zip(asked)
            .all(|((kept_key, kept), (asked_key, asked))| {
                kept_key == asked_key && same_value(kept, asked)
            })
}
