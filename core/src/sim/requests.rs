//! Table requests from handler steps: the DynamoDB API request bodies a step's fields make
//! (keys, items, expressions with their names and values resolved from the context), and the
//! `if` step's condition evaluated over the context with the tables' own condition engine.

use serde_json::{json, Map, Value};

use super::values::{key_text, marshal, marshal_map, resolve};
use crate::design::{Expressions, IfStep, TransactItem, WriteStep};

pub(super) fn key_of(template: &Value, context: &Value) -> Value {
    match resolve(template, context) {
        Value::Object(object) => Value::Object(marshal_map(&object)),
        _ => json!({}),
    }
}

pub(super) fn add_expressions(request: &mut Value, expressions: &Expressions, context: &Value) {
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

pub(super) fn write_request(step: &WriteStep, kind: &str, context: &Value) -> Value {
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

pub(super) fn transact_entry(item: &TransactItem, context: &Value) -> Value {
    let (name, step, kind) = match item {
        TransactItem::Put(s) => ("Put", s, "put"),
        TransactItem::Update(s) => ("Update", s, "update"),
        TransactItem::Delete(s) => ("Delete", s, "delete"),
        TransactItem::ConditionCheck(s) => ("ConditionCheck", s, "check"),
    };
    json!({ name: write_request(step, kind, context) })
}

/// Evaluates an `if` step's condition, in DynamoDB condition syntax, over the context as if it
/// were an item. An expression that does not parse is false (validation reports it).
pub(super) fn evaluate_if(decision: &IfStep, context: &Value) -> bool {
    use crate::dynamo::Placeholders;
    use crate::dynamo::{evaluate, parse_condition};
    use crate::dynamo::{item_from_wire, AttributeValue};
    let Some(object) = context.as_object() else {
        return false;
    };
    // Only context entries the condition can name (literally or through a #name) are turned
    // into attributes: marshalling the whole incoming event for every `if` is wasted work.
    let named = |key: &str| {
        decision.condition.contains(key) || decision.expressions.names.values().any(|v| v == key)
    };
    let relevant: serde_json::Map<String, Value> = object
        .iter()
        .filter(|(key, _)| named(key))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let Ok(item) = item_from_wire(&Value::Object(marshal_map(&relevant))) else {
        return false;
    };
    let names: Vec<(&str, &str)> = decision
        .expressions
        .names
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let values: Vec<(String, AttributeValue)> = decision
        .expressions
        .values
        .iter()
        .filter_map(|(k, v)| {
            AttributeValue::from_wire(&marshal(&resolve(v, context)))
                .ok()
                .map(|a| (k.clone(), a))
        })
        .collect();
    let values: Vec<(&str, AttributeValue)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let mut placeholders = Placeholders::from_maps(&names, &values);
    match parse_condition(&decision.condition, &mut placeholders) {
        Ok(condition) => evaluate(&condition, &item),
        Err(_) => false,
    }
}
