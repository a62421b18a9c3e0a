//! Settings as data: for each node kind and each step op, the fields a person edits, their
//! labels and their types. One generic form renders any of them over the JSON form of the
//! thing being edited and commits a whole new value, which the caller turns into a typed
//! `DesignChange` (so serde, not this file, decides what is valid).

use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::state::validation::use_validation;

use super::fields::{CheckField, ChoiceField, ExpressionField, JsonField, NumberField, TextField};

/// Which DynamoDB expression a field holds; the worker checks it with DynamoDB's parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpressionKind {
    Condition,
    Update,
    Filter,
}

impl ExpressionKind {
    fn name(self) -> &'static str {
        match self {
            ExpressionKind::Condition => "condition",
            ExpressionKind::Update => "update",
            ExpressionKind::Filter => "filter",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldType {
    Text,
    OptText,
    Int,
    OptInt,
    Bool,
    /// JSON that must be present.
    Json,
    /// JSON that may be cleared.
    OptJson,
    /// A value that may be a `$.` reference or a literal: edited as JSON or bare text.
    Value,
    OptValue,
    /// The id of a node of one of these kinds.
    Node(&'static [&'static str]),
    OptNode(&'static [&'static str]),
    Choice(&'static [&'static str]),
    OptChoice(&'static [&'static str]),
    /// One of the design's event types.
    EventType,
    /// An EventBridge pattern, validated live with EventBridge's message.
    Pattern,
    /// A DynamoDB expression, validated live with DynamoDB's message (optional: empty
    /// removes it).
    Expression(ExpressionKind),
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key in the JSON form; `a.b` reaches into an object.
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FieldType,
}

const fn f(key: &'static str, label: &'static str, kind: FieldType) -> Field {
    Field { key, label, kind }
}

use FieldType as T;

/// A `'static` list of fields built with the `const fn f` (a plain `&[...]` of calls would be
/// a temporary).
macro_rules! fields {
    ($($field:expr),* $(,)?) => {{
        const FIELDS: &[Field] = &[$($field),*];
        FIELDS
    }};
}

const CONDITION_FAILED: &[&str] = &["fail", "skip", "stop"];
const STREAM_VIEWS: &[&str] = &["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"];

/// The settings of a node kind (rules and steps have their own editors).
pub fn kind_fields(kind: &str) -> &'static [Field] {
    match kind {
        "queue" => fields![
            f("fifo", "FIFO queue", T::Bool),
            f("visibilityTimeoutS", "Visibility timeout (s)", T::Int),
            f("maxReceiveCount", "Max receive count (redrive)", T::OptInt),
            f(
                "deadLetterQueue",
                "Dead-letter queue",
                T::OptNode(&["queue"])
            ),
            f(
                "contentBasedDeduplication",
                "Content-based deduplication",
                T::Bool
            ),
        ],
        "function" => fields![
            f("timeoutMs", "Timeout (ms)", T::Int),
            f("reservedConcurrency", "Reserved concurrency", T::OptInt),
            f("asyncRetryAttempts", "Async retry attempts (0–2)", T::Int),
            f("asyncMaxEventAgeS", "Async max event age (s)", T::Int),
            f(
                "onFailure",
                "On-failure destination",
                T::OptNode(&["queue", "bus", "function"])
            ),
        ],
        "table" => fields![
            f("partitionKey.name", "Partition key", T::Text),
            f(
                "partitionKey.type",
                "Partition key type",
                T::Choice(&["S", "N", "B"])
            ),
            f(
                "sortKey",
                "Sort key ({\"name\": …, \"type\": \"S\"})",
                T::OptJson
            ),
            f("stream", "Stream", T::OptChoice(STREAM_VIEWS)),
            f(
                "writeUnitsPerPartition",
                "Write units per partition",
                T::Int
            ),
            f("readUnitsPerPartition", "Read units per partition", T::Int),
        ],
        "stateMachine" => fields![
            f("express", "Express workflow", T::Bool),
            f("definition", "Definition (Amazon States Language)", T::Json),
        ],
        "externalApi" => fields![
            f("honoursIdempotencyKey", "Honours idempotency key", T::Bool),
            f("latencyMs", "Latency (ms)", T::Int),
        ],
        "producer" => fields![
            f("eventType", "Event type", T::EventType),
            f("bus", "Bus", T::Node(&["bus"])),
            f("count", "Events", T::Int),
            f("intervalMs", "Interval (ms)", T::Int),
            f("data", "Data", T::Json),
            f("keys.prefix", "Key prefix", T::Text),
            f("keys.count", "Distinct keys (0: one per event)", T::Int),
            f("keys.hotSharePpm", "Hot key share (ppm)", T::Int),
        ],
        "pipe" => fields![
            f(
                "source",
                "Source (table stream or queue)",
                T::Node(&["table", "queue"])
            ),
            f("target", "Target bus", T::Node(&["bus"])),
            f("filter", "Filter pattern", T::Pattern),
            f("eventPath", "Event path in the record", T::OptText),
        ],
        _ => fields![],
    }
}

const LATENCY: Field = f("latencyMs", "Latency (ms)", T::Int);
const TABLE: Field = f("table", "Table", T::Node(&["table"]));
const KEY: Field = f("key", "Key", T::Json);
const CONDITION: Field = f(
    "condition",
    "Condition expression",
    T::Expression(ExpressionKind::Condition),
);
const NAMES: Field = f("names", "Expression attribute names", T::OptJson);
const VALUES: Field = f("values", "Expression attribute values", T::OptJson);
const ON_FAILED: Field = f(
    "onConditionFailed",
    "On ConditionalCheckFailed",
    T::Choice(CONDITION_FAILED),
);

/// The fields of a handler step.
pub fn step_fields(op: &str) -> &'static [Field] {
    match op {
        "get" => fields![
            TABLE,
            KEY,
            f("as", "Save as", T::Text),
            f("consistentRead", "Consistent read", T::Bool),
            LATENCY
        ],
        "put" => fields![
            TABLE,
            f("item", "Item", T::Json),
            CONDITION,
            NAMES,
            VALUES,
            ON_FAILED,
            LATENCY
        ],
        "update" => fields![
            TABLE,
            KEY,
            f(
                "update",
                "Update expression",
                T::Expression(ExpressionKind::Update)
            ),
            CONDITION,
            NAMES,
            VALUES,
            ON_FAILED,
            f("as", "Save ALL_NEW as", T::OptText),
            LATENCY,
        ],
        "delete" => fields![TABLE, KEY, CONDITION, NAMES, VALUES, ON_FAILED, LATENCY],
        "query" => fields![
            TABLE,
            f("keyCondition", "Key condition expression", T::Text),
            f(
                "filter",
                "Filter expression",
                T::Expression(ExpressionKind::Filter)
            ),
            NAMES,
            VALUES,
            f("scanIndexForward", "Scan index forward", T::Bool),
            f("limit", "Limit", T::OptInt),
            f("as", "Save as", T::Text),
            LATENCY,
        ],
        "transactWrite" => fields![
            f("items", "Items", T::Json),
            f("clientRequestToken", "Client request token", T::OptValue),
            ON_FAILED,
            LATENCY,
        ],
        "emit" => fields![
            f("bus", "Bus", T::Node(&["bus"])),
            f("type", "Event type", T::EventType),
            f("data", "Data", T::Json),
            f("carryCorrelation", "Carry correlation id", T::Bool),
            LATENCY,
        ],
        "send" => fields![
            f("queue", "Queue", T::Node(&["queue"])),
            f("body", "Body", T::Value),
            f("messageGroupId", "Message group id", T::OptValue),
            f("deduplicationId", "Deduplication id", T::OptValue),
            LATENCY,
        ],
        "invoke" => fields![
            f("function", "Function", T::Node(&["function"])),
            f("payload", "Payload", T::Value),
            f("as", "Save result as", T::OptText),
            LATENCY,
        ],
        "startExecution" => fields![
            f("stateMachine", "State machine", T::Node(&["stateMachine"])),
            f("input", "Input", T::Value),
            f("name", "Execution name", T::OptValue),
            LATENCY,
        ],
        "call" => fields![
            f("api", "External API", T::Node(&["externalApi"])),
            f("key", "Business key", T::Value),
            f("idempotencyKey", "Idempotency key", T::OptValue),
            f("payload", "Payload", T::Value),
            f("as", "Save result as", T::OptText),
        ],
        "if" => fields![
            f(
                "condition",
                "Condition",
                T::Expression(ExpressionKind::Condition)
            ),
            NAMES,
            VALUES,
            f("then", "Then (steps)", T::Json),
            f("else", "Else (steps)", T::OptJson),
        ],
        "fail" => fields![
            f("error", "Error", T::Text),
            f("cause", "Cause", T::OptText)
        ],
        _ => fields![],
    }
}

/// The fields of a trigger.
pub const TRIGGER_FIELDS: &[Field] = &[
    f("batchSize", "Batch size", T::Int),
    f(
        "reportBatchItemFailures",
        "Report batch item failures",
        T::Bool,
    ),
    f(
        "maximumRetryAttempts",
        "Maximum retry attempts (streams)",
        T::OptInt,
    ),
    f("filter", "Filter pattern", T::Pattern),
];

/// Reads `a.b` from a JSON object.
pub fn get_path(value: &Value, key: &str) -> Option<Value> {
    key.split('.')
        .try_fold(value, |v, part| v.get(part))
        .cloned()
}

/// Sets (or with `None` removes) `a.b` in a JSON object, creating objects on the way.
pub fn set_path(value: &mut Value, key: &str, new: Option<Value>) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let Some(last) = parts.pop() else {
        return;
    };
    let mut current = value;
    for part in parts {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(map) = current else {
            return;
        };
        current = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(map) = current {
        match new {
            Some(new) => {
                map.insert(last.to_string(), new);
            }
            None => {
                map.remove(last);
            }
        }
    }
}

/// Options for node references and event types, computed by the caller from the design.
#[derive(Clone, Copy)]
pub struct Choices {
    /// (id, kind, label) of every node.
    pub nodes: Signal<Vec<(String, String, String)>>,
    pub event_types: Signal<Vec<String>>,
}

/// A form over `value`'s fields; each commit hands the whole new value to `on_commit`.
#[component]
pub fn SchemaForm(
    value: Signal<Value>,
    fields: &'static [Field],
    choices: Choices,
    on_commit: Callback<Value>,
) -> impl IntoView {
    fields
        .iter()
        .map(|field| field_view(*field, value, choices, on_commit))
        .collect_view()
}

fn field_view(
    field: Field,
    value: Signal<Value>,
    choices: Choices,
    on_commit: Callback<Value>,
) -> AnyView {
    let key = field.key;
    let label = field.label.to_string();
    let current = Signal::derive(move || value.with(|v| get_path(v, key)));
    let set = move |new: Option<Value>| {
        let mut whole = value.get_untracked();
        set_path(&mut whole, key, new);
        on_commit.run(whole);
    };
    let text = Signal::derive(move || {
        current.with(|v| v.as_ref().and_then(Value::as_str).unwrap_or("").to_string())
    });
    match field.kind {
        T::Text | T::OptText => {
            let optional = field.kind == T::OptText;
            let on_commit = Callback::new(move |s: String| {
                set(if s.trim().is_empty() && optional {
                    None
                } else {
                    Some(Value::String(s))
                })
            });
            view! { <TextField label=label value=text on_commit=on_commit mono=true /> }.into_any()
        }
        T::Expression(kind) => {
            let on_commit = Callback::new(move |s: String| {
                set(if s.trim().is_empty() {
                    None
                } else {
                    Some(Value::String(s))
                })
            });
            let validation = use_validation();
            let checker = Callback::new(move |text: String| {
                // Only the step's names and values matter to the check (and key its cache).
                let step = value.with_untracked(|whole| {
                    serde_json::json!({"names": whole.get("names"), "values": whole.get("values")})
                        .to_string()
                });
                validation.expression_problem(kind.name(), &text, &step)
            });
            view! { <ExpressionField label=label value=text on_commit=on_commit check=checker /> }
                .into_any()
        }
        T::Int | T::OptInt => {
            let number =
                Signal::derive(move || current.with(|v| v.as_ref().and_then(Value::as_u64)));
            let on_commit = Callback::new(move |n: Option<u64>| set(n.map(Value::from)));
            view! { <NumberField label=label value=number on_commit=on_commit optional=field.kind == T::OptInt /> }.into_any()
        }
        T::Bool => {
            let checked = Signal::derive(move || {
                current.with(|v| v.as_ref().and_then(Value::as_bool).unwrap_or(false))
            });
            let on_commit = Callback::new(move |b: bool| set(Some(Value::Bool(b))));
            view! { <CheckField label=label value=checked on_commit=on_commit /> }.into_any()
        }
        T::Json | T::OptJson | T::Value | T::OptValue | T::Pattern => {
            let lenient = matches!(field.kind, T::Value | T::OptValue);
            let optional = matches!(field.kind, T::OptJson | T::OptValue | T::Pattern);
            let check = (field.kind == T::Pattern).then(|| {
                let validation = use_validation();
                Callback::new(move |text: String| validation.pattern_problem(&text))
            });
            let on_commit = Callback::new(move |v: Option<Value>| set(v));
            // Small boxes for references and optional maps, so empty ones stay out of the way.
            let rows = match field.kind {
                T::Value | T::OptValue => 1,
                T::OptJson => 2,
                _ => 3,
            };
            view! {
                <JsonField label=label value=current on_commit=on_commit check=check.unwrap_or_else(|| Callback::new(|_| None)) lenient=lenient optional=optional rows=rows />
            }
            .into_any()
        }
        T::Node(kinds) | T::OptNode(kinds) => {
            let options = Signal::derive(move || {
                choices.nodes.with(|nodes| {
                    nodes
                        .iter()
                        .filter(|(_, kind, _)| kinds.contains(&kind.as_str()))
                        .map(|(id, _, label)| (id.clone(), label.clone()))
                        .collect::<Vec<_>>()
                })
            });
            let optional = matches!(field.kind, T::OptNode(_));
            let on_commit = Callback::new(move |s: String| {
                set(if s.is_empty() && optional {
                    None
                } else {
                    Some(Value::String(s))
                })
            });
            view! { <ChoiceField label=label value=text options=options on_commit=on_commit optional=optional /> }.into_any()
        }
        T::Choice(list) | T::OptChoice(list) => {
            let options = Signal::derive(move || {
                list.iter()
                    .map(|s| (s.to_string(), s.to_string()))
                    .collect::<Vec<_>>()
            });
            let optional = matches!(field.kind, T::OptChoice(_));
            let on_commit = Callback::new(move |s: String| {
                set(if s.is_empty() && optional {
                    None
                } else {
                    Some(Value::String(s))
                })
            });
            view! { <ChoiceField label=label value=text options=options on_commit=on_commit optional=optional /> }.into_any()
        }
        T::EventType => {
            let options = Signal::derive(move || {
                choices
                    .event_types
                    .get()
                    .into_iter()
                    .map(|t| (t.clone(), t))
                    .collect::<Vec<_>>()
            });
            let on_commit = Callback::new(move |s: String| set(Some(Value::String(s))));
            view! { <ChoiceField label=label value=text options=options on_commit=on_commit /> }
                .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_reach_into_objects() {
        // Dotted keys read and write nested settings, and None removes a key.
        let mut value = json!({"keys": {"prefix": "o-"}, "count": 1});
        assert_eq!(get_path(&value, "keys.prefix"), Some(json!("o-")));
        set_path(&mut value, "keys.count", Some(json!(5)));
        set_path(&mut value, "count", None);
        set_path(&mut value, "partitionKey.name", Some(json!("id")));
        assert_eq!(
            value,
            json!({"keys": {"prefix": "o-", "count": 5}, "partitionKey": {"name": "id"}})
        );
    }

    #[test]
    fn every_step_op_and_kind_has_fields() {
        // The step editor and node settings never show an empty form for a known op or kind.
        for op in crate::state::templates::STEP_OPS {
            assert!(!step_fields(op).is_empty(), "{op}");
        }
        for (kind, _) in crate::state::templates::NODE_KINDS {
            assert!(*kind == "bus" || !kind_fields(kind).is_empty(), "{kind}");
        }
    }
}
