//! The design document: the only thing EventLab saves, shares and versions.
//!
//! Plain serde types in the JSON shape of `docs/design-format.md`. Semantics only: positions
//! live in `layout`, apart from what the nodes mean. This module never validates or runs
//! anything; `load` makes a document from JSON tolerantly, `validate` says what is wrong.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::scenario::Scenario;
use super::step::Step;

/// The schema version this core writes. Older documents are migrated on load.
pub const SCHEMA_VERSION: u32 = 1;

/// A whole design: services, event types, nodes, triggers, layout, scenario and checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Design {
    pub version: u32,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub event_types: Vec<EventType>,
    #[serde(default)]
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub triggers: Vec<Trigger>,
    #[serde(default)]
    pub scenario: Scenario,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub layout: BTreeMap<String, Position>,
    /// Parts of a loaded document that could not be understood, kept verbatim so that saving
    /// never loses what the user made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unparsed: Vec<Value>,
}

impl Default for Design {
    fn default() -> Design {
        Design {
            version: SCHEMA_VERSION,
            name: String::new(),
            description: String::new(),
            services: Vec::new(),
            event_types: Vec::new(),
            nodes: Vec::new(),
            triggers: Vec::new(),
            scenario: Scenario::default(),
            checks: Vec::new(),
            layout: BTreeMap::new(),
            unparsed: Vec::new(),
        }
    }
}

/// A bounded context: it owns tables, event types and data fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Data fields this service is the source of truth for (e.g. `orderId`, `total`).
    #[serde(default)]
    pub owns: Vec<String>,
}

/// A CloudEvents event type: its `type`, the service that emits it, and its data fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventType {
    #[serde(rename = "type")]
    pub type_name: String,
    /// The id of the emitting service; also the CloudEvent `source` (as `/service-id`).
    pub source: String,
    /// Data field name → type (`string`, `number`, `boolean`, `object`, `array`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
}

/// A component of the design. `id` is stable and is what everything else refers to. Read by
/// hand in `tagged` (the flattened kind would buffer through serde's Content).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The owning service's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(flatten)]
    pub kind: NodeKind,
}

impl Node {
    /// The name to show: the node's name, or its id when it has none.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

/// What a node is, with its settings. Read by hand in `tagged`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NodeKind {
    Bus(Bus),
    Queue(Queue),
    Function(Function),
    Table(Table),
    StateMachine(StateMachine),
    ExternalApi(ExternalApi),
    Producer(Producer),
    Pipe(Pipe),
}

impl NodeKind {
    /// The kind's name as written in the document.
    pub fn name(&self) -> &'static str {
        match self {
            NodeKind::Bus(_) => "bus",
            NodeKind::Queue(_) => "queue",
            NodeKind::Function(_) => "function",
            NodeKind::Table(_) => "table",
            NodeKind::StateMachine(_) => "stateMachine",
            NodeKind::ExternalApi(_) => "externalApi",
            NodeKind::Producer(_) => "producer",
            NodeKind::Pipe(_) => "pipe",
        }
    }
}

/// An EventBridge event bus and its rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bus {
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// A rule: an EventBridge event pattern and up to five targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    /// The EventBridge event pattern JSON, exactly as AWS takes it.
    pub pattern: Value,
    #[serde(default)]
    pub targets: Vec<Target>,
}

/// A rule target with its input shaping, retry policy and dead-letter queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// The id of the target node (function, queue, state machine or bus).
    pub node: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_transformer: Option<InputTransformer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_path: Option<String>,
    #[serde(default)]
    pub retry_policy: RetryPolicy,
    /// A standard queue's node id, for events EventBridge could not deliver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter_queue: Option<String>,
}

/// EventBridge's InputTransformer: variables from JSONPaths, and a template using them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputTransformer {
    #[serde(default)]
    pub input_paths_map: BTreeMap<String, String>,
    pub input_template: String,
}

/// A target's RetryPolicy (AWS defaults: 185 attempts, 24 hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryPolicy {
    #[serde(default = "default_target_attempts")]
    pub maximum_retry_attempts: u32,
    #[serde(default = "default_event_age_s")]
    pub maximum_event_age_s: u32,
}

fn default_target_attempts() -> u32 {
    185
}
fn default_event_age_s() -> u32 {
    86_400
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            maximum_retry_attempts: default_target_attempts(),
            maximum_event_age_s: default_event_age_s(),
        }
    }
}

/// An SQS queue, standard or FIFO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Queue {
    #[serde(default)]
    pub fifo: bool,
    #[serde(default = "default_visibility_timeout_s")]
    pub visibility_timeout_s: u32,
    /// The redrive policy: after this many receives a message moves to `deadLetterQueue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_receive_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_letter_queue: Option<String>,
    /// FIFO only: deduplicate on a hash of the body when no deduplication id is given.
    #[serde(default)]
    pub content_based_deduplication: bool,
}

fn default_visibility_timeout_s() -> u32 {
    30
}

impl Default for Queue {
    fn default() -> Queue {
        Queue {
            fifo: false,
            visibility_timeout_s: default_visibility_timeout_s(),
            max_receive_count: None,
            dead_letter_queue: None,
            content_based_deduplication: false,
        }
    }
}

/// A Lambda function: its handler program and its platform settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Function {
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default = "default_function_timeout_ms")]
    pub timeout_ms: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved_concurrency: Option<u32>,
    /// Asynchronous invocation: retries after a function error (AWS default 2, range 0–2).
    #[serde(default = "default_async_retries")]
    pub async_retry_attempts: u32,
    /// Asynchronous invocation: how long an event may wait (AWS default 6 hours).
    #[serde(default = "default_async_event_age_s")]
    pub async_max_event_age_s: u32,
    /// Asynchronous invocation: the on-failure destination (a queue or bus node id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_failure: Option<String>,
}

fn default_function_timeout_ms() -> u32 {
    3_000
}
fn default_async_retries() -> u32 {
    2
}
fn default_async_event_age_s() -> u32 {
    21_600
}

impl Default for Function {
    fn default() -> Function {
        Function {
            steps: Vec::new(),
            timeout_ms: default_function_timeout_ms(),
            reserved_concurrency: None,
            async_retry_attempts: default_async_retries(),
            async_max_event_age_s: default_async_event_age_s(),
            on_failure: None,
        }
    }
}

/// A DynamoDB table: key schema, stream, and the per-partition capacity that makes hot keys hurt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    pub partition_key: KeyAttribute,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<KeyAttribute>,
    /// The stream view type (`KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE`, `NEW_AND_OLD_IMAGES`), if
    /// the table has a stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    #[serde(default = "default_write_units")]
    pub write_units_per_partition: u32,
    #[serde(default = "default_read_units")]
    pub read_units_per_partition: u32,
}

fn default_write_units() -> u32 {
    1_000
}
fn default_read_units() -> u32 {
    3_000
}

/// A key attribute: its name and type (`S`, `N` or `B`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyAttribute {
    pub name: String,
    #[serde(rename = "type", default = "default_key_type")]
    pub attribute_type: String,
}

fn default_key_type() -> String {
    "S".to_string()
}

/// A Step Functions state machine: an Amazon States Language definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMachine {
    pub definition: Value,
    #[serde(default)]
    pub express: bool,
}

impl StateMachine {
    /// Whether a Task of the definition, at any depth, uses `.waitForTaskToken`: the only
    /// way a design hands out task tokens for `sendTaskSuccess`/`sendTaskFailure` to answer.
    pub fn waits_for_task_tokens(&self) -> bool {
        fn walk(value: &Value) -> bool {
            match value {
                Value::Object(object) => object.iter().any(|(key, inner)| {
                    (key == "Resource"
                        && inner
                            .as_str()
                            .is_some_and(|r| r.ends_with(".waitForTaskToken")))
                        || walk(inner)
                }),
                Value::Array(items) => items.iter().any(walk),
                _ => false,
            }
        }
        walk(&self.definition)
    }
}

/// A side effect outside our control, such as a payment provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalApi {
    /// Whether a repeated idempotency key returns the first result instead of acting again.
    #[serde(default)]
    pub honours_idempotency_key: bool,
    #[serde(default = "default_api_latency_ms")]
    pub latency_ms: u32,
}

fn default_api_latency_ms() -> u32 {
    80
}

/// The workload: emits `count` events of one type to a bus, one every `intervalMs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Producer {
    pub event_type: String,
    pub bus: String,
    pub count: u32,
    #[serde(default = "default_interval_ms")]
    pub interval_ms: u32,
    /// The event's data; strings `{{key}}` and `{{n}}` are replaced by the business key and
    /// the event's number.
    #[serde(default)]
    pub data: Value,
    #[serde(default)]
    pub keys: KeyDistribution,
}

fn default_interval_ms() -> u32 {
    100
}

/// How a producer picks business keys: `count` distinct keys, `hotSharePpm` of events on the
/// first one (parts per million), the rest uniform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct KeyDistribution {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// Distinct keys; 0 means one key per event.
    #[serde(default)]
    pub count: u32,
    #[serde(default)]
    pub hot_share_ppm: u32,
}

/// An EventBridge Pipe from a table stream or a queue to a bus: the outbox relay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipe {
    pub source: String,
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Value>,
    /// Where in the source record the event to publish is (a path such as
    /// `$.dynamodb.NewImage.event`); the whole record when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_path: Option<String>,
}

/// An event source mapping: a queue or table stream feeding a function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    pub id: String,
    pub source: String,
    pub function: String,
    #[serde(default = "default_batch_size")]
    pub batch_size: u32,
    #[serde(default)]
    pub report_batch_item_failures: bool,
    /// Streams only: retries before a batch is skipped; absent means until the record expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_retry_attempts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Value>,
}

fn default_batch_size() -> u32 {
    10
}

/// A property the design's runs must satisfy. Its kinds are defined by the checks engine; the
/// document keeps the specification as JSON. Read by hand in `tagged`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub id: String,
    #[serde(flatten)]
    pub spec: serde_json::Map<String, Value>,
}

/// A node's position on the canvas, in canvas units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Position {
    pub x: i32,
    pub y: i32,
}
