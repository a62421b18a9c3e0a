//! The single-item operations (GetItem, PutItem, UpdateItem, DeleteItem) and CreateTable, from
//! a DynamoDB API request body to a response body or an error, in DynamoDB's order of checks:
//! request shape, expressions, table and key, capacity, condition, then the write.

use std::rc::Rc;

use serde_json::{json, Value};

use super::capacity::{read_cost_milli_units, write_cost_milli_units, THROTTLED_MESSAGE};
use super::condition::{evaluate, Condition};
use super::projection::project;
use super::request::{
    constraint, validation, Expressions, Request, CONDITION_FIELDS, PROJECTION_FIELDS,
    UPDATE_FIELDS,
};
use super::table::{KeyAttribute, KeySchema, KeyType, PrimaryKey, StreamViewType, Table};
use super::update::{apply_update, UpdateExpression};
use super::value::{item_size, item_to_value, Item};
use super::{ApiError, Database};

/// DynamoDB's item size limit.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

pub const RETURN_VALUES: &[&str] = &["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"];
pub const ON_FAILURE_VALUES: &[&str] = &["NONE", "ALL_OLD"];

pub fn throttled() -> ApiError {
    ApiError::new("ProvisionedThroughputExceededException", THROTTLED_MESSAGE)
}

/// The ConditionalCheckFailedException for `old`, carrying the item when asked for.
pub fn condition_failed(old: Option<&Item>, return_old: bool) -> ApiError {
    ApiError {
        item: old.filter(|_| return_old).map(item_to_value),
        ..ApiError::new(
            "ConditionalCheckFailedException",
            "The conditional request failed",
        )
    }
}

/// True when there is no condition or it holds for `old` (a missing item is an empty one).
pub fn condition_holds(condition: Option<&Condition>, old: Option<&Item>) -> bool {
    let empty = Item::new();
    condition.is_none_or(|c| evaluate(c, old.unwrap_or(&empty)))
}

fn return_old_on_failure(request: &Request) -> Result<bool, ApiError> {
    let choice = request.choice(
        "ReturnValuesOnConditionCheckFailure",
        "returnValuesOnConditionCheckFailure",
        ON_FAILURE_VALUES,
    )?;
    Ok(choice == Some("ALL_OLD"))
}

fn put_or_delete_return_values<'a>(request: &Request<'a>) -> Result<&'a str, ApiError> {
    let choice = request
        .choice("ReturnValues", "returnValues", RETURN_VALUES)?
        .unwrap_or("NONE");
    if choice != "NONE" && choice != "ALL_OLD" {
        return Err(validation("ReturnValues can only be ALL_OLD or NONE"));
    }
    Ok(choice)
}

/// What a single-item operation answers, before it is written as a response body: the item
/// (GetItem) or the attributes (a write's ReturnValues) it returns, kept as items, so the
/// simulator can read them without writing them in the wire shape and reading them back.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// GetItem: the item found (projected), if any.
    Item(Option<Item>),
    /// PutItem, UpdateItem, DeleteItem: the attributes ReturnValues asked for, never empty.
    Attributes(Option<Item>),
    /// Any other operation: its response body.
    Body(Value),
}

impl Answer {
    fn attributes(attributes: Option<Item>) -> Answer {
        Answer::Attributes(attributes.filter(|a| !a.is_empty()))
    }

    /// The response body DynamoDB would send.
    pub fn to_body(&self) -> Value {
        let member = |name: &str, item: &Item| {
            Value::Object(std::iter::once((name.to_string(), item_to_value(item))).collect())
        };
        match self {
            Answer::Item(Some(item)) => member("Item", item),
            Answer::Attributes(Some(attributes)) => member("Attributes", attributes),
            Answer::Item(None) | Answer::Attributes(None) => json!({}),
            Answer::Body(body) => body.clone(),
        }
    }

    /// The response body, moved out when it is one.
    pub fn into_body(self) -> Value {
        match self {
            Answer::Body(body) => body,
            other => other.to_body(),
        }
    }
}

fn charge_write(
    table: &mut Table,
    key: &PrimaryKey,
    size: usize,
    at_ms: u64,
) -> Result<(), ApiError> {
    if table.take_write_capacity(&key.0, write_cost_milli_units(size, false), at_ms) {
        Ok(())
    } else {
        Err(throttled())
    }
}

pub fn put_item(database: &mut Database, body: &Value, at_ms: u64) -> Result<Answer, ApiError> {
    let request = Request::new(body)?;
    let table_name = request.table_name()?;
    let item = request.item("Item", "item")?;
    let return_values = put_or_delete_return_values(&request)?;
    let return_old = return_old_on_failure(&request)?;
    let expressions = database.expressions.read(&request, CONDITION_FIELDS)?;
    let table = database.table_mut(table_name);
    let key = table.key_of_item(&item).map_err(validation)?;
    if item_size(&item) > MAX_ITEM_BYTES {
        return Err(validation(
            "Item size has exceeded the maximum allowed size",
        ));
    }
    let old = table.get(&key).cloned();
    charge_write(
        table,
        &key,
        item_size(&item).max(old.as_ref().map_or(0, item_size)),
        at_ms,
    )?;
    if !condition_holds(expressions.condition.as_ref(), old.as_ref()) {
        return Err(condition_failed(old.as_ref(), return_old));
    }
    let record = table.write(&key, Some(item), at_ms);
    database.push_record(record);
    Ok(Answer::attributes(
        old.filter(|_| return_values == "ALL_OLD"),
    ))
}

pub fn delete_item(database: &mut Database, body: &Value, at_ms: u64) -> Result<Answer, ApiError> {
    let request = Request::new(body)?;
    let table_name = request.table_name()?;
    let key_map = request.item("Key", "key")?;
    let return_values = put_or_delete_return_values(&request)?;
    let return_old = return_old_on_failure(&request)?;
    let expressions = database.expressions.read(&request, CONDITION_FIELDS)?;
    let table = database.table_mut(table_name);
    let key = table.key_from_map(&key_map).map_err(validation)?;
    let old = table.get(&key).cloned();
    charge_write(table, &key, old.as_ref().map_or(0, item_size), at_ms)?;
    if !condition_holds(expressions.condition.as_ref(), old.as_ref()) {
        return Err(condition_failed(old.as_ref(), return_old));
    }
    let record = table.write(&key, None, at_ms);
    database.push_record(record);
    Ok(Answer::attributes(
        old.filter(|_| return_values == "ALL_OLD"),
    ))
}

/// The check that an update leaves key attributes alone.
pub fn check_key_untouched(schema: &KeySchema, update: &UpdateExpression) -> Result<(), ApiError> {
    for path in update.paths() {
        if schema.is_key_attribute(path.head()) {
            return Err(validation(format!(
                "One or more parameter values were invalid: Cannot update attribute {}. This attribute is part of the key",
                path.head()
            )));
        }
    }
    Ok(())
}

/// The item an update produces from `old` (or from the bare key for an upsert).
pub fn updated_item(
    table: &Table,
    key: &PrimaryKey,
    old: Option<&Item>,
    update: Option<&UpdateExpression>,
) -> Result<Item, ApiError> {
    // An update makes its own copy of what it starts from: the old item is read in place.
    let new_item = match (update, old) {
        (Some(update), Some(old)) => apply_update(update, old).map_err(validation)?,
        (Some(update), None) => apply_update(update, &table.key_item(key)).map_err(validation)?,
        (None, old) => old.cloned().unwrap_or_else(|| table.key_item(key)),
    };
    if item_size(&new_item) > MAX_ITEM_BYTES {
        return Err(validation(
            "Item size to update has exceeded the maximum allowed size",
        ));
    }
    Ok(new_item)
}

pub fn update_item(database: &mut Database, body: &Value, at_ms: u64) -> Result<Answer, ApiError> {
    let request = Request::new(body)?;
    let table_name = request.table_name()?;
    let key = request.item("Key", "key")?;
    let return_values = request
        .choice("ReturnValues", "returnValues", RETURN_VALUES)?
        .unwrap_or("NONE");
    let return_old = return_old_on_failure(&request)?;
    let expressions = database.expressions.read(&request, UPDATE_FIELDS)?;
    let update = CheckedUpdate {
        table_name,
        key,
        return_values,
        return_old,
        expressions,
    };
    apply_checked_update(database, update, at_ms)
}

/// An UpdateItem request once its fields are read and checked and its expressions parsed:
/// whether it came as a request body or as typed parts, what happens next is the same.
pub struct CheckedUpdate<'a> {
    pub table_name: &'a str,
    pub key: Item,
    pub return_values: &'a str,
    pub return_old: bool,
    pub expressions: Rc<Expressions>,
}

/// The rest of UpdateItem, from the table and key on.
pub fn apply_checked_update(
    database: &mut Database,
    update: CheckedUpdate<'_>,
    at_ms: u64,
) -> Result<Answer, ApiError> {
    let CheckedUpdate {
        table_name,
        key: key_map,
        return_values,
        return_old,
        expressions,
    } = update;
    let table = database.table_mut(table_name);
    let key = table.key_from_map(&key_map).map_err(validation)?;
    if let Some(update) = &expressions.update {
        check_key_untouched(&table.schema, update)?;
    }
    let old_size = table.get(&key).map_or(0, item_size);
    charge_write(table, &key, old_size, at_ms)?;
    // The old item is read in place; it is only copied when the answer returns it.
    let old = table.get(&key);
    if !condition_holds(expressions.condition.as_ref(), old) {
        return Err(condition_failed(old, return_old));
    }
    let new_item = updated_item(table, &key, old, expressions.update.as_ref())?;
    let updated_paths = || -> Vec<_> {
        expressions
            .update
            .as_ref()
            .map(|u| u.paths().into_iter().cloned().collect())
            .unwrap_or_default()
    };
    let old_returned = match return_values {
        "ALL_OLD" => old.cloned(),
        "UPDATED_OLD" => old.map(|o| project(o, &updated_paths())),
        _ => None,
    };
    let new_returned = match return_values {
        "ALL_NEW" => Some(new_item.clone()),
        "UPDATED_NEW" => Some(project(&new_item, &updated_paths())),
        _ => None,
    };
    let record = table.write(&key, Some(new_item), at_ms);
    database.push_record(record);
    Ok(Answer::attributes(old_returned.or(new_returned)))
}

pub fn get_item(database: &mut Database, body: &Value, at_ms: u64) -> Result<Answer, ApiError> {
    let request = Request::new(body)?;
    let table_name = request.table_name()?;
    let key_map = request.item("Key", "key")?;
    let consistent = request.boolean("ConsistentRead")?.unwrap_or(false);
    let expressions = database.expressions.read(&request, PROJECTION_FIELDS)?;
    let table = database.table_mut(table_name);
    let key = table.key_from_map(&key_map).map_err(validation)?;
    let item = table.get(&key).cloned();
    let cost = read_cost_milli_units(item.as_ref().map_or(0, item_size), consistent, false);
    if !table.take_read_capacity(&key.0, cost, at_ms) {
        return Err(throttled());
    }
    Ok(Answer::Item(item.map(
        |item| match &expressions.projection {
            Some(paths) => project(&item, paths),
            None => item,
        },
    )))
}

pub fn create_table(database: &mut Database, body: &Value) -> Result<Value, ApiError> {
    let request = Request::new(body)?;
    let table_name = request.table_name()?;
    let schema = read_key_schema(&request)?;
    let stream = read_stream_specification(&request)?;
    if database.has_table(table_name) {
        return Err(ApiError::new(
            "ResourceInUseException",
            format!("Table already exists: {table_name}"),
        ));
    }
    database.create(table_name, schema, stream);
    Ok(json!({}))
}

fn read_key_schema(request: &Request) -> Result<KeySchema, ApiError> {
    let Some(Value::Array(elements)) = request.get("KeySchema") else {
        return Err(constraint("null", "keySchema", "Member must not be null"));
    };
    let definitions: Vec<(String, String)> = match request.get("AttributeDefinitions") {
        Some(Value::Array(definitions)) => definitions
            .iter()
            .map(|d| (text_of(d, "AttributeName"), text_of(d, "AttributeType")))
            .collect(),
        _ => {
            return Err(constraint(
                "null",
                "attributeDefinitions",
                "Member must not be null",
            ))
        }
    };
    let mut hash = None;
    let mut range = None;
    for element in elements {
        let name = text_of(element, "AttributeName");
        match text_of(element, "KeyType").as_str() {
            "HASH" if hash.is_none() => hash = Some(name),
            "RANGE" if range.is_none() => range = Some(name),
            _ => {
                return Err(validation(
                    "Invalid KeySchema: Some index key attribute have no definition",
                ))
            }
        }
    }
    let Some(hash) = hash else {
        return Err(validation(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    };
    let attribute = |name: String| -> Result<KeyAttribute, ApiError> {
        let definition = definitions.iter().find(|(n, _)| *n == name);
        let key_type = definition.and_then(|(_, t)| KeyType::parse(t)).ok_or_else(|| {
            let keys: Vec<&str> = elements.iter().filter_map(|e| e.get("AttributeName")?.as_str()).collect();
            let defined: Vec<&str> = definitions.iter().map(|(n, _)| n.as_str()).collect();
            validation(format!(
                "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
                keys.join(", "),
                defined.join(", ")
            ))
        })?;
        Ok(KeyAttribute { name, key_type })
    };
    Ok(KeySchema {
        partition: attribute(hash)?,
        sort: range.map(attribute).transpose()?,
    })
}

fn read_stream_specification(request: &Request) -> Result<Option<StreamViewType>, ApiError> {
    let Some(specification) = request.get("StreamSpecification") else {
        return Ok(None);
    };
    if specification.get("StreamEnabled").and_then(Value::as_bool) != Some(true) {
        return Ok(None);
    }
    let view = specification
        .get("StreamViewType")
        .and_then(Value::as_str)
        .unwrap_or("");
    StreamViewType::parse(view).map(Some).ok_or_else(|| {
        validation("One or more parameter values were invalid: You must specify a StreamViewType when enabling a stream")
    })
}

fn text_of(value: &Value, field: &str) -> String {
    value
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}
