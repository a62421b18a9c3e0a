//! TransactWriteItems: up to 100 Put / Update / Delete / ConditionCheck actions on distinct
//! items, all applied or none. Every action is validated first (a bad one fails the whole
//! request with ValidationException); then every condition is checked against the current items,
//! and any failure cancels the transaction with one CancellationReasons entry per action, in
//! request order. A ClientRequestToken makes a successful call idempotent for 10 minutes of
//! virtual time after it completed.

use serde_json::{json, Value};

use super::capacity::write_cost_milli_units;
use super::condition::Condition;
use super::operations::{
    check_key_untouched, condition_holds, updated_item, MAX_ITEM_BYTES, ON_FAILURE_VALUES,
};
use super::request::{read_expressions, validation, Request, CONDITION_FIELDS, UPDATE_FIELDS};
use super::table::PrimaryKey;
use super::update::UpdateExpression;
use super::value::{item_size, item_to_value, Item};
use super::{ApiError, Database};

/// How long a ClientRequestToken is remembered after the call completed.
pub const TOKEN_WINDOW_MS: u64 = 10 * 60 * 1000;

const MISMATCH_MESSAGE: &str = "DynamoDB rejected the request because you retried a request with a different payload but with an idempotent token that was already used.";

/// A completed idempotent call: what it asked and when it finished.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub request: Value,
    pub completed_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ActionKind {
    Put,
    Update,
    Delete,
    ConditionCheck,
}

struct Action {
    kind: ActionKind,
    table_name: String,
    key: PrimaryKey,
    item: Option<Item>,
    update: Option<UpdateExpression>,
    condition: Option<Condition>,
    return_old: bool,
}

pub fn transact_write_items(
    database: &mut Database,
    body: &Value,
    at_ms: u64,
) -> Result<Value, ApiError> {
    let request = Request::new(body)?;
    let token = request.string("ClientRequestToken")?.map(str::to_string);
    let entries = match request.get("TransactItems") {
        Some(Value::Array(entries)) => entries,
        Some(_) => return Err(super::request::serialization("Expected list or null")),
        None => {
            return Err(super::request::constraint(
                "null",
                "transactItems",
                "Member must not be null",
            ));
        }
    };
    if entries.is_empty() {
        return Err(super::request::constraint(
            "'[]'",
            "transactItems",
            "Member must have length greater than or equal to 1",
        ));
    }
    if entries.len() > 100 {
        return Err(validation(
            "1 validation error detected at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100.",
        ));
    }
    if let Some(token) = &token {
        if let Some(previous) = database.tokens.get(token) {
            if at_ms.saturating_sub(previous.completed_ms) <= TOKEN_WINDOW_MS {
                if previous.request == *body {
                    return Ok(json!({}));
                }
                return Err(ApiError::new(
                    "IdempotentParameterMismatchException",
                    MISMATCH_MESSAGE,
                ));
            }
        }
    }
    let mut actions = Vec::with_capacity(entries.len());
    for entry in entries {
        actions.push(read_action(database, entry)?);
    }
    for (index, action) in actions.iter().enumerate() {
        if actions[..index]
            .iter()
            .any(|a| a.table_name == action.table_name && a.key == action.key)
        {
            return Err(validation(
                "Transaction request cannot include multiple operations on one item",
            ));
        }
    }
    let writes = check_actions(database, &actions, at_ms)?;
    for (action, new_item) in actions.iter().zip(writes) {
        if action.kind == ActionKind::ConditionCheck {
            continue;
        }
        let table = database.table_mut(&action.table_name);
        let record = table.write(&action.key, new_item, at_ms);
        database.push_record(record);
    }
    if let Some(token) = token {
        database.tokens.insert(
            token,
            TokenRecord {
                request: body.clone(),
                completed_ms: at_ms,
            },
        );
    }
    Ok(json!({}))
}

fn read_action(database: &mut Database, entry: &Value) -> Result<Action, ApiError> {
    let names = ["ConditionCheck", "Put", "Update", "Delete"];
    let present: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| entry.get(n).is_some_and(|v| !v.is_null()))
        .collect();
    if present.len() != 1 {
        return Err(validation(
            "TransactItems can only contain one of Check, Put, Update or Delete",
        ));
    }
    let kind = match present[0] {
        "ConditionCheck" => ActionKind::ConditionCheck,
        "Put" => ActionKind::Put,
        "Update" => ActionKind::Update,
        _ => ActionKind::Delete,
    };
    let request = Request::new(&entry[present[0]])?;
    let table_name = request.table_name()?.to_string();
    let return_old = request.choice(
        "ReturnValuesOnConditionCheckFailure",
        "returnValuesOnConditionCheckFailure",
        ON_FAILURE_VALUES,
    )? == Some("ALL_OLD");
    let item = if kind == ActionKind::Put {
        Some(request.item("Item", "item")?)
    } else {
        None
    };
    let key_map = if kind == ActionKind::Put {
        None
    } else {
        Some(request.item("Key", "key")?)
    };
    let fields = if kind == ActionKind::Update {
        UPDATE_FIELDS
    } else {
        CONDITION_FIELDS
    };
    if kind == ActionKind::ConditionCheck && request.get("ConditionExpression").is_none() {
        return Err(super::request::constraint(
            "null",
            "conditionExpression",
            "Member must not be null",
        ));
    }
    if kind == ActionKind::Update && request.get("UpdateExpression").is_none() {
        return Err(super::request::constraint(
            "null",
            "updateExpression",
            "Member must not be null",
        ));
    }
    let expressions = read_expressions(&request, fields)?;
    let table = database.table_mut(&table_name);
    let key = match (&item, &key_map) {
        (Some(item), _) => {
            if item_size(item) > MAX_ITEM_BYTES {
                return Err(validation(
                    "Item size has exceeded the maximum allowed size",
                ));
            }
            table.key_of_item(item).map_err(validation)?
        }
        (None, Some(key_map)) => table.key_from_map(key_map).map_err(validation)?,
        (None, None) => return Err(validation(super::table::KEY_MISMATCH)),
    };
    if let Some(update) = &expressions.update {
        check_key_untouched(&table.schema, update)?;
    }
    Ok(Action {
        kind,
        table_name,
        key,
        item,
        update: expressions.update,
        condition: expressions.condition,
        return_old,
    })
}

/// Checks capacity and every condition, and computes each action's new item; a failure anywhere
/// cancels the whole transaction.
fn check_actions(
    database: &mut Database,
    actions: &[Action],
    at_ms: u64,
) -> Result<Vec<Option<Item>>, ApiError> {
    let mut reasons = Vec::with_capacity(actions.len());
    let mut writes = Vec::with_capacity(actions.len());
    let mut cancelled = false;
    for action in actions {
        let table = database.table_mut(&action.table_name);
        let old = table.get(&action.key).cloned();
        let size = action
            .item
            .as_ref()
            .map_or(0, item_size)
            .max(old.as_ref().map_or(0, item_size));
        let reason = if !table.take_write_capacity(
            &action.key.0,
            write_cost_milli_units(size, true),
            at_ms,
        ) {
            json!({"Code": "ProvisionedThroughputExceeded", "Message": super::capacity::THROTTLED_MESSAGE})
        } else if !condition_holds(action.condition.as_ref(), old.as_ref()) {
            let mut reason = json!({"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"});
            if let (true, Some(old)) = (action.return_old, &old) {
                reason["Item"] = item_to_value(old);
            }
            reason
        } else {
            let new_item = match action.kind {
                ActionKind::Put => Ok(action.item.clone()),
                ActionKind::Delete => Ok(None),
                ActionKind::ConditionCheck => Ok(old.clone()),
                ActionKind::Update => {
                    updated_item(table, &action.key, old.as_ref(), action.update.as_ref()).map(Some)
                }
            };
            match new_item {
                Ok(new_item) => {
                    writes.push(new_item);
                    reasons.push(json!({"Code": "None"}));
                    continue;
                }
                Err(error) => json!({"Code": "ValidationError", "Message": error.message}),
            }
        };
        cancelled = true;
        writes.push(None);
        reasons.push(reason);
    }
    if !cancelled {
        return Ok(writes);
    }
    let codes: Vec<&str> = reasons
        .iter()
        .map(|r| r["Code"].as_str().unwrap_or("None"))
        .collect();
    Err(ApiError {
        cancellation_reasons: Some(reasons.clone()),
        ..ApiError::new(
            "TransactionCanceledException",
            format!("Transaction cancelled, please refer cancellation reasons for specific reasons [{}]", codes.join(", ")),
        )
    })
}
