//! An `if` step's condition read as DynamoDB reads a ConditionExpression: the parse and the
//! checks DynamoDB runs before it evaluates anything (syntax, reserved words, undefined and
//! unused placeholders, operand types), shared by validation and by the run so both refuse the
//! same conditions with the same words. It never evaluates a condition and never sees a run's
//! context: the values it checks against are handed to it.

use serde_json::Value;

use super::step::IfStep;
use crate::dynamo::{parse_condition, AttributeValue, Condition, Placeholders};
use crate::sim::values::{marshal, resolve};

/// The prefix DynamoDB puts before a condition's parse and validation errors.
const PREFIX: &str = "Invalid ConditionExpression: ";

/// Parses `step`'s condition with its `names` and the given values, checking it as DynamoDB
/// checks a ConditionExpression. The error is DynamoDB's ValidationException message.
pub fn parse_if_condition(
    step: &IfStep,
    values: &[(&str, AttributeValue)],
) -> Result<Condition, String> {
    let names: Vec<(&str, &str)> = step
        .expressions
        .names
        .iter()
        .map(|(key, name)| (key.as_str(), name.as_str()))
        .collect();
    let mut placeholders = Placeholders::from_maps(&names, values);
    let condition = parse_condition(&step.condition, &mut placeholders)
        .map_err(|error| format!("{PREFIX}{}", error.message))?;
    placeholders.check_all_used()?;
    Ok(condition)
}

/// What DynamoDB would refuse in `step`'s condition whatever its referenced values turn out to
/// be at run time, or None. A value that is a `$.` reference is only known during a run, and a
/// few checks depend on values (`begins_with` and `attribute_type` operand types, BETWEEN
/// bounds): the condition is checked twice, with a string and with a number standing in for
/// every reference, and a problem counts only when both checks report it in the same words.
pub fn if_condition_problem(step: &IfStep) -> Option<String> {
    let with_string = check_with_stand_in(step, &AttributeValue::S("S".to_string()));
    let with_number = check_with_stand_in(step, &AttributeValue::number("0"));
    match (with_string, with_number) {
        (Err(first), Err(second)) if first == second => Some(first),
        _ => None,
    }
}

fn check_with_stand_in(step: &IfStep, stand_in: &AttributeValue) -> Result<(), String> {
    let mut values: Vec<(&str, AttributeValue)> = Vec::new();
    for (key, template) in &step.expressions.values {
        let value = if refers_to_context(template) {
            stand_in.clone()
        } else {
            literal_value(key, &resolve(template, &Value::Null))?
        };
        values.push((key.as_str(), value));
    }
    parse_if_condition(step, &values).map(|_| ())
}

/// A literal placeholder value as the run marshals it, with DynamoDB's message when it cannot
/// be an attribute value.
pub fn literal_value(key: &str, value: &Value) -> Result<AttributeValue, String> {
    AttributeValue::from_wire(&marshal(value)).map_err(|error| {
        format!(
            "ExpressionAttributeValues contains invalid value: {} for key {key}",
            error.message
        )
    })
}

/// Whether a value template reads the invocation's context (a `$.` reference, `$`, an
/// interpolated `{$.path}`, or a structure holding one); `{"literal": x}` never does.
fn refers_to_context(template: &Value) -> bool {
    match template {
        Value::String(text) => text == "$" || text.starts_with("$.") || text.contains("{$."),
        Value::Array(items) => items.iter().any(refers_to_context),
        Value::Object(object) if object.len() == 1 && object.contains_key("literal") => false,
        Value::Object(object) => object.values().any(refers_to_context),
        _ => false,
    }
}
