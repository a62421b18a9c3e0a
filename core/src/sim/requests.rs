//! Table requests from handler steps: the DynamoDB API request bodies a step's fields make
//! (keys, items, expressions with their names and values resolved from the context), and the
//! `if` step's condition evaluated over the context with the tables' own condition engine.

use serde_json::{json, Map, Value};

use std::rc::Rc;

use super::context::Context;
use super::values::{attribute_of_plain, into_key_text, marshal_owned, resolve, resolve_text};
use crate::design::conditions::{literal_value, parse_if_condition};
use crate::design::{Expressions, IfStep, TransactItem, WriteStep};
use crate::dynamo::{evaluate, AttributeValue, Condition, Item};

pub(super) fn key_of(template: &Value, context: &Context) -> Value {
    Value::Object(
        resolved_members(template, context)
            .into_iter()
            .map(|(name, member)| (name, marshal_owned(member)))
            .collect(),
    )
}

/// The plain members a key or item template resolves to, in order: a plain object template
/// member by member (no resolved copy of the whole object is built), anything else resolved
/// whole, and nothing when that is not an object.
fn resolved_members(template: &Value, context: &Context) -> Vec<(String, Value)> {
    match template {
        Value::Object(members)
            if !(members.len() == 1
                && (members.contains_key("literal") || members.contains_key("add"))) =>
        {
            members
                .iter()
                .map(|(name, member)| (name.clone(), resolve(member, context)))
                .collect()
        }
        _ => match resolve(template, context) {
            Value::Object(object) => object.into_iter().collect(),
            _ => Vec::new(),
        },
    }
}

/// An update step's key, expression names and values resolved from the context, as plain
/// values: the tables answer the typed call they make directly, and the request body
/// `write_request` would write is only built when the trace keeps it or the call is declined.
pub(super) struct ResolvedUpdate {
    key: Vec<(String, Value)>,
    pub names: Vec<(String, String)>,
    values: Vec<(String, Value)>,
}

impl ResolvedUpdate {
    pub fn new(step: &WriteStep, context: &Context) -> ResolvedUpdate {
        ResolvedUpdate {
            key: step
                .key
                .as_ref()
                .map(|template| resolved_members(template, context))
                .unwrap_or_default(),
            names: expression_names(&step.expressions, context),
            values: step
                .expressions
                .values
                .iter()
                .map(|(key, template)| (key.clone(), resolve(template, context)))
                .collect(),
        }
    }

    /// The key as the tables read it from the body, or None when they would refuse a member.
    pub fn typed_key(&self) -> Option<Item> {
        let mut key = Item::new();
        for (name, member) in &self.key {
            key.insert(name.clone(), attribute_of_plain(member)?);
        }
        Some(key)
    }

    /// The values as the tables read them from the body, or None when they would refuse one.
    pub fn typed_values(&self) -> Option<Vec<(String, AttributeValue)>> {
        self.values
            .iter()
            .map(|(key, value)| Some((key.clone(), attribute_of_plain(value)?)))
            .collect()
    }

    /// The UpdateItem request body: `write_request(step, "update", _)` with ReturnValues ALL_NEW.
    pub fn into_body(self, step: &WriteStep) -> Value {
        let mut request = Map::new();
        request.insert("TableName".to_string(), Value::String(step.table.clone()));
        let key = self
            .key
            .into_iter()
            .map(|(name, member)| (name, marshal_owned(member)))
            .collect();
        request.insert("Key".to_string(), Value::Object(key));
        if let Some(update) = &step.update {
            let update = Value::String(update.clone());
            request.insert("UpdateExpression".to_string(), update);
        }
        if let Some(condition) = &step.condition {
            let condition = Value::String(condition.clone());
            request.insert("ConditionExpression".to_string(), condition);
        }
        if !self.names.is_empty() {
            let names = self
                .names
                .into_iter()
                .map(|(key, name)| (key, Value::String(name)))
                .collect();
            request.insert("ExpressionAttributeNames".to_string(), Value::Object(names));
        }
        if !self.values.is_empty() {
            let values = self
                .values
                .into_iter()
                .map(|(key, value)| (key, marshal_owned(value)))
                .collect();
            request.insert(
                "ExpressionAttributeValues".to_string(),
                Value::Object(values),
            );
        }
        request.insert("ReturnValues".to_string(), json!("ALL_NEW"));
        Value::Object(request)
    }
}

/// Expression names resolved (a name may itself be a reference: `"#part": "$.cloudevent.source"`).
fn expression_names(expressions: &Expressions, context: &Context) -> Vec<(String, String)> {
    expressions
        .names
        .iter()
        .map(|(key, name)| (key.clone(), into_key_text(resolve_text(name, context))))
        .collect()
}

pub(super) fn add_expressions(request: &mut Value, expressions: &Expressions, context: &Context) {
    if !expressions.names.is_empty() {
        let names: Map<String, Value> = expression_names(expressions, context)
            .into_iter()
            .map(|(key, name)| (key, Value::String(name)))
            .collect();
        request["ExpressionAttributeNames"] = Value::Object(names);
    }
    if !expressions.values.is_empty() {
        let values: Map<String, Value> = expressions
            .values
            .iter()
            .map(|(k, v)| (k.clone(), marshal_owned(resolve(v, context))))
            .collect();
        request["ExpressionAttributeValues"] = Value::Object(values);
    }
}

pub(super) fn write_request(step: &WriteStep, kind: &str, context: &Context) -> Value {
    let mut request = Map::new();
    request.insert("TableName".to_string(), Value::String(step.table.clone()));
    let (field, template) = if kind == "put" {
        ("Item", &step.item)
    } else {
        ("Key", &step.key)
    };
    let attributes = template
        .as_ref()
        .map(|t| key_of(t, context))
        .unwrap_or(json!({}));
    request.insert(field.to_string(), attributes);
    if let Some(update) = &step.update {
        request.insert(
            "UpdateExpression".to_string(),
            Value::String(update.clone()),
        );
    }
    if let Some(condition) = &step.condition {
        request.insert(
            "ConditionExpression".to_string(),
            Value::String(condition.clone()),
        );
    }
    let mut request = Value::Object(request);
    add_expressions(&mut request, &step.expressions, context);
    request
}

pub(super) fn transact_entry(item: &TransactItem, context: &Context) -> Value {
    let (name, step, kind) = match item {
        TransactItem::Put(s) => ("Put", s, "put"),
        TransactItem::Update(s) => ("Update", s, "update"),
        TransactItem::Delete(s) => ("Delete", s, "delete"),
        TransactItem::ConditionCheck(s) => ("ConditionCheck", s, "check"),
    };
    json!({ name: write_request(step, kind, context) })
}

/// The `if` conditions a run has parsed, by step and the values their placeholders took: a
/// condition is a pure function of its text, its names and those values, and handlers decide
/// the same `if` with the same values over and over (parsing it was most of what it cost).
/// Refused conditions are kept too, with DynamoDB's words.
#[derive(Debug, Default)]
pub(super) struct ParsedConditions<'a> {
    entries: Vec<ParsedCondition<'a>>,
    /// Whether each condition can name a context entry, by entry name, as found so far (a
    /// handler's context has the same few names run after run; searching the condition's
    /// text for each of them every time cost more than the rest of the `if`).
    named: Vec<(&'a IfStep, Vec<(String, bool)>)>,
}

type ParsedCondition<'a> = (
    &'a IfStep,
    Vec<AttributeValue>,
    Result<Rc<Condition>, String>,
);

/// How many (step, values) pairs a run keeps: values that keep changing (a counter compared
/// with itself) would otherwise grow the list for nothing.
const PARSED_CONDITIONS_KEPT: usize = 32;

impl<'a> ParsedConditions<'a> {
    /// Whether a condition can name a context entry: literally, or through a `#name`.
    fn names(&mut self, decision: &'a IfStep, key: &str) -> bool {
        let found = self
            .named
            .iter_mut()
            .find(|(step, _)| std::ptr::eq(*step, decision));
        let names = match found {
            Some((_, names)) => names,
            None => {
                self.named.push((decision, Vec::new()));
                match self.named.last_mut() {
                    Some((_, names)) => names,
                    None => return names_entry(decision, key),
                }
            }
        };
        if let Some((_, named)) = names.iter().find(|(name, _)| name == key) {
            return *named;
        }
        let named = names_entry(decision, key);
        // Bounded like the parsed conditions: names that keep changing are not kept.
        if names.len() < PARSED_CONDITIONS_KEPT {
            names.push((key.to_string(), named));
        }
        named
    }

    fn parse(
        &mut self,
        decision: &'a IfStep,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<Rc<Condition>, String> {
        let found = self.entries.iter().find(|(step, kept, _)| {
            std::ptr::eq(*step, decision)
                && kept.len() == values.len()
                && kept
                    .iter()
                    .zip(&values)
                    .all(|(kept, (_, value))| kept == value)
        });
        if let Some((_, _, parsed)) = found {
            return parsed.clone();
        }
        let parsed = parse_if_condition(decision, &values)
            .map(Rc::new)
            .map_err(|message| format!("ValidationException: {message}"));
        if self.entries.len() < PARSED_CONDITIONS_KEPT {
            let kept = values.into_iter().map(|(_, value)| value).collect();
            self.entries.push((decision, kept, parsed.clone()));
        }
        parsed
    }
}

/// Whether a condition's text or its `#names` can name a context entry.
fn names_entry(decision: &IfStep, key: &str) -> bool {
    decision.condition.contains(key) || decision.expressions.names.values().any(|v| v == key)
}

/// Evaluates an `if` step's condition, in DynamoDB condition syntax, over the context as if it
/// were an item. A condition DynamoDB would refuse (a reserved word, a syntax error, an unused
/// placeholder) is an error with DynamoDB's ValidationException text, as any other step's
/// invalid expression is, never a silent false.
pub(super) fn evaluate_if<'a>(
    decision: &'a IfStep,
    context: &Context,
    parsed: &mut ParsedConditions<'a>,
) -> Result<bool, String> {
    let mut values: Vec<(&str, AttributeValue)> = Vec::new();
    for (key, template) in &decision.expressions.values {
        let value = resolve(template, context);
        // Read straight from the plain value; only a value DynamoDB refuses goes the long way,
        // for its message.
        let value = match attribute_of_plain(&value) {
            Some(value) => value,
            None => literal_value(key, &value)
                .map_err(|message| format!("ValidationException: {message}"))?,
        };
        values.push((key.as_str(), value));
    }
    let condition = parsed.parse(decision, values)?;
    // Only context entries the condition can name (literally or through a #name) are turned
    // into attributes: converting the whole incoming event for every `if` is wasted work.
    let named = |key: &str| parsed.names(decision, key);
    let mut item = Item::new();
    for (key, value) in context.entries_named(named) {
        // A context the tables could not store (a number beyond DynamoDB's range) names nothing.
        let Some(value) = attribute_of_plain(value) else {
            return Ok(false);
        };
        item.insert(key.to_string(), value);
    }
    Ok(evaluate(&condition, &item))
}
