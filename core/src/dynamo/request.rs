//! Reading DynamoDB API request bodies: typed fields with AWS's serialization and validation
//! messages, and the expressions of a request parsed together (so the unused-placeholder check
//! sees all of them).

use serde_json::{Map, Value};

use super::condition::{parse_condition, Condition};
use super::expression::{ExpressionError, Path, Placeholders};
use super::projection::parse_projection;
use super::update::{parse_update, UpdateExpression};
use super::value::{item_from_wire, Item, WireError};
use super::ApiError;

pub struct Request<'a> {
    body: &'a Map<String, Value>,
}

impl<'a> Request<'a> {
    pub fn new(body: &'a Value) -> Result<Request<'a>, ApiError> {
        match body {
            Value::Object(body) => Ok(Request { body }),
            _ => Err(ApiError::new(
                "SerializationException",
                "Start of structure or map found where not expected.",
            )),
        }
    }

    pub fn get(&self, field: &str) -> Option<&'a Value> {
        self.body.get(field).filter(|v| !v.is_null())
    }

    pub fn string(&self, field: &str) -> Result<Option<&'a str>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Bool(_)) => Err(serialization("class java.lang.Boolean can not be converted to an String")),
            Some(Value::Number(_)) => Err(serialization(
                "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String",
            )),
            Some(Value::Array(_)) => Err(serialization("Start of list found where not expected")),
            Some(_) => Err(serialization("Start of structure or map found where not expected.")),
        }
    }

    pub fn boolean(&self, field: &str) -> Result<Option<bool>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) => match s.to_uppercase().as_str() {
                "TRUE" | "1" | "YES" => Ok(Some(true)),
                "FALSE" | "0" | "NO" => Ok(Some(false)),
                other => Err(serialization(&format!(
                    "'{other}' can not be converted to an Boolean"
                ))),
            },
            Some(_) => Err(serialization("Unexpected value type in payload")),
        }
    }

    pub fn integer(&self, field: &str) -> Result<Option<i64>, ApiError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(Some(
                n.as_i64()
                    .or_else(|| n.as_f64().map(|f| f.floor() as i64))
                    .unwrap_or(i64::MAX),
            )),
            Some(Value::String(_)) => Err(serialization(
                "class java.lang.String can not be converted to an Integer",
            )),
            Some(Value::Bool(_)) => Err(serialization(
                "class java.lang.Boolean can not be converted to an Integer",
            )),
            Some(_) => Err(serialization(
                "Start of structure or map found where not expected.",
            )),
        }
    }

    /// The table name, required, with DynamoDB's constraints.
    pub fn table_name(&self) -> Result<&'a str, ApiError> {
        let Some(name) = self.string("TableName")? else {
            return Err(constraint("null", "tableName", "Member must not be null"));
        };
        check_table_name(name)
    }

    /// A required attribute map (`Key`, `Item`).
    pub fn item(&self, field: &str, member: &str) -> Result<Item, ApiError> {
        let Some(value) = self.get(field) else {
            return Err(constraint("null", member, "Member must not be null"));
        };
        item_from_wire(value).map_err(wire_error)
    }

    pub fn optional_item(&self, field: &str) -> Result<Option<Item>, ApiError> {
        self.get(field)
            .map(|v| item_from_wire(v).map_err(wire_error))
            .transpose()
    }

    /// An enum field, checked against its allowed values.
    pub fn choice(
        &self,
        field: &str,
        member: &str,
        allowed: &[&str],
    ) -> Result<Option<&'a str>, ApiError> {
        let Some(value) = self.string(field)? else {
            return Ok(None);
        };
        if !allowed.contains(&value) {
            return Err(constraint(
                &format!("'{value}'"),
                member,
                &format!(
                    "Member must satisfy enum value set: [{}]",
                    allowed.join(", ")
                ),
            ));
        }
        Ok(Some(value))
    }
}

/// A table name held to DynamoDB's constraints.
pub fn check_table_name(name: &str) -> Result<&str, ApiError> {
    if name.len() < 3 {
        return Err(constraint(
            &format!("'{name}'"),
            "tableName",
            "Member must have length greater than or equal to 3",
        ));
    }
    if name.len() > 255 {
        return Err(constraint(
            &format!("'{name}'"),
            "tableName",
            "Member must have length less than or equal to 255",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(constraint(
            &format!("'{name}'"),
            "tableName",
            "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        ));
    }
    Ok(name)
}

pub fn serialization(message: &str) -> ApiError {
    ApiError::new("SerializationException", message)
}

pub fn validation(message: impl Into<String>) -> ApiError {
    ApiError::new("ValidationException", message)
}

/// `1 validation error detected: Value X at 'member' failed to satisfy constraint: ...`
pub fn constraint(value: &str, member: &str, rule: &str) -> ApiError {
    validation(format!("1 validation error detected: Value {value} at '{member}' failed to satisfy constraint: {rule}"))
}

pub fn wire_error(error: WireError) -> ApiError {
    if error.serialization {
        serialization(&error.message)
    } else {
        validation(error.message)
    }
}

/// The expressions one request carries, parsed and validated together.
#[derive(Debug, Default)]
pub struct Expressions {
    pub update: Option<UpdateExpression>,
    pub condition: Option<Condition>,
    pub key_condition: Option<Condition>,
    pub filter: Option<Condition>,
    pub projection: Option<Vec<Path>>,
}

/// DynamoDB's limit on the length of one expression string.
pub const MAX_EXPRESSION_BYTES: usize = 4096;

/// Which expression fields an operation accepts, in the order DynamoDB parses them.
pub const UPDATE_FIELDS: &[&str] = &["UpdateExpression", "ConditionExpression"];
pub const CONDITION_FIELDS: &[&str] = &["ConditionExpression"];
pub const QUERY_FIELDS: &[&str] = &[
    "KeyConditionExpression",
    "FilterExpression",
    "ProjectionExpression",
];
pub const PROJECTION_FIELDS: &[&str] = &["ProjectionExpression"];

pub fn read_expressions(request: &Request, fields: &[&str]) -> Result<Expressions, ApiError> {
    let names = request.get("ExpressionAttributeNames");
    let values = request.get("ExpressionAttributeValues");
    let mut texts = Vec::new();
    for field in fields {
        if let Some(text) = request.string(field)? {
            texts.push((*field, text));
        }
    }
    if names.is_some() && texts.is_empty() {
        return Err(validation(
            "ExpressionAttributeNames can only be specified when using expressions",
        ));
    }
    let value_fields: Vec<&str> = fields
        .iter()
        .copied()
        .filter(|f| *f != "ProjectionExpression")
        .collect();
    if values.is_some()
        && !value_fields.is_empty()
        && texts.iter().all(|(f, _)| *f == "ProjectionExpression")
    {
        let verb = if value_fields.len() > 1 { "are" } else { "is" };
        return Err(validation(format!(
            "ExpressionAttributeValues can only be specified when using expressions: {} {verb} null",
            value_fields.join(" and ")
        )));
    }
    let placeholders = Placeholders::from_request(names, values).map_err(validation)?;
    parse_expressions(texts, placeholders)
}

/// Parses and validates a request's expression texts (field name, text) against its
/// placeholders, in the order DynamoDB parses them, then checks every placeholder was used.
pub fn parse_expressions(
    texts: Vec<(&str, &str)>,
    mut placeholders: Placeholders,
) -> Result<Expressions, ApiError> {
    let mut expressions = Expressions::default();
    for (field, text) in texts {
        if text.len() > MAX_EXPRESSION_BYTES {
            return Err(validation(format!(
                "Invalid {field}: Expression size has exceeded the maximum allowed size; expression size: {}",
                text.len()
            )));
        }
        let failed = |error: ExpressionError| ApiError {
            position: error.position,
            ..validation(format!("Invalid {field}: {}", error.message))
        };
        match field {
            "UpdateExpression" => {
                expressions.update = Some(parse_update(text, &mut placeholders).map_err(failed)?)
            }
            "ConditionExpression" => {
                expressions.condition =
                    Some(parse_condition(text, &mut placeholders).map_err(failed)?)
            }
            "KeyConditionExpression" => {
                expressions.key_condition =
                    Some(parse_condition(text, &mut placeholders).map_err(failed)?)
            }
            "FilterExpression" => {
                expressions.filter = Some(parse_condition(text, &mut placeholders).map_err(failed)?)
            }
            _ => {
                expressions.projection =
                    Some(parse_projection(text, &mut placeholders).map_err(failed)?)
            }
        }
    }
    placeholders.check_all_used().map_err(validation)?;
    Ok(expressions)
}
