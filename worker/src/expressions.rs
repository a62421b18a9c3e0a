//! Live checks of DynamoDB expressions typed into a step (condition, update, filter), with
//! DynamoDB's own messages from core's parsers. They run here, in the worker, so the page
//! bundle carries no expression parser. A step's values may be `$.` references whose
//! type is only known when the handler runs, so a reference is tried as a number and as a
//! string, and only an expression that fails both ways is reported.

use eventlab_core::dynamo::{parse_condition, parse_update, Placeholders};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpressionKind {
    Condition,
    Update,
    Filter,
}

impl ExpressionKind {
    /// The kind the page names (`condition`, `update`, `filter`).
    pub fn from_name(name: &str) -> Option<ExpressionKind> {
        match name {
            "condition" => Some(ExpressionKind::Condition),
            "update" => Some(ExpressionKind::Update),
            "filter" => Some(ExpressionKind::Filter),
            _ => None,
        }
    }

    fn parameter(self) -> &'static str {
        match self {
            ExpressionKind::Condition => "ConditionExpression",
            ExpressionKind::Update => "UpdateExpression",
            ExpressionKind::Filter => "FilterExpression",
        }
    }
}

/// DynamoDB's message for `text` in a step with these names and values, or `None` if valid.
pub fn check(kind: ExpressionKind, text: &str, step: &Value) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    let names = step
        .get("names")
        .filter(|n| n.as_object().is_some_and(|m| !m.is_empty()));
    let mut first_problem = None;
    for reference_as in [json!({"S": "x"}), json!({"N": "1"})] {
        let values = step
            .get("values")
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty())
            .map(|m| Value::Object(wire_values(m, &reference_as)));
        let problem = match Placeholders::from_request(names, values.as_ref()) {
            Err(message) => Some(message),
            Ok(mut placeholders) => {
                let result = match kind {
                    ExpressionKind::Update => parse_update(text, &mut placeholders).err(),
                    _ => parse_condition(text, &mut placeholders).err(),
                };
                result.map(|e| format!("Invalid {}: {}", kind.parameter(), e.message))
            }
        };
        match problem {
            None => return None,
            Some(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    first_problem
}

fn wire_values(values: &Map<String, Value>, reference_as: &Value) -> Map<String, Value> {
    values
        .iter()
        .map(|(key, value)| (key.clone(), wire(value, reference_as)))
        .collect()
}

/// A document-client value in DynamoDB's wire shape; references take `reference_as`.
fn wire(value: &Value, reference_as: &Value) -> Value {
    match value {
        Value::String(text) if text.starts_with("$.") => reference_as.clone(),
        Value::String(text) => json!({ "S": text }),
        Value::Number(number) => json!({ "N": number.to_string() }),
        Value::Bool(flag) => json!({ "BOOL": flag }),
        Value::Null => json!({ "NULL": true }),
        Value::Array(items) => {
            json!({ "L": items.iter().map(|v| wire(v, reference_as)).collect::<Vec<_>>() })
        }
        Value::Object(map) if map.len() == 1 && map.contains_key("literal") => {
            json!({ "S": map["literal"].as_str().unwrap_or_default() })
        }
        Value::Object(map) => json!({ "M": wire_values(map, reference_as) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_expressions_pass_with_references_of_either_type() {
        // A version check against a reference and an arithmetic update are both fine.
        let step = json!({"names": {"#v": "version"}, "values": {":expected": "$.item.version", ":one": 1}});
        assert_eq!(
            check(ExpressionKind::Condition, "#v = :expected", &step),
            None
        );
        assert_eq!(
            check(ExpressionKind::Update, "SET #v = #v + :one", &step),
            None
        );
        assert_eq!(
            check(
                ExpressionKind::Condition,
                "attribute_not_exists(orderId)",
                &json!({})
            ),
            None
        );
    }

    #[test]
    fn mistakes_get_dynamodbs_message() {
        // An undefined placeholder and a syntax error are reported as DynamoDB words them.
        let message = check(ExpressionKind::Condition, "version = :missing", &json!({})).unwrap();
        assert!(
            message.starts_with("Invalid ConditionExpression: "),
            "{message}"
        );
        assert!(message.contains(":missing"), "{message}");
        let message = check(ExpressionKind::Update, "SET", &json!({})).unwrap();
        assert!(
            message.starts_with("Invalid UpdateExpression: Syntax error"),
            "{message}"
        );
    }
}
