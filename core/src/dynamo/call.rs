//! Typed calls: an UpdateItem as the parts a simulated handler resolved (key, expression texts,
//! names, values as attribute values) instead of a request body. The simulator sends thousands
//! of them per exploration, and writing each as wire JSON only for the tables to read it back
//! was a tenth of what exploring cost.
//!
//! A typed call must answer exactly what `Database::answer("UpdateItem", body)` answers for the
//! body its parts write. It never judges a part that only the body's reading can judge (an
//! invalid table name or placeholder, an expression that fails to parse): it declines, and the
//! caller sends the body, so every error keeps AWS's words from the one place that writes them.
//! Declining happens before anything is read from or written to a table.

use super::operations::{apply_checked_update, Answer, CheckedUpdate, RETURN_VALUES};
use super::request::{
    check_table_name, parse_expressions, Expressions, MAX_EXPRESSION_BYTES, UPDATE_FIELDS,
};
use super::{ApiError, AttributeValue, Database, Item, Placeholders};

/// An UpdateItem's parts. The body they stand for has `TableName`, `Key`, `UpdateExpression`
/// and `ConditionExpression` when present, `ExpressionAttributeNames` and
/// `ExpressionAttributeValues` when not empty (values in the wire shape), and `ReturnValues`.
#[derive(Debug, Clone)]
pub struct UpdateCall<'a> {
    pub table_name: &'a str,
    pub key: Item,
    pub update_expression: Option<&'a str>,
    pub condition_expression: Option<&'a str>,
    pub names: &'a [(String, String)],
    pub values: &'a [(String, AttributeValue)],
    pub return_values: &'a str,
}

impl Database {
    /// UpdateItem from typed parts: `Some` of exactly what the request body would be answered,
    /// or `None` (nothing done) when the body must be sent instead.
    pub fn update_item_call(
        &mut self,
        call: UpdateCall<'_>,
        at_ms: u64,
    ) -> Option<Result<Answer, ApiError>> {
        check_table_name(call.table_name).ok()?;
        if !RETURN_VALUES.contains(&call.return_values) {
            return None;
        }
        let expressions = self.expressions.read_parts(&call)?;
        let update = CheckedUpdate {
            table_name: call.table_name,
            key: call.key,
            return_values: call.return_values,
            return_old: false,
            expressions,
        };
        Some(apply_checked_update(self, update, at_ms))
    }
}

/// The call's expressions parsed as `read_expressions` parses the body's, or None where the
/// body's reading would refuse something (it then says what, in AWS's words).
pub(super) fn parse_call_expressions(call: &UpdateCall<'_>) -> Option<Expressions> {
    let texts: Vec<(&str, &str)> = UPDATE_FIELDS
        .iter()
        .copied()
        .zip([call.update_expression, call.condition_expression])
        .filter_map(|(field, text)| Some((field, text?)))
        .collect();
    // Names or values without an expression are refused by the body's reading.
    if texts.is_empty() && !(call.names.is_empty() && call.values.is_empty()) {
        return None;
    }
    if texts
        .iter()
        .any(|(_, text)| text.len() > MAX_EXPRESSION_BYTES)
    {
        return None;
    }
    let placeholders = Placeholders::from_parts(call.names, call.values)?;
    parse_expressions(texts, placeholders).ok()
}
