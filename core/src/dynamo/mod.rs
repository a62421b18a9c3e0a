//! DynamoDB-style tables: attribute values, the expression language, items, transactions,
//! streams and per-partition capacity.
//!
//! ## The tables engine
//!
//! **What it models.** A [`Database`] holds tables and answers DynamoDB API request bodies
//! (`CreateTable`, `PutItem`, `GetItem`, `UpdateItem`, `DeleteItem`, `Query`,
//! `TransactWriteItems`) with DynamoDB API response bodies or an [`ApiError`] whose type and
//! message are AWS's own text (the character position of an expression fault is kept apart, in
//! `position`, so the message stays exactly as AWS words it).
//! - *Values*: all ten attribute types in the DynamoDB JSON wire shape, with AWS's validation
//!   messages; numbers are an exact decimal of at most 38 digits in 1E-130..9.99E+125, printed
//!   in plain notation, with exact addition for `SET a = a + :v` and `ADD` (no `f64` anywhere).
//! - *Expressions*: ConditionExpression, FilterExpression, KeyConditionExpression,
//!   UpdateExpression and ProjectionExpression, parsed by hand after DynamoDB's grammar (one
//!   `+`/`-` per SET value; `a OR b AND c` is `a OR (b AND c)`), validated as DynamoDB does
//!   before any item is read (the 573 reserved words, undefined and unused placeholders,
//!   redundant parentheses, overlapping and conflicting update paths, a section used twice,
//!   key-attribute updates, operand types of literals), and evaluated with DynamoDB's run-time
//!   rules (a missing attribute or a type mismatch is false, not an error; `<>` is then true;
//!   `SET list[10]` appends; a DELETE that empties a set removes the attribute).
//! - *Items*: kept in key order (S by UTF-8 bytes, N numerically, B by bytes); conditional
//!   writes with ReturnValues and ReturnValuesOnConditionCheckFailure; UpdateItem upserts;
//!   Query reads one partition with Limit / LastEvaluatedKey / ExclusiveStartKey counted before
//!   the filter, as DynamoDB counts.
//! - *Transactions*: all or nothing, one CancellationReasons entry per action in request order,
//!   and ClientRequestToken idempotency for 10 minutes of virtual time after completion.
//! - *Streams*: one record per real change (INSERT / MODIFY / REMOVE, none for a no-op write, one
//!   per item of a transaction) in per-table sequence order, in the DynamoDB Streams record
//!   shape; the simulator takes them with [`Database::drain_stream_records`].
//! - *Capacity*: a token bucket per partition-key value (default 1,000 WCU/s and 3,000 RCU/s,
//!   1 KB / 4 KB units rounded up, transactions at twice the cost, optional burst allowance);
//!   an empty bucket answers ProvisionedThroughputExceededException.
//!
//! **What it simplifies, and why.** One region, one account, no secondary indexes, no Scan,
//! BatchWrite or TransactGetItems: the workshop's exercises need conditional single-item writes,
//! one-partition queries, transactions and the stream, and every extra operation is surface to
//! keep faithful. Operations apply atomically in call order: the simulator creates concurrency
//! by interleaving whole calls (get, get, put, put), which is exactly how lost updates happen,
//! so TransactionConflict and in-flight transaction states are not modelled. Capacity is a
//! per-partition-key bucket rather than DynamoDB's hidden partitions (a hot key is what the
//! exercises teach; adaptive capacity and partition splits are left out). Streams have no shards:
//! records are in one sequence per table, which keeps per-item order, the guarantee that
//! matters. Time is virtual milliseconds passed in with each call; nothing reads a clock.
//! Where sources disagree we follow DynamoDB's recorded behaviour (see the reference, sections
//! 4 and 9): e.g. `SET a = :v1 + :v2 + :v3` is a syntax error despite the quota page's example.
//!
//! This module never reads a clock, an RNG or a hash map's iteration order: all state is in
//! `BTreeMap`s, so a run is a pure function of its calls.

// `Result<Value, ApiError>` is the API the simulator and the CLI call; the error carries the
// old item and cancellation reasons, so it is large by design and rare on the hot path.
#![allow(clippy::result_large_err)]

mod cache;
mod call;
mod capacity;
mod condition;
mod expression;
mod lexer;
mod number;
mod operations;
mod projection;
mod query;
mod request;
mod reserved;
mod table;
mod transact;
mod update;
mod value;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

pub use call::UpdateCall;
pub use capacity::{CapacityConfig, THROTTLED_MESSAGE};
pub use condition::{evaluate, parse_condition, Comparator, Condition, Operand};
pub use expression::{ExpressionError, Path, PathElement, Placeholders};
pub use number::Number;
pub use operations::Answer;
pub use projection::{parse_projection, project};
pub use reserved::{count as reserved_word_count, is_reserved};
pub use table::{KeyAttribute, KeySchema, KeyType, KeyValue, StreamRecord, StreamViewType, Table};
pub use update::{apply_update, parse_update, UpdateExpression};
pub use value::{
    encode_base64, item_from_wire, item_to_value, AttributeValue, Item, WireError, MAX_NESTING,
};

/// A failed request: the AWS error type (`ValidationException`, ...) and AWS's message, plus
/// where in an expression the fault is, the old item of a failed condition (when asked for) and
/// a cancelled transaction's reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub error_type: String,
    pub message: String,
    pub position: Option<u32>,
    pub item: Option<Value>,
    pub cancellation_reasons: Option<Vec<Value>>,
}

impl ApiError {
    pub fn new(error_type: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            error_type: error_type.to_string(),
            message: message.into(),
            position: None,
            item: None,
            cancellation_reasons: None,
        }
    }

    /// The CLI's error shape: `{"error": {"type", "message", "position"?, "Item"?,
    /// "CancellationReasons"?}}`.
    pub fn to_json(&self) -> Value {
        let mut error = Map::new();
        error.insert("type".to_string(), Value::String(self.error_type.clone()));
        error.insert("message".to_string(), Value::String(self.message.clone()));
        if let Some(position) = self.position {
            error.insert("position".to_string(), json!(position));
        }
        if let Some(item) = &self.item {
            error.insert("Item".to_string(), item.clone());
        }
        if let Some(reasons) = &self.cancellation_reasons {
            error.insert(
                "CancellationReasons".to_string(),
                Value::Array(reasons.clone()),
            );
        }
        json!({ "error": error })
    }
}

/// The tables of one simulated account, their streams' unread records and the idempotency
/// tokens of completed transactions.
#[derive(Debug, Clone, Default)]
pub struct Database {
    tables: BTreeMap<String, Table>,
    capacity: BTreeMap<String, CapacityConfig>,
    stream_records: Vec<StreamRecord>,
    tokens: BTreeMap<String, transact::TokenRecord>,
    expressions: cache::ExpressionCache,
}

/// The operations `execute` understands.
pub const OPERATIONS: &[&str] = &[
    "CreateTable",
    "PutItem",
    "GetItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "TransactWriteItems",
];

impl Database {
    pub fn new() -> Database {
        Database::default()
    }

    /// Runs one DynamoDB API call at virtual time `at_ms`.
    pub fn execute(
        &mut self,
        operation: &str,
        request: &Value,
        at_ms: u64,
    ) -> Result<Value, ApiError> {
        self.answer(operation, request, at_ms)
            .map(Answer::into_body)
    }

    /// Runs one DynamoDB API call, answering with the items it returns as items (the response
    /// body is `Answer::to_body`, exactly what `execute` returns).
    pub fn answer(
        &mut self,
        operation: &str,
        request: &Value,
        at_ms: u64,
    ) -> Result<Answer, ApiError> {
        match operation {
            "CreateTable" => operations::create_table(self, request).map(Answer::Body),
            "PutItem" => operations::put_item(self, request, at_ms),
            "GetItem" => operations::get_item(self, request, at_ms),
            "UpdateItem" => operations::update_item(self, request, at_ms),
            "DeleteItem" => operations::delete_item(self, request, at_ms),
            "Query" => query::query(self, request, at_ms).map(Answer::Body),
            "TransactWriteItems" => {
                transact::transact_write_items(self, request, at_ms).map(Answer::Body)
            }
            other => Err(ApiError::new(
                "UnknownOperationException",
                format!(
                    "Unknown operation {other}; supported: {}",
                    OPERATIONS.join(", ")
                ),
            )),
        }
    }

    /// Sets a table's per-partition capacity (now, or when the table is created).
    pub fn set_capacity(&mut self, table_name: &str, capacity: CapacityConfig) {
        self.capacity.insert(table_name.to_string(), capacity);
        if let Some(table) = self.tables.get_mut(table_name) {
            table.capacity = capacity;
        }
    }

    /// Creates a table directly (the simulator's path; `CreateTable` requests use it too).
    pub fn create(
        &mut self,
        table_name: &str,
        schema: KeySchema,
        stream: Option<StreamViewType>,
    ) -> &mut Table {
        let capacity = self.capacity.get(table_name).copied().unwrap_or_default();
        self.tables.insert(
            table_name.to_string(),
            Table::new(table_name, schema, stream, capacity),
        );
        self.tables.get_mut(table_name).expect("just inserted")
    }

    pub fn has_table(&self, table_name: &str) -> bool {
        self.tables.contains_key(table_name)
    }

    pub fn table(&self, table_name: &str) -> Option<&Table> {
        self.tables.get(table_name)
    }

    /// All tables in name order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values()
    }

    /// A table's items in key order (empty for an unknown table), for state views.
    pub fn items(&self, table_name: &str) -> Vec<&Item> {
        self.tables
            .get(table_name)
            .map(|t| t.items().collect())
            .unwrap_or_default()
    }

    /// The stream records produced since the last call, in the order they were made.
    pub fn drain_stream_records(&mut self) -> Vec<StreamRecord> {
        std::mem::take(&mut self.stream_records)
    }

    /// The table, created on first use with partition key `id` (S) if nobody declared it.
    fn table_mut(&mut self, table_name: &str) -> &mut Table {
        if !self.tables.contains_key(table_name) {
            self.create(table_name, KeySchema::default_schema(), None);
        }
        self.tables.get_mut(table_name).expect("created above")
    }

    fn push_record(&mut self, record: Option<StreamRecord>) {
        self.stream_records.extend(record);
    }
}
