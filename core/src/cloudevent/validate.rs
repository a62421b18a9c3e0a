//! Validation of a CloudEvent in the JSON event format against CloudEvents 1.0.2: required
//! attributes, value types, attribute naming, data versus data_base64, and the tracing and
//! correlation extensions.
//!
//! Owns the list of problems and their wording: one line each, naming the attribute and
//! why. It must never stop at the first problem, and never report a SHOULD as a problem.

use std::fmt;

use serde_json::{Map, Value};

use super::syntax::{
    is_absolute_uri, is_base64, is_json_media_type, is_media_type, is_rfc3339, is_uri_reference,
    string_problem,
};

/// One thing wrong with an event: the attribute (or member) and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub attribute: String,
    pub reason: String,
}

impl Problem {
    fn new(attribute: &str, reason: impl Into<String>) -> Problem {
        Problem {
            attribute: attribute.to_string(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}", self.attribute, self.reason)
    }
}

/// The attributes the spec defines, in its order; every other member is an extension.
pub const CONTEXT_ATTRIBUTES: [&str; 8] = [
    "specversion",
    "id",
    "source",
    "type",
    "datacontenttype",
    "dataschema",
    "subject",
    "time",
];

/// A member that is absent or `null` is unset, as the JSON format says.
fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).filter(|value| !value.is_null())
}

/// Checks a member that must be a String; returns its text when it is one.
fn string_member<'v>(
    object: &'v Map<String, Value>,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Option<&'v str> {
    let value = member(object, name)?;
    let Value::String(text) = value else {
        problems.push(Problem::new(name, "must be a String"));
        return None;
    };
    if let Some(reason) = string_problem(text) {
        problems.push(Problem::new(name, reason));
    }
    Some(text)
}

/// Every problem of a JSON-format event, in a fixed order: the spec's attributes in its
/// order, then data, then extensions by name.
pub fn validate_json(event: &Value) -> Vec<Problem> {
    let Value::Object(object) = event else {
        return vec![Problem::new("event", "must be a JSON object")];
    };
    let mut problems = Vec::new();
    check_required(object, &mut problems);
    check_optional(object, &mut problems);
    check_data(object, &mut problems);
    for (name, value) in object {
        let reserved =
            CONTEXT_ATTRIBUTES.contains(&name.as_str()) || name == "data" || name == "data_base64";
        if !reserved && !value.is_null() {
            check_extension(name, value, &mut problems);
        }
    }
    problems
}

fn check_required(object: &Map<String, Value>, problems: &mut Vec<Problem>) {
    match string_member(object, "specversion", problems) {
        None if member(object, "specversion").is_none() => {
            problems.push(Problem::new("specversion", "is required"));
        }
        Some(version) if version != "1.0" => problems.push(Problem::new(
            "specversion",
            format!("must be \"1.0\" for CloudEvents 1.0.2, not \"{version}\""),
        )),
        _ => {}
    }
    for name in ["id", "type"] {
        match string_member(object, name, problems) {
            None if member(object, name).is_none() => {
                problems.push(Problem::new(name, "is required"));
            }
            Some("") => problems.push(Problem::new(name, "must be a non-empty String")),
            _ => {}
        }
    }
    match string_member(object, "source", problems) {
        None if member(object, "source").is_none() => {
            problems.push(Problem::new("source", "is required"));
        }
        Some(source) if source.is_empty() || !is_uri_reference(source) => {
            problems.push(Problem::new(
                "source",
                "must be a non-empty URI-reference (RFC 3986)",
            ));
        }
        _ => {}
    }
}

fn check_optional(object: &Map<String, Value>, problems: &mut Vec<Problem>) {
    if let Some(media_type) = string_member(object, "datacontenttype", problems) {
        if !is_media_type(media_type) {
            problems.push(Problem::new(
                "datacontenttype",
                "must be a media type (RFC 2046), such as application/json",
            ));
        }
    }
    if let Some(schema) = string_member(object, "dataschema", problems) {
        if schema.is_empty() || !is_absolute_uri(schema) {
            problems.push(Problem::new(
                "dataschema",
                "must be a non-empty absolute URI (RFC 3986)",
            ));
        }
    }
    if string_member(object, "subject", problems) == Some("") {
        problems.push(Problem::new("subject", "must be a non-empty String"));
    }
    if let Some(time) = string_member(object, "time", problems) {
        if !is_rfc3339(time) {
            problems.push(Problem::new(
                "time",
                "must be an RFC 3339 timestamp, such as 2024-05-01T12:00:00Z",
            ));
        }
    }
}

fn check_data(object: &Map<String, Value>, problems: &mut Vec<Problem>) {
    let data = member(object, "data");
    let binary = member(object, "data_base64");
    if data.is_some() && binary.is_some() {
        problems.push(Problem::new(
            "data",
            "must not be present together with data_base64 (they are mutually exclusive)",
        ));
    }
    if let Some(binary) = binary {
        if !binary.as_str().is_some_and(is_base64) {
            problems.push(Problem::new(
                "data_base64",
                "must be a String of base64 (RFC 4648) text",
            ));
        }
    }
    let declared = member(object, "datacontenttype").and_then(Value::as_str);
    if let (Some(data), Some(media_type)) = (data, declared) {
        if is_media_type(media_type) && !is_json_media_type(media_type) && !data.is_string() {
            problems.push(Problem::new(
                "data",
                format!("must be a JSON string, since datacontenttype {media_type} is not JSON"),
            ));
        }
    }
}

fn check_extension(name: &str, value: &Value, problems: &mut Vec<Problem>) {
    let well_named = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit());
    if !well_named {
        problems.push(Problem::new(
            name,
            "attribute names must consist of lower-case ASCII letters and digits only",
        ));
    }
    match value {
        Value::String(text) => {
            if let Some(reason) = string_problem(text) {
                problems.push(Problem::new(name, reason));
            }
            check_known_extension(name, text, problems);
        }
        Value::Bool(_) => {}
        Value::Number(number) => {
            let fits = number
                .as_i64()
                .is_some_and(|whole| i32::try_from(whole).is_ok());
            if !fits {
                problems.push(Problem::new(
                    name,
                    "an Integer must be a whole number within 32 bits (signed)",
                ));
            }
        }
        _ => problems.push(Problem::new(
            name,
            "extension values must be a String, Boolean or Integer, never an object or array",
        )),
    }
}

fn is_hex(text: &str, length: usize) -> bool {
    text.len() == length
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

fn check_known_extension(name: &str, text: &str, problems: &mut Vec<Problem>) {
    match name {
        "traceparent" => {
            let parts: Vec<&str> = text.split('-').collect();
            let well_formed = matches!(parts.as_slice(),
                [version, trace, span, flags]
                    if is_hex(version, 2) && is_hex(trace, 32) && is_hex(span, 16)
                        && is_hex(flags, 2));
            if !well_formed {
                problems.push(Problem::new(
                    name,
                    "must be a W3C traceparent: 00-<32 hex trace-id>-<16 hex span-id>-<2 hex flags>",
                ));
            }
        }
        "correlationid" | "causationid" | "partitionkey" if text.is_empty() => {
            problems.push(Problem::new(name, "must be a non-empty String"));
        }
        _ => {}
    }
}
