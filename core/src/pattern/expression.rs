//! Match expressions: the objects inside a value list (`{"prefix": ...}`, `{"numeric": [...]}`,
//! `{"anything-but": ...}`, ...), validated in event-ruler's order with its messages.
//!
//! Owns the grammar of one value-list entry. It must never accept what Ruler refuses, and it
//! reports the first problem in document order, as Ruler's streaming parser does.

use serde_json::{Map, Value};

use super::address::parse_cidr;
use super::matcher::{AnythingBut, Bound, NumericRange, ValueMatcher};
use super::wildcard::Wildcard;

/// What an `{"exists": ...}` or other expression contributes to its field.
pub enum Expression {
    Value(ValueMatcher),
    /// `{"exists": false}`: the field must be absent.
    Absent,
}

const ONE_KEY: &str = "Only one key allowed in match expression";
const TOO_MANY_ELEMENTS: &str = "Too many elements in numeric expression";

/// The text Jackson gives for a token, used where Ruler quotes the offending member.
fn token_text(value: Option<&Value>) -> String {
    match value {
        None => "]".to_string(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Object(_)) => "{".to_string(),
        Some(Value::Array(_)) => "[".to_string(),
        Some(other) => other.to_string(),
    }
}

fn only_one_key(object: &Map<String, Value>, message: &str) -> Result<(), String> {
    if object.len() > 1 {
        Err(message.to_string())
    } else {
        Ok(())
    }
}

fn string_operand<'v>(value: &'v Value, message: &str) -> Result<&'v str, String> {
    value.as_str().ok_or_else(|| message.to_string())
}

/// Parses one match expression object.
pub fn parse_expression(object: &Map<String, Value>) -> Result<Expression, String> {
    let Some((name, operand)) = object.iter().next() else {
        return Err("Match expression name not found".to_string());
    };
    let matcher = match name.as_str() {
        "exactly" => {
            let text = string_operand(operand, "exact match pattern must be a string")?;
            ValueMatcher::ExactString {
                text: text.to_string(),
                address: None,
            }
        }
        "prefix" | "suffix" => return affix(name, operand, object),
        "numeric" => {
            let Value::Array(items) = operand else {
                return Err("Value of numeric must be an array.".to_string());
            };
            let range = parse_numeric(items)?;
            only_one_key(object, TOO_MANY_ELEMENTS)?;
            return Ok(Expression::Value(ValueMatcher::Numeric(range)));
        }
        "anything-but" => {
            let anything_but = parse_anything_but(operand)?;
            only_one_key(object, TOO_MANY_ELEMENTS)?;
            return Ok(Expression::Value(ValueMatcher::AnythingBut(anything_but)));
        }
        "exists" => {
            let Value::Bool(exists) = operand else {
                return Err("exists match pattern must be either true or false.".to_string());
            };
            only_one_key(object, ONE_KEY)?;
            return Ok(if *exists {
                Expression::Value(ValueMatcher::Exists)
            } else {
                Expression::Absent
            });
        }
        "cidr" => {
            let text = string_operand(operand, "prefix match pattern must be a string")?;
            ValueMatcher::Cidr(parse_cidr(text)?)
        }
        "equals-ignore-case" => {
            let text =
                string_operand(operand, "equals-ignore-case match pattern must be a string")?;
            ValueMatcher::EqualsIgnoringCase(text.to_string())
        }
        "wildcard" => {
            let text = string_operand(operand, "wildcard match pattern must be a string")?;
            ValueMatcher::Wildcard(Wildcard::parse(text)?)
        }
        other => return Err(format!("Unrecognized match type {other}")),
    };
    only_one_key(object, ONE_KEY)?;
    Ok(Expression::Value(matcher))
}

/// `prefix` and `suffix`, each with a string or `{"equals-ignore-case": string}`.
fn affix(name: &str, operand: &Value, object: &Map<String, Value>) -> Result<Expression, String> {
    let is_prefix = name == "prefix";
    let matcher = match operand {
        Value::String(text) if is_prefix => ValueMatcher::Prefix(text.clone()),
        Value::String(text) => ValueMatcher::Suffix(text.clone()),
        Value::Object(inner) => {
            let (title, lower) = if is_prefix {
                ("Prefix", "prefix")
            } else {
                ("Suffix", "suffix")
            };
            let Some((inner_name, inner_operand)) = inner.iter().next() else {
                return Err(format!("{title} expression name not found"));
            };
            if inner_name != "equals-ignore-case" {
                return Err(format!("Unsupported {lower} pattern: {inner_name}"));
            }
            let text = string_operand(
                inner_operand,
                "equals-ignore-case match pattern must be a string",
            )?;
            only_one_key(inner, ONE_KEY)?;
            if is_prefix {
                ValueMatcher::PrefixIgnoringCase(text.to_string())
            } else {
                ValueMatcher::SuffixIgnoringCase(text.to_string())
            }
        }
        _ => return Err(format!("{name} match pattern must be a string")),
    };
    only_one_key(object, ONE_KEY)?;
    Ok(Expression::Value(matcher))
}

fn numeric_operand(value: Option<&Value>, operator: &str) -> Result<f64, String> {
    let word = if operator == "=" { "equals" } else { operator };
    value
        .and_then(Value::as_f64)
        .filter(|number| number.is_finite())
        .ok_or_else(|| format!("Value of {word} must be numeric"))
}

fn end_of_numeric(rest: &mut std::slice::Iter<'_, Value>, message: &str) -> Result<(), String> {
    match rest.next() {
        None => Ok(()),
        Some(_) => Err(message.to_string()),
    }
}

/// `[op, n]` or `[lowerOp, n, upperOp, m]` with the lower bound first.
fn parse_numeric(items: &[Value]) -> Result<NumericRange, String> {
    let mut rest = items.iter();
    let first = rest.next();
    let Some(Value::String(operator)) = first else {
        return Err(format!(
            "Invalid member in numeric match: {}",
            token_text(first)
        ));
    };
    let operand = rest.next();
    let bound = |inclusive: bool, value: f64| Some(Bound { value, inclusive });
    match operator.as_str() {
        "=" => {
            let value = numeric_operand(operand, operator)?;
            end_of_numeric(&mut rest, TOO_MANY_ELEMENTS)?;
            Ok(NumericRange {
                lower: bound(true, value),
                upper: bound(true, value),
            })
        }
        ">" | ">=" => {
            let value = numeric_operand(operand, operator)?;
            let lower = bound(operator == ">=", value);
            match rest.next() {
                None => Ok(NumericRange { lower, upper: None }),
                Some(next) => complete_range(next, &mut rest, lower, value),
            }
        }
        "<" | "<=" => {
            let value = numeric_operand(operand, operator)?;
            end_of_numeric(&mut rest, TOO_MANY_ELEMENTS)?;
            Ok(NumericRange {
                lower: None,
                upper: bound(operator == "<=", value),
            })
        }
        other => Err(format!("Unrecognized numeric range operator: {other}")),
    }
}

fn complete_range(
    operator_value: &Value,
    rest: &mut std::slice::Iter<'_, Value>,
    lower: Option<Bound>,
    bottom: f64,
) -> Result<NumericRange, String> {
    let Value::String(operator) = operator_value else {
        return Err(format!(
            "Bad value in numeric range: {}",
            token_text(Some(operator_value))
        ));
    };
    if operator != "<" && operator != "<=" {
        return Err(format!("Bad numeric range operator: {operator}"));
    }
    let top = numeric_operand(rest.next(), operator)?;
    end_of_numeric(rest, "Too many terms in numeric range expression")?;
    if bottom >= top {
        return Err("Bottom must be less than top".to_string());
    }
    Ok(NumericRange {
        lower,
        upper: Some(Bound {
            value: top,
            inclusive: operator == "<=",
        }),
    })
}

/// Which nested form of `anything-but` an object operand names.
#[derive(Clone, Copy, PartialEq)]
enum SetKind {
    IgnoringCase,
    Prefix,
    Suffix,
    Wildcard,
}

const ANYTHING_BUT_SHAPE: &str =
    "Value of anything-but must be an array or single string/number value.";

fn parse_anything_but(operand: &Value) -> Result<AnythingBut, String> {
    match operand {
        Value::Object(inner) => {
            let Some((name, value)) = inner.iter().next() else {
                return Err("Anything-But expression name not found".to_string());
            };
            let kind = match name.as_str() {
                "equals-ignore-case" => SetKind::IgnoringCase,
                "prefix" => SetKind::Prefix,
                "suffix" => SetKind::Suffix,
                "wildcard" => SetKind::Wildcard,
                other => return Err(format!("Unsupported anything-but pattern: {other}")),
            };
            let values = match value {
                Value::Array(items) => items.iter().collect::<Vec<_>>(),
                Value::String(_) | Value::Number(_) => vec![value],
                _ => return Err(ANYTHING_BUT_SHAPE.to_string()),
            };
            let set = parse_value_set(kind, &values)?;
            only_one_key(inner, TOO_MANY_ELEMENTS)?;
            Ok(set)
        }
        Value::Array(items) => parse_anything_but_list(items),
        Value::String(text) => Ok(AnythingBut::Strings(vec![text.clone()])),
        Value::Number(number) => Ok(AnythingBut::Numbers(vec![number
            .as_f64()
            .unwrap_or(f64::NAN)])),
        _ => Err(ANYTHING_BUT_SHAPE.to_string()),
    }
}

fn parse_anything_but_list(items: &[Value]) -> Result<AnythingBut, String> {
    let mut strings = Vec::new();
    let mut numbers = Vec::new();
    for item in items {
        match item {
            Value::String(text) => strings.push(text.clone()),
            Value::Number(number) => numbers.push(number.as_f64().unwrap_or(f64::NAN)),
            _ => {
                return Err(
                    "Inside anything but list, start|null|boolean is not supported.".to_string(),
                )
            }
        }
    }
    match (strings.is_empty(), numbers.is_empty()) {
        (false, true) => Ok(AnythingBut::Strings(strings)),
        (true, false) => Ok(AnythingBut::Numbers(numbers)),
        _ => Err(
            "Inside anything but list, either all values are number or string, \
                  mixed type is not supported"
                .to_string(),
        ),
    }
}

fn parse_value_set(kind: SetKind, values: &[&Value]) -> Result<AnythingBut, String> {
    let mut texts = Vec::with_capacity(values.len());
    for value in values {
        let Value::String(text) = value else {
            return Err(match kind {
                SetKind::IgnoringCase => "Inside anything-but/equals-ignore-case list, \
                                          number|start|null|boolean is not supported."
                    .to_string(),
                SetKind::Wildcard => "wildcard match pattern must be a string".to_string(),
                SetKind::Prefix | SetKind::Suffix => {
                    "prefix/suffix match pattern must be a string".to_string()
                }
            });
        };
        if matches!(kind, SetKind::Prefix | SetKind::Suffix) && text.is_empty() {
            return Err("Null prefix/suffix not allowed".to_string());
        }
        texts.push(text.clone());
    }
    Ok(match kind {
        SetKind::IgnoringCase => AnythingBut::IgnoringCase(texts),
        SetKind::Prefix => AnythingBut::Prefixes(texts),
        SetKind::Suffix => AnythingBut::Suffixes(texts),
        SetKind::Wildcard => AnythingBut::Wildcards(
            texts
                .iter()
                .map(|text| Wildcard::parse(text))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    })
}
