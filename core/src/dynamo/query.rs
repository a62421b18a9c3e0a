//! Query: one partition, read in sort-key order (or reversed), narrowed by the key condition's
//! sort-key part, cut at `Limit` items read (before the filter, as DynamoDB counts), then
//! filtered and projected. `LastEvaluatedKey` is returned whenever the limit stopped the read.

use std::cmp::Ordering;

use serde_json::{json, Value};

use super::capacity::read_cost_milli_units;
use super::condition::{evaluate, order, Comparator, Condition, Operand};
use super::expression::Path;
use super::operations::throttled;
use super::projection::project;
use super::request::{constraint, read_expressions, validation, Request, QUERY_FIELDS};
use super::table::{KeySchema, KeyValue, Table};
use super::value::{item_size, item_to_value, AttributeValue};
use super::{ApiError, Database};

/// The sort-key part of a key condition.
#[derive(Debug, Clone, PartialEq)]
pub enum SortCondition {
    Compare(Comparator, AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

impl SortCondition {
    fn matches(&self, value: &AttributeValue) -> bool {
        match self {
            SortCondition::Compare(comparator, bound) => match order(value, bound) {
                Some(found) => match comparator {
                    Comparator::Equal => found == Ordering::Equal,
                    Comparator::Less => found == Ordering::Less,
                    Comparator::LessOrEqual => found != Ordering::Greater,
                    Comparator::Greater => found == Ordering::Greater,
                    Comparator::GreaterOrEqual => found != Ordering::Less,
                    Comparator::NotEqual => found != Ordering::Equal,
                },
                None => false,
            },
            SortCondition::Between(low, high) => {
                order(low, value).is_some_and(|o| o != Ordering::Greater)
                    && order(value, high).is_some_and(|o| o != Ordering::Greater)
            }
            SortCondition::BeginsWith(prefix) => match (value, prefix) {
                (AttributeValue::S(s), AttributeValue::S(p)) => s.starts_with(p.as_str()),
                (AttributeValue::B(b), AttributeValue::B(p)) => b.starts_with(p),
                _ => false,
            },
        }
    }
}

struct KeyLeaf {
    attribute: String,
    condition: SortCondition,
}

fn invalid_operator(name: &str) -> String {
    format!("Invalid operator used in KeyConditionExpression: {name}")
}

/// Splits a key condition into its leaves, with DynamoDB's messages for what a key condition
/// cannot hold.
fn key_leaves(condition: &Condition, leaves: &mut Vec<KeyLeaf>) -> Result<(), String> {
    let single_path = |operands: &[&Operand]| -> Result<(usize, String), String> {
        let mut found = None;
        for (index, operand) in operands.iter().enumerate() {
            match operand {
                Operand::Size(_) => {
                    return Err(
                        "KeyConditionExpressions cannot contain nested operations".to_string()
                    )
                }
                Operand::Path(path) => {
                    if found.is_some() {
                        return Err("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition".to_string());
                    }
                    if path.elements.len() > 1 {
                        return Err(
                            "KeyConditionExpressions cannot have conditions on nested attributes"
                                .to_string(),
                        );
                    }
                    found = Some((index, path.head().to_string()));
                }
                Operand::Value(_) => {}
            }
        }
        found.ok_or_else(|| {
            "Invalid condition in KeyConditionExpression: No key attribute specified".to_string()
        })
    };
    let value_of = |operand: &Operand| match operand {
        Operand::Value(value) => value.clone(),
        _ => AttributeValue::Null,
    };
    let leaf = match condition {
        Condition::And(a, b) => {
            key_leaves(a, leaves)?;
            return key_leaves(b, leaves);
        }
        Condition::Or(..) => return Err(invalid_operator("OR")),
        Condition::Not(..) => return Err(invalid_operator("NOT")),
        Condition::In(..) => return Err(invalid_operator("IN")),
        Condition::Compare(Comparator::NotEqual, ..) => return Err(invalid_operator("<>")),
        Condition::AttributeExists(_) => return Err(invalid_operator("attribute_exists")),
        Condition::AttributeNotExists(_) => return Err(invalid_operator("attribute_not_exists")),
        Condition::AttributeType(..) => return Err(invalid_operator("attribute_type")),
        Condition::Contains(..) => return Err(invalid_operator("contains")),
        Condition::Compare(comparator, a, b) => {
            let (index, attribute) = single_path(&[a, b])?;
            let (comparator, bound) = if index == 0 {
                (*comparator, value_of(b))
            } else {
                (comparator.flipped(), value_of(a))
            };
            KeyLeaf {
                attribute,
                condition: SortCondition::Compare(comparator, bound),
            }
        }
        Condition::Between(value, low, high) => {
            if !matches!(value, Operand::Path(_)) {
                return Err("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand".to_string());
            }
            let (_, attribute) = single_path(&[value, low, high])?;
            KeyLeaf {
                attribute,
                condition: SortCondition::Between(value_of(low), value_of(high)),
            }
        }
        Condition::BeginsWith(value, prefix) => {
            if !matches!(value, Operand::Path(_)) {
                return Err("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand".to_string());
            }
            let (_, attribute) = single_path(&[value, prefix])?;
            KeyLeaf {
                attribute,
                condition: SortCondition::BeginsWith(value_of(prefix)),
            }
        }
    };
    if leaves.iter().any(|l| l.attribute == leaf.attribute) {
        return Err("KeyConditionExpressions must only contain one condition per key".to_string());
    }
    leaves.push(leaf);
    Ok(())
}

/// The partition to read and the sort-key condition, checked against the table's schema.
pub fn key_condition(
    condition: &Condition,
    schema: &KeySchema,
) -> Result<(KeyValue, Option<SortCondition>), String> {
    let mut leaves = Vec::new();
    key_leaves(condition, &mut leaves)?;
    let partition_name = &schema.partition.name;
    let Some(partition_leaf) = leaves.iter().find(|l| &l.attribute == partition_name) else {
        return Err(format!(
            "Query condition missed key schema element: {partition_name}"
        ));
    };
    let SortCondition::Compare(Comparator::Equal, value) = &partition_leaf.condition else {
        return Err("Query key condition not supported".to_string());
    };
    let type_mismatch = "One or more parameter values were invalid: Condition parameter type does not match schema type";
    let partition =
        KeyValue::from_attribute(value, schema.partition.key_type).ok_or(type_mismatch)?;
    let mut sort = None;
    for leaf in leaves.iter().filter(|l| &l.attribute != partition_name) {
        let Some(sort_attribute) = schema.sort.as_ref().filter(|s| s.name == leaf.attribute) else {
            return Err(match &schema.sort {
                Some(sort) => format!("Query condition missed key schema element: {}", sort.name),
                None => "Query key condition not supported".to_string(),
            });
        };
        let bounds: Vec<&AttributeValue> = match &leaf.condition {
            SortCondition::Compare(_, v) | SortCondition::BeginsWith(v) => vec![v],
            SortCondition::Between(a, b) => vec![a, b],
        };
        if bounds
            .iter()
            .any(|v| KeyValue::from_attribute(v, sort_attribute.key_type).is_none())
        {
            return Err(type_mismatch.to_string());
        }
        sort = Some(leaf.condition.clone());
    }
    Ok((partition, sort))
}

fn filter_uses_key(condition: &Condition, schema: &KeySchema) -> Option<String> {
    let mut paths: Vec<&Path> = Vec::new();
    collect_paths(condition, &mut paths);
    paths
        .iter()
        .find(|p| schema.is_key_attribute(p.head()))
        .map(|p| p.head().to_string())
}

fn collect_paths<'a>(condition: &'a Condition, paths: &mut Vec<&'a Path>) {
    let operand = |operand: &'a Operand, paths: &mut Vec<&'a Path>| {
        let mut current = operand;
        while let Operand::Size(inner) = current {
            current = inner;
        }
        if let Operand::Path(path) = current {
            paths.push(path);
        }
    };
    match condition {
        Condition::Or(a, b) | Condition::And(a, b) => {
            collect_paths(a, paths);
            collect_paths(b, paths);
        }
        Condition::Not(inner) => collect_paths(inner, paths),
        Condition::Compare(_, a, b)
        | Condition::AttributeType(a, b)
        | Condition::BeginsWith(a, b)
        | Condition::Contains(a, b) => {
            operand(a, paths);
            operand(b, paths);
        }
        Condition::Between(a, b, c) => {
            for o in [a, b, c] {
                operand(o, paths);
            }
        }
        Condition::In(a, list) => {
            operand(a, paths);
            for o in list {
                operand(o, paths);
            }
        }
        Condition::AttributeExists(path) | Condition::AttributeNotExists(path) => paths.push(path),
    }
}

pub fn query(database: &mut Database, body: &Value, at_ms: u64) -> Result<Value, ApiError> {
    let request = Request::new(body)?;
    let table_name = request.table_name()?;
    let limit = request.integer("Limit")?;
    if let Some(limit) = limit.filter(|l| *l < 1) {
        return Err(constraint(
            &format!("'{limit}'"),
            "limit",
            "Member must have value greater than or equal to 1",
        ));
    }
    let forward = request.boolean("ScanIndexForward")?.unwrap_or(true);
    let consistent = request.boolean("ConsistentRead")?.unwrap_or(false);
    let select = request.choice(
        "Select",
        "select",
        &[
            "ALL_ATTRIBUTES",
            "ALL_PROJECTED_ATTRIBUTES",
            "SPECIFIC_ATTRIBUTES",
            "COUNT",
        ],
    )?;
    let start_key = request.optional_item("ExclusiveStartKey")?;
    let expressions = read_expressions(&request, QUERY_FIELDS)?;
    let Some(key_expression) = &expressions.key_condition else {
        return Err(validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."));
    };
    let table = database.table_mut(table_name);
    let (partition, sort) = key_condition(key_expression, &table.schema).map_err(validation)?;
    if let Some(name) = expressions
        .filter
        .as_ref()
        .and_then(|f| filter_uses_key(f, &table.schema))
    {
        return Err(validation(format!(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: {name}"
        )));
    }
    let start = match &start_key {
        Some(key) => Some(
            table
                .key_from_map(key)
                .map_err(|_| validation("The provided starting key is invalid: The provided key element does not match the schema"))?,
        ),
        None => None,
    };
    let outcome = read_partition(
        table,
        &partition,
        sort.as_ref(),
        forward,
        start,
        limit.map(|l| l as usize),
    );
    let cost = read_cost_milli_units(outcome.bytes_read, consistent, false);
    if !table.take_read_capacity(&partition, cost, at_ms) {
        return Err(throttled());
    }
    let items: Vec<Value> = outcome
        .items
        .iter()
        .filter(|item| {
            expressions
                .filter
                .as_ref()
                .is_none_or(|f| evaluate(f, item))
        })
        .map(|item| match &expressions.projection {
            Some(paths) => item_to_value(&project(item, paths)),
            None => item_to_value(item),
        })
        .collect();
    let mut response = json!({ "Count": items.len(), "ScannedCount": outcome.items.len() });
    if select != Some("COUNT") {
        response["Items"] = Value::Array(items);
    }
    if let Some(last) = outcome.last_key {
        response["LastEvaluatedKey"] = item_to_value(&last);
    }
    Ok(response)
}

struct PartitionRead {
    items: Vec<super::value::Item>,
    bytes_read: usize,
    last_key: Option<super::value::Item>,
}

fn read_partition(
    table: &Table,
    partition: &KeyValue,
    sort: Option<&SortCondition>,
    forward: bool,
    start: Option<super::table::PrimaryKey>,
    limit: Option<usize>,
) -> PartitionRead {
    let sort_name = table.schema.sort.as_ref().map(|s| s.name.clone());
    let mut rows = table.partition(partition);
    if !forward {
        rows.reverse();
    }
    let mut read = PartitionRead {
        items: Vec::new(),
        bytes_read: 0,
        last_key: None,
    };
    for (key, item) in rows {
        if let Some(start) = &start {
            let past = if forward { key > start } else { key < start };
            if !past {
                continue;
            }
        }
        if let (Some(condition), Some(name)) = (sort, &sort_name) {
            if !item.get(name).is_some_and(|v| condition.matches(v)) {
                continue;
            }
        }
        read.bytes_read += item_size(item);
        read.items.push(item.clone());
        if limit == Some(read.items.len()) {
            read.last_key = Some(table.key_item(key));
            break;
        }
    }
    read
}
