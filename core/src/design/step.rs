//! Handler programs: a function's behaviour as a short list of steps, each one AWS call or one
//! decision, so the simulator can interleave concurrent invocations between steps.
//!
//! Values inside steps are JSON in the shape the AWS SDK's document client takes (plain JSON,
//! marshalled to DynamoDB attribute values by the engine). A string starting with `$.` is a
//! reference into the invocation's context (`$.event`, `$.data`, `$.<name>` for a result saved
//! with `as`); `{"literal": "..."}` writes a string that starts with `$.` literally.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One step of a handler program.
///
/// Read by hand in `tagged` (an internally tagged derive would buffer through serde's Content).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Step {
    Get(GetStep),
    Put(WriteStep),
    Update(WriteStep),
    Delete(WriteStep),
    Query(QueryStep),
    TransactWrite(TransactWriteStep),
    Emit(EmitStep),
    Send(SendStep),
    Invoke(InvokeStep),
    StartExecution(StartExecutionStep),
    SendTaskSuccess(SendTaskSuccessStep),
    SendTaskFailure(SendTaskFailureStep),
    Call(CallStep),
    If(IfStep),
    Fail(FailStep),
}

impl Step {
    /// The op's name as written in the document.
    pub fn op_name(&self) -> &'static str {
        match self {
            Step::Get(_) => "get",
            Step::Put(_) => "put",
            Step::Update(_) => "update",
            Step::Delete(_) => "delete",
            Step::Query(_) => "query",
            Step::TransactWrite(_) => "transactWrite",
            Step::Emit(_) => "emit",
            Step::Send(_) => "send",
            Step::Invoke(_) => "invoke",
            Step::StartExecution(_) => "startExecution",
            Step::SendTaskSuccess(_) => "sendTaskSuccess",
            Step::SendTaskFailure(_) => "sendTaskFailure",
            Step::Call(_) => "call",
            Step::If(_) => "if",
            Step::Fail(_) => "fail",
        }
    }
}

/// The expression attribute names and values shared by every table step.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Expressions {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
    /// `:placeholder` → value (a reference or a literal).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, Value>,
}

/// What a write does when its condition fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OnConditionFailed {
    /// Throw: the invocation fails and the platform retries it.
    #[default]
    Fail,
    /// Carry on with the next step, as a handler that catches the error and moves on.
    Skip,
    /// Stop the invocation successfully: the work was already done.
    Stop,
}

/// `GetItem`, saving the item (or null) under `as`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetStep {
    pub table: String,
    pub key: Value,
    #[serde(rename = "as")]
    pub save_as: String,
    #[serde(default)]
    pub consistent_read: bool,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

/// `PutItem`, `UpdateItem` or `DeleteItem` with an optional condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteStep {
    pub table: String,
    /// The item for a put; the key for an update or delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Read beside the other fields by `tagged` (so never read this type on its own).
    #[serde(default, flatten, skip_deserializing)]
    pub expressions: Expressions,
    #[serde(default)]
    pub on_condition_failed: OnConditionFailed,
    /// Save the returned attributes (ReturnValues ALL_NEW for updates) under this name.
    #[serde(rename = "as", default, skip_serializing_if = "Option::is_none")]
    pub save_as: Option<String>,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

/// `Query` on one partition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryStep {
    pub table: String,
    pub key_condition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// Read beside the other fields by `tagged` (so never read this type on its own).
    #[serde(default, flatten, skip_deserializing)]
    pub expressions: Expressions,
    #[serde(default = "default_scan_forward")]
    pub scan_index_forward: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(rename = "as")]
    pub save_as: String,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

fn default_scan_forward() -> bool {
    true
}

/// `TransactWriteItems`: several writes, all or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactWriteStep {
    pub items: Vec<TransactItem>,
    /// The ClientRequestToken (a reference or literal); retries with it are not applied twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<Value>,
    #[serde(default)]
    pub on_condition_failed: OnConditionFailed,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

/// One action of a transaction.
///
/// Read by hand in `tagged`, as `Step` is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum TransactItem {
    Put(WriteStep),
    Update(WriteStep),
    Delete(WriteStep),
    ConditionCheck(WriteStep),
}

/// Emit a CloudEvent to a bus (PutEvents), carrying the correlation id and setting the
/// causation id to the incoming event's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmitStep {
    pub bus: String,
    #[serde(rename = "type")]
    pub event_type: String,
    #[serde(default)]
    pub data: Value,
    /// Whether the correlation id of the incoming event is carried over (on by default).
    #[serde(default = "default_true")]
    pub carry_correlation: bool,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

fn default_true() -> bool {
    true
}

/// `SendMessage` to a queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendStep {
    pub queue: String,
    pub body: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_group_id: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deduplication_id: Option<Value>,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

/// Invoke another function synchronously (RequestResponse) and wait for its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvokeStep {
    pub function: String,
    #[serde(default)]
    pub payload: Value,
    #[serde(rename = "as", default, skip_serializing_if = "Option::is_none")]
    pub save_as: Option<String>,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

/// `StartExecution` of a state machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartExecutionStep {
    pub state_machine: String,
    #[serde(default)]
    pub input: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Value>,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

/// What a `sendTaskSuccess` or `sendTaskFailure` does when Step Functions refuses the token
/// (`InvalidToken`, or `TaskTimedOut` for a task that already closed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OnTokenRejected {
    /// Throw: the invocation fails and the platform retries it.
    #[default]
    Fail,
    /// Carry on with the next step, as a handler that catches the error and moves on.
    Skip,
    /// Stop the invocation successfully: the task was already answered.
    Stop,
}

/// `SendTaskSuccess`: answers a `.waitForTaskToken` task with an output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendTaskSuccessStep {
    /// The token (usually a reference such as `$.data.taskToken`).
    pub task_token: Value,
    /// The task's result; sent as JSON text, as the SDK's `output` is.
    #[serde(default)]
    pub output: Value,
    #[serde(default)]
    pub on_token_rejected: OnTokenRejected,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

/// `SendTaskFailure`: fails a `.waitForTaskToken` task with an error name and a cause, which
/// the state's Retry and Catch see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendTaskFailureStep {
    pub task_token: Value,
    /// The error name (a string or a reference).
    pub error: Value,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub cause: Value,
    #[serde(default)]
    pub on_token_rejected: OnTokenRejected,
    #[serde(default = "default_step_latency_ms")]
    pub latency_ms: u32,
}

/// Call an external API: the side effect whose count the checks watch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallStep {
    pub api: String,
    /// The business key the effect is counted under (e.g. the order id).
    pub key: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<Value>,
    #[serde(default)]
    pub payload: Value,
    #[serde(rename = "as", default, skip_serializing_if = "Option::is_none")]
    pub save_as: Option<String>,
}

/// A decision: a condition in DynamoDB condition syntax over the context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IfStep {
    pub condition: String,
    /// Read beside the other fields by `tagged` (so never read this type on its own).
    #[serde(default, flatten, skip_deserializing)]
    pub expressions: Expressions,
    #[serde(default)]
    pub then: Vec<Step>,
    #[serde(rename = "else", default, skip_serializing_if = "Vec::is_empty")]
    pub otherwise: Vec<Step>,
}

/// Throw an error: the invocation fails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailStep {
    pub error: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cause: String,
}

fn default_step_latency_ms() -> u32 {
    10
}
