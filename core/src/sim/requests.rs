//! Table requests from handler steps: the DynamoDB API request bodies a step's fields make
//! (keys, items, expressions with their names and values resolved from the context), and the
//! `if` step's condition evaluated over the context with the tables' own condition engine.

use serde_json::{json, Map, Value};

use super::context::Context;
use super::values::{key_text, marshal, marshal_map, resolve};
use crate::design::{Expressions, IfStep, TransactItem, WriteStep};

pub(super) fn key_of(template: &Value, context: &Context) -> Value {
    match resolve(template, context) {
        Value::Object(object) => Value::Object(marshal_map(&object)),
        _ => json!({}),
    }
}

pub(super) fn add_expressions(request: &mut Value, expressions: &Expressions, context: &Context) {
    if !expressions.names.is_empty() {
        // A name may itself be a reference (`"#part": "$.cloudevent.source"`).
        let names: Map<String, Value> = expressions
            .names
            .iter()
            .map(|(k, v)| (k.clone(), json!(key_text(&resolve(&json!(v), context)))))
            .collect();
        request["ExpressionAttributeNames"] = Value::Object(names);
    }
    if !expressions.values.is_empty() {
        let values: Map<String, Value> = expressions
            .values
            .iter()
            .map(|(k, v)| (k.clone(), marshal(&resolve(v, context))))
            .collect();
        request["ExpressionAttributeValues"] = Value::Object(values);
    }
}

pub(super) fn write_request(step: &WriteStep, kind: &str, context: &Context) -> Value {
    let mut request = json!({"TableName": step.table});
    if kind == "put" {
        request["Item"] = step
            .item
            .as_ref()
            .map(|i| key_of(i, context))
            .unwrap_or(json!({}));
    } else {
        request["Key"] = step
            .key
            .as_ref()
            .map(|k| key_of(k, context))
            .unwrap_or(json!({}));
    }
    if let Some(update) = &step.update {
        request["UpdateExpression"] = json!(update);
    }
    if let Some(condition) = &step.condition {
        request["ConditionExpression"] = json!(condition);
    }
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

/// Evaluates an `if` step's condition, in DynamoDB condition syntax, over the context as if it
/// were an item. A condition DynamoDB would refuse (a reserved word, a syntax error, an unused
/// placeholder) is an error with DynamoDB's ValidationException text, as any other step's
/// invalid expression is, never a silent false.
pub(super) fn evaluate_if(decision: &IfStep, context: &Context) -> Result<bool, String> {
    use crate::design::conditions::{literal_value, parse_if_condition};
    use crate::dynamo::{evaluate, item_from_wire, AttributeValue};
    let mut values: Vec<(&str, AttributeValue)> = Vec::new();
    for (key, template) in &decision.expressions.values {
        let value = literal_value(key, &resolve(template, context))
            .map_err(|message| format!("ValidationException: {message}"))?;
        values.push((key.as_str(), value));
    }
    let condition = parse_if_condition(decision, &values)
        .map_err(|message| format!("ValidationException: {message}"))?;
    // Only context entries the condition can name (literally or through a #name) are turned
    // into attributes: marshalling the whole incoming event for every `if` is wasted work.
    let named = |key: &str| {
        decision.condition.contains(key) || decision.expressions.names.values().any(|v| v == key)
    };
    let relevant: serde_json::Map<String, Value> = context
        .entries()
        .filter(|(key, _)| named(key))
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    // A context the tables could not store (a number beyond DynamoDB's range) names nothing.
    let Ok(item) = item_from_wire(&Value::Object(marshal_map(&relevant))) else {
        return Ok(false);
    };
    Ok(evaluate(&condition, &item))
}
