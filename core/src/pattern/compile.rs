//! Turning pattern JSON into sub-rules: the structure (objects, value lists, `$or`) with
//! event-ruler's messages and its fallback for `$or` used as an ordinary key.
//!
//! Owns the walk over the pattern document and the expansion of `$or` into alternatives
//! (each a conjunction of field conditions). It must never accept a pattern Ruler refuses,
//! and must never let `$or` expansion grow without bound.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::expression::{parse_expression, Expression};
use super::matcher::ValueMatcher;

/// What one field of a sub-rule requires: any of `matchers` on a leaf at that path, or, when
/// `allows_absence` (`{"exists": false}` in the list), no leaf at that path at all.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCondition {
    pub matchers: Vec<ValueMatcher>,
    pub allows_absence: bool,
}

/// One alternative of a pattern: every field must hold. Keys are flattened paths joined with
/// `.`, kept sorted, because Ruler visits fields in sorted order (which decides how
/// `{"exists": false}` interacts with arrays).
pub type SubRule = BTreeMap<String, FieldCondition>;

/// `$or` multiplies alternatives; past this many a pattern is refused as too complex rather
/// than left to grow exponentially.
pub const MAX_ALTERNATIVES: usize = 1024;

/// The threshold of the "too complex" heuristic: more wildcard stars than this across the
/// distinct wildcard values one field carries in one rule.
pub const MAX_WILDCARD_STARS_PER_FIELD: u64 = 5;

pub const TOO_COMPLEX: &str = "Rule is too complex - try using fewer wildcard characters or \
                               fewer repeating character sequences after a wildcard character";

/// The words Ruler reserves inside `$or` objects.
const RESERVED_INSIDE_OR: [&str; 24] = [
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// Whether `$or` is read as a relationship (Ruler's JsonRuleCompiler) or as a field name
/// (its older RuleCompiler, which Ruler falls back to when the first refuses a pattern).
#[derive(Clone, Copy, PartialEq)]
enum OrReading {
    Relationship,
    FieldName,
}

struct Compiler {
    reading: OrReading,
    path: Vec<String>,
}

/// Compiles a pattern document into its alternatives, as Ruler's `addRule` does: first with
/// `$or` as a relationship; if that refuses the pattern, again with `$or` as a plain key, and
/// that second reading's verdict (and message) is final.
pub fn compile(pattern: &Value) -> Result<Vec<SubRule>, String> {
    let first = compile_reading(pattern, OrReading::Relationship);
    let sub_rules = match first {
        Ok(sub_rules) => sub_rules,
        Err(_) => compile_reading(pattern, OrReading::FieldName)?,
    };
    check_complexity(&sub_rules)?;
    Ok(sub_rules)
}

fn compile_reading(pattern: &Value, reading: OrReading) -> Result<Vec<SubRule>, String> {
    let Value::Object(object) = pattern else {
        return Err("Filter is not an object".to_string());
    };
    let mut compiler = Compiler {
        reading,
        path: Vec::new(),
    };
    let mut sub_rules = Vec::new();
    compiler.parse_object(object, &mut sub_rules, false)?;
    Ok(sub_rules)
}

impl Compiler {
    fn parse_object(
        &mut self,
        object: &Map<String, Value>,
        sub_rules: &mut Vec<SubRule>,
        inside_or: bool,
    ) -> Result<(), String> {
        if object.is_empty() {
            return Err("Empty objects are not allowed".to_string());
        }
        for (key, value) in object {
            if self.reading == OrReading::Relationship && key == "$or" {
                self.parse_or(value, sub_rules)?;
                continue;
            }
            if inside_or && RESERVED_INSIDE_OR.contains(&key.as_str()) {
                return Err(format!(
                    "{key} is Ruler reserved fieldName which cannot be used inside $or."
                ));
            }
            match value {
                Value::Object(inner) => {
                    self.path.push(key.clone());
                    let result = self.parse_object(inner, sub_rules, inside_or);
                    self.path.pop();
                    result?;
                }
                Value::Array(items) => {
                    let condition = parse_value_list(items)?;
                    let name = self.extended_name(key);
                    if sub_rules.is_empty() {
                        sub_rules.push(SubRule::new());
                    }
                    for sub_rule in sub_rules.iter_mut() {
                        sub_rule.insert(name.clone(), condition.clone());
                    }
                }
                _ => return Err(format!("\"{key}\" must be an object or an array")),
            }
        }
        Ok(())
    }

    fn parse_or(&mut self, value: &Value, sub_rules: &mut Vec<SubRule>) -> Result<(), String> {
        let current = std::mem::take(sub_rules);
        let Value::Array(alternatives) = value else {
            return Err("It must be an Array followed with $or.".to_string());
        };
        for alternative in alternatives {
            let Value::Object(object) = alternative else {
                return Err("Only JSON object is allowed in array of $or relationship.".to_string());
            };
            let mut forked = current.clone();
            if forked.is_empty() {
                forked.push(SubRule::new());
            }
            self.parse_object(object, &mut forked, true)?;
            sub_rules.extend(forked);
            if sub_rules.len() > MAX_ALTERNATIVES {
                return Err(TOO_COMPLEX.to_string());
            }
        }
        if alternatives.len() < 2 {
            return Err("There must have at least 2 Objects in $or relationship.".to_string());
        }
        Ok(())
    }

    fn extended_name(&self, key: &str) -> String {
        let mut name = self.path.join(".");
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(key);
        name
    }
}

fn parse_value_list(items: &[Value]) -> Result<FieldCondition, String> {
    let mut condition = FieldCondition {
        matchers: Vec::with_capacity(items.len()),
        allows_absence: false,
    };
    for item in items {
        match item {
            Value::Object(object) => match parse_expression(object)? {
                Expression::Value(matcher) => condition.matchers.push(matcher),
                Expression::Absent => condition.allows_absence = true,
            },
            Value::String(text) => condition.matchers.push(ValueMatcher::exact_string(text)),
            Value::Number(number) => condition.matchers.push(ValueMatcher::ExactNumber(
                number.as_f64().unwrap_or(f64::NAN),
            )),
            Value::Bool(flag) => condition.matchers.push(ValueMatcher::ExactBool(*flag)),
            Value::Null => condition.matchers.push(ValueMatcher::ExactNull),
            Value::Array(_) => {
                return Err("Match value must be String, number, true, false, or null".to_string())
            }
        }
    }
    if items.is_empty() {
        return Err("Empty arrays are not allowed".to_string());
    }
    Ok(condition)
}

/// EventBridge refuses wildcard patterns whose matching machine would be too costly; the
/// service's measure and threshold are unpublished. We count the stars of the distinct
/// wildcard values (plain and anything-but) that one field path carries across the rule and
/// refuse more than five: it refuses AWS's recorded `*:*:*:*:*:event-bus/*` (six) and a
/// reported rule with four two-star values on one field, and accepts the same rule split in
/// two.
fn check_complexity(sub_rules: &[SubRule]) -> Result<(), String> {
    let mut stars_by_path: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    for sub_rule in sub_rules {
        for (path, condition) in sub_rule {
            for matcher in &condition.matchers {
                let wildcards: Vec<&super::wildcard::Wildcard> = match matcher {
                    ValueMatcher::Wildcard(wildcard) => vec![wildcard],
                    ValueMatcher::AnythingBut(super::matcher::AnythingBut::Wildcards(list)) => {
                        list.iter().collect()
                    }
                    _ => continue,
                };
                let distinct = stars_by_path.entry(path.as_str()).or_default();
                for wildcard in wildcards {
                    distinct.insert(format!("{wildcard:?}"), wildcard.star_count());
                }
            }
        }
    }
    let too_complex = stars_by_path
        .values()
        .any(|distinct| distinct.values().sum::<u64>() > MAX_WILDCARD_STARS_PER_FIELD);
    if too_complex {
        Err(TOO_COMPLEX.to_string())
    } else {
        Ok(())
    }
}
