//! Choice rules: parsing (with a diagnostic per malformed rule) and evaluation, including every
//! comparison operator, its `…Path` variant, `And`/`Or`/`Not` and the `Is…` type tests.
//!
//! It must never turn a type mismatch into an error (AWS answers false) and never turn a
//! missing `Variable` into false (AWS fails with `States.Runtime`), except under `IsPresent`.

use std::cmp::Ordering;

use serde_json::Value;

use super::path::Path;
use super::timestamp;
use super::Diagnostic;

/// A comparison operator, without its `Path` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

const OPERATORS: &[(&str, Operator)] = &[
    ("StringEquals", Operator::StringEquals),
    ("StringLessThan", Operator::StringLessThan),
    ("StringGreaterThan", Operator::StringGreaterThan),
    ("StringLessThanEquals", Operator::StringLessThanEquals),
    ("StringGreaterThanEquals", Operator::StringGreaterThanEquals),
    ("StringMatches", Operator::StringMatches),
    ("NumericEquals", Operator::NumericEquals),
    ("NumericLessThan", Operator::NumericLessThan),
    ("NumericGreaterThan", Operator::NumericGreaterThan),
    ("NumericLessThanEquals", Operator::NumericLessThanEquals),
    (
        "NumericGreaterThanEquals",
        Operator::NumericGreaterThanEquals,
    ),
    ("BooleanEquals", Operator::BooleanEquals),
    ("TimestampEquals", Operator::TimestampEquals),
    ("TimestampLessThan", Operator::TimestampLessThan),
    ("TimestampGreaterThan", Operator::TimestampGreaterThan),
    ("TimestampLessThanEquals", Operator::TimestampLessThanEquals),
    (
        "TimestampGreaterThanEquals",
        Operator::TimestampGreaterThanEquals,
    ),
    ("IsNull", Operator::IsNull),
    ("IsPresent", Operator::IsPresent),
    ("IsNumeric", Operator::IsNumeric),
    ("IsString", Operator::IsString),
    ("IsBoolean", Operator::IsBoolean),
    ("IsTimestamp", Operator::IsTimestamp),
];

/// What the operator compares the variable with.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Literal(Value),
    Path(Path),
}

/// A parsed rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Test {
        variable: Path,
        operator: Operator,
        operand: Operand,
    },
}

/// A failed evaluation: the path that was missing.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingPath(pub String);

/// The fields a rule may carry besides its operator.
const RULE_FIELDS: &[&str] = &["Variable", "Next", "Comment", "And", "Or", "Not"];

/// Parses one rule at `location`; `top_level` rules need `Next`, nested ones must not have it.
pub fn parse_rule(
    value: &Value,
    location: &str,
    top_level: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let Some(object) = value.as_object() else {
        diagnostics.push(Diagnostic::schema(
            location,
            "Expected value of type: Object",
        ));
        return None;
    };
    for key in object.keys() {
        let known = RULE_FIELDS.contains(&key.as_str())
            || OPERATORS
                .iter()
                .any(|(name, _)| key == name || key.strip_suffix("Path") == Some(name));
        if !known || key == "StringMatchesPath" || key.starts_with("Is") && key.ends_with("Path") {
            diagnostics.push(Diagnostic::unsupported_field(location, key));
        }
    }
    if top_level && !object.contains_key("Next") {
        diagnostics.push(Diagnostic::schema(
            location,
            "These fields are required: [Next]",
        ));
    }
    if !top_level && object.contains_key("Next") {
        diagnostics.push(Diagnostic::schema(
            &format!("{location}/Next"),
            "The field \"Next\" is only allowed in top-level Choice Rules",
        ));
    }
    let composite: Vec<&str> = ["And", "Or", "Not"]
        .into_iter()
        .filter(|k| object.contains_key(*k))
        .collect();
    let tests: Vec<(&String, Operator, bool)> = object
        .keys()
        .filter_map(|key| {
            OPERATORS.iter().find_map(|(name, operator)| {
                if key == name {
                    Some((key, *operator, false))
                } else if key.strip_suffix("Path") == Some(name) {
                    Some((key, *operator, true))
                } else {
                    None
                }
            })
        })
        .collect();
    if composite.len() + tests.len() != 1 {
        diagnostics.push(Diagnostic::schema(
            location,
            "A Choice Rule must have exactly one comparison operator or one of And, Or, Not",
        ));
        return None;
    }
    if let Some(kind) = composite.first() {
        if object.contains_key("Variable") {
            diagnostics.push(Diagnostic::unsupported_field(location, "Variable"));
        }
        return parse_composite(object, kind, location, diagnostics);
    }
    let (key, operator, is_path) = tests[0];
    let variable = match object
        .get("Variable")
        .map(|v| v.as_str().and_then(Path::parse))
    {
        None => {
            diagnostics.push(Diagnostic::schema(
                location,
                "These fields are required: [Variable]",
            ));
            None
        }
        Some(None) => {
            diagnostics.push(Diagnostic::schema(
                &format!("{location}/Variable"),
                "The value for the field 'Variable' must be a valid JSONPath",
            ));
            None
        }
        Some(Some(path)) => Some(path),
    };
    let operand_value = object.get(key).unwrap_or(&Value::Null);
    let operand = parse_operand(
        operator,
        is_path,
        key,
        operand_value,
        &format!("{location}/{key}"),
        diagnostics,
    )?;
    Some(Rule::Test {
        variable: variable?,
        operator,
        operand,
    })
}

fn parse_composite(
    object: &serde_json::Map<String, Value>,
    kind: &str,
    location: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let value = object.get(kind).unwrap_or(&Value::Null);
    let here = format!("{location}/{kind}");
    if kind == "Not" {
        return parse_rule(value, &here, false, diagnostics).map(|rule| Rule::Not(Box::new(rule)));
    }
    let Some(items) = value.as_array().filter(|items| !items.is_empty()) else {
        diagnostics.push(Diagnostic::schema(
            &here,
            "Expected a non-empty array of Choice Rules",
        ));
        return None;
    };
    let mut rules = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        rules.push(parse_rule(
            item,
            &format!("{here}[{index}]"),
            false,
            diagnostics,
        ));
    }
    let rules: Option<Vec<Rule>> = rules.into_iter().collect();
    rules.map(|rules| {
        if kind == "And" {
            Rule::And(rules)
        } else {
            Rule::Or(rules)
        }
    })
}

fn parse_operand(
    operator: Operator,
    is_path: bool,
    key: &str,
    value: &Value,
    location: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Operand> {
    if is_path {
        return match value.as_str().and_then(Path::parse) {
            Some(path) => Some(Operand::Path(path)),
            None => {
                diagnostics.push(Diagnostic::schema(
                    location,
                    &format!("The value for the field '{key}' must be a valid JSONPath"),
                ));
                None
            }
        };
    }
    use Operator::*;
    let (valid, expected) = match operator {
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals
        | StringMatches => (value.is_string(), "String"),
        NumericEquals
        | NumericLessThan
        | NumericGreaterThan
        | NumericLessThanEquals
        | NumericGreaterThanEquals => (value.is_number(), "Number"),
        BooleanEquals | IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => {
            (value.is_boolean(), "Boolean")
        }
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => (
            value.as_str().and_then(timestamp::parse).is_some(),
            "Timestamp",
        ),
    };
    if !valid {
        diagnostics.push(Diagnostic::schema(
            location,
            &format!("Expected value of type: {expected}"),
        ));
        return None;
    }
    Some(Operand::Literal(value.clone()))
}

impl Rule {
    /// Evaluates the rule against the state's effective input and the context object.
    /// `And`/`Or` short-circuit as AWS does, so a later missing path is not an error once the
    /// answer is known.
    pub fn evaluate(&self, input: &Value, context: &Value) -> Result<bool, MissingPath> {
        match self {
            Rule::And(rules) => {
                for rule in rules {
                    if !rule.evaluate(input, context)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rules) => {
                for rule in rules {
                    if rule.evaluate(input, context)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(rule) => rule.evaluate(input, context).map(|b| !b),
            Rule::Test {
                variable,
                operator,
                operand,
            } => {
                let read = |path: &Path| path.read(if path.context { context } else { input }).ok();
                let value = read(variable);
                if *operator == Operator::IsPresent {
                    return Ok(Some(value.is_some()) == operand_bool(operand));
                }
                let value = value.ok_or_else(|| MissingPath(variable.text.clone()))?;
                let expected = match operand {
                    Operand::Literal(literal) => literal.clone(),
                    Operand::Path(path) => {
                        read(path).ok_or_else(|| MissingPath(path.text.clone()))?
                    }
                };
                Ok(compare(*operator, &value, &expected))
            }
        }
    }
}

fn operand_bool(operand: &Operand) -> Option<bool> {
    match operand {
        Operand::Literal(Value::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// Java `String.compareTo`: UTF-16 code units, which AWS uses to order strings.
fn compare_strings(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

fn ordering_matches(operator: Operator, ordering: Ordering) -> bool {
    use Operator::*;
    match operator {
        StringEquals | NumericEquals | TimestampEquals => ordering == Ordering::Equal,
        StringLessThan | NumericLessThan | TimestampLessThan => ordering == Ordering::Less,
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => {
            ordering == Ordering::Greater
        }
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => {
            ordering != Ordering::Greater
        }
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => {
            ordering != Ordering::Less
        }
        _ => false,
    }
}

/// Applies one operator; a value of the wrong type is simply false.
pub fn compare(operator: Operator, value: &Value, expected: &Value) -> bool {
    use Operator::*;
    let wanted = expected.as_bool();
    match operator {
        IsNull => Some(value.is_null()) == wanted,
        IsNumeric => Some(value.is_number()) == wanted,
        IsString => Some(value.is_string()) == wanted,
        IsBoolean => Some(value.is_boolean()) == wanted,
        IsTimestamp => Some(value.as_str().and_then(timestamp::parse).is_some()) == wanted,
        IsPresent => Some(true) == wanted,
        BooleanEquals => matches!((value, expected), (Value::Bool(a), Value::Bool(b)) if a == b),
        StringMatches => match (value, expected) {
            (Value::String(text), Value::String(pattern)) => wildcard_match(pattern, text),
            _ => false,
        },
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals => match (value, expected) {
            (Value::String(a), Value::String(b)) => {
                ordering_matches(operator, compare_strings(a, b))
            }
            _ => false,
        },
        NumericEquals
        | NumericLessThan
        | NumericGreaterThan
        | NumericLessThanEquals
        | NumericGreaterThanEquals => match (value.as_f64(), expected.as_f64()) {
            (Some(a), Some(b)) if value.is_number() && expected.is_number() => a
                .partial_cmp(&b)
                .is_some_and(|o| ordering_matches(operator, o)),
            _ => false,
        },
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => {
            match (
                value.as_str().and_then(timestamp::parse),
                expected.as_str().and_then(timestamp::parse),
            ) {
                (Some(a), Some(b)) => ordering_matches(operator, a.cmp(&b)),
                _ => false,
            }
        }
    }
}

/// A pattern element of `StringMatches`.
#[derive(Clone, Copy, PartialEq)]
enum Token {
    Star,
    Char(char),
}

/// `StringMatches`: `*` matches any run of characters, `\*` a literal star and `\\` a
/// backslash. Linear backtracking over the last star keeps it O(n·m) at worst.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '\\' => Token::Char(chars.next().unwrap_or('\\')),
            '*' => Token::Star,
            c => Token::Char(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    let (mut t, mut p) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Star) => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(Token::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((star, matched)) => {
                    p = star + 1;
                    t = matched + 1;
                    backtrack = Some((star, matched + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p.min(tokens.len())..]
        .iter()
        .all(|token| *token == Token::Star)
}
