//! Reading the document's tagged and flattened parts through `serde_json::Value`.
//!
//! serde's derive reads an internally tagged enum (`#[serde(tag = "op")]`) or a struct with a
//! `#[serde(flatten)]` field by buffering the input into its private `Content` type and then
//! running a second deserializer over that buffer, once per variant type. In the page's wasm
//! bundle that machinery was about 42 KB of code. A design is always read from JSON, so these
//! types read the object as a `Value` instead (its deserializer is in the bundle anyway): the
//! tag picks the variant, and the variant's derived impl reads the same object. Serializing is
//! left to the derives; the JSON shape is the same both ways.
//!
//! A struct whose flattened part is filled here marks that field `skip_deserializing` (which
//! keeps the derive off `Content`) and must be read through the function next to it.

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::document::{Check, Node, NodeKind};
use super::scenario::ScriptedFault;
use super::step::{Expressions, IfStep, QueryStep, Step, TransactItem, WriteStep};

/// The object a tagged value must be.
pub(crate) fn object<E: Error>(value: Value, what: &'static str) -> Result<Map<String, Value>, E> {
    match value {
        Value::Object(object) => Ok(object),
        _ => Err(E::custom(format_args!(
            "invalid type: expected {what} as an object"
        ))),
    }
}

/// The tag's string; the tag stays in the object (every variant's derive ignores it).
pub(crate) fn tag<E: Error>(object: &Map<String, Value>, tag: &'static str) -> Result<String, E> {
    match object.get(tag) {
        Some(Value::String(name)) => Ok(name.clone()),
        Some(_) => Err(E::custom(format_args!(
            "invalid type: `{tag}` must be a string"
        ))),
        None => Err(E::missing_field(tag)),
    }
}

/// Reads a variant (or any part) from the object with its derived impl.
pub(crate) fn read<T: DeserializeOwned, E: Error>(object: Map<String, Value>) -> Result<T, E> {
    T::deserialize(Value::Object(object)).map_err(E::custom)
}

/// Reads a part from a borrowed object, for a flattened field read beside the rest.
pub(crate) fn read_ref<T: DeserializeOwned, E: Error>(object: &Map<String, Value>) -> Result<T, E> {
    read(object.clone())
}

/// Takes one field out of the object: `None` when it is absent.
pub(crate) fn take<T: DeserializeOwned, E: Error>(
    object: &mut Map<String, Value>,
    key: &'static str,
) -> Result<Option<T>, E> {
    // `shift_remove` keeps the other keys in order (a check's spec is written back as it came).
    match object.shift_remove(key) {
        None => Ok(None),
        Some(value) => T::deserialize(value)
            .map(Some)
            .map_err(|e| E::custom(format_args!("`{key}`: {e}"))),
    }
}

/// Takes a field that must be there.
fn required<T: DeserializeOwned, E: Error>(
    object: &mut Map<String, Value>,
    key: &'static str,
) -> Result<T, E> {
    take(object, key)?.ok_or_else(|| E::missing_field(key))
}

/// Reads `T` with its derived impl, then its flattened `Expressions` from the same object.
fn with_expressions<T: DeserializeOwned, E: Error>(
    object: Map<String, Value>,
    expressions: impl FnOnce(&mut T) -> &mut Expressions,
) -> Result<T, E> {
    let flattened: Expressions = read_ref(&object)?;
    let mut part: T = read(object)?;
    *expressions(&mut part) = flattened;
    Ok(part)
}

fn write_step<E: Error>(object: Map<String, Value>) -> Result<WriteStep, E> {
    with_expressions(object, |w: &mut WriteStep| &mut w.expressions)
}

const STEP_OPS: &[&str] = &[
    "get",
    "put",
    "update",
    "delete",
    "query",
    "transactWrite",
    "emit",
    "send",
    "invoke",
    "startExecution",
    "sendTaskSuccess",
    "sendTaskFailure",
    "call",
    "if",
    "fail",
];

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = object(Value::deserialize(deserializer)?, "a step")?;
        let op = tag(&object, "op")?;
        Ok(match op.as_str() {
            "get" => Step::Get(read(object)?),
            "put" => Step::Put(write_step(object)?),
            "update" => Step::Update(write_step(object)?),
            "delete" => Step::Delete(write_step(object)?),
            "query" => Step::Query(with_expressions(object, |q: &mut QueryStep| {
                &mut q.expressions
            })?),
            "transactWrite" => Step::TransactWrite(read(object)?),
            "emit" => Step::Emit(read(object)?),
            "send" => Step::Send(read(object)?),
            "invoke" => Step::Invoke(read(object)?),
            "startExecution" => Step::StartExecution(read(object)?),
            "sendTaskSuccess" => Step::SendTaskSuccess(read(object)?),
            "sendTaskFailure" => Step::SendTaskFailure(read(object)?),
            "call" => Step::Call(read(object)?),
            "if" => Step::If(with_expressions(object, |i: &mut IfStep| {
                &mut i.expressions
            })?),
            "fail" => Step::Fail(read(object)?),
            other => return Err(D::Error::unknown_variant(other, STEP_OPS)),
        })
    }
}

impl<'de> Deserialize<'de> for TransactItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = object(Value::deserialize(deserializer)?, "a transaction item")?;
        let action = tag(&object, "action")?;
        Ok(match action.as_str() {
            "put" => TransactItem::Put(write_step(object)?),
            "update" => TransactItem::Update(write_step(object)?),
            "delete" => TransactItem::Delete(write_step(object)?),
            "conditionCheck" => TransactItem::ConditionCheck(write_step(object)?),
            other => {
                const ACTIONS: &[&str] = &["put", "update", "delete", "conditionCheck"];
                return Err(D::Error::unknown_variant(other, ACTIONS));
            }
        })
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = object(Value::deserialize(deserializer)?, "a node")?;
        let id = required(&mut object, "id")?;
        let name = take(&mut object, "name")?.unwrap_or_default();
        let service = take(&mut object, "service")?;
        let kind = node_kind(object)?;
        Ok(Node {
            id,
            name,
            service,
            kind,
        })
    }
}

impl<'de> Deserialize<'de> for NodeKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        node_kind(object(Value::deserialize(deserializer)?, "a node")?)
    }
}

fn node_kind<E: Error>(object: Map<String, Value>) -> Result<NodeKind, E> {
    const KINDS: &[&str] = &[
        "bus",
        "queue",
        "function",
        "table",
        "stateMachine",
        "externalApi",
        "producer",
        "pipe",
    ];
    let kind = tag(&object, "kind")?;
    Ok(match kind.as_str() {
        "bus" => NodeKind::Bus(read(object)?),
        "queue" => NodeKind::Queue(read(object)?),
        "function" => NodeKind::Function(read(object)?),
        "table" => NodeKind::Table(read(object)?),
        "stateMachine" => NodeKind::StateMachine(read(object)?),
        "externalApi" => NodeKind::ExternalApi(read(object)?),
        "producer" => NodeKind::Producer(read(object)?),
        "pipe" => NodeKind::Pipe(read(object)?),
        other => return Err(E::unknown_variant(other, KINDS)),
    })
}

impl<'de> Deserialize<'de> for Check {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut spec = object(Value::deserialize(deserializer)?, "a check")?;
        let id = required(&mut spec, "id")?;
        Ok(Check { id, spec })
    }
}

impl<'de> Deserialize<'de> for ScriptedFault {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut object = object(Value::deserialize(deserializer)?, "a scripted fault")?;
        let kind = tag(&object, "kind")?;
        let o = &mut object;
        Ok(match kind.as_str() {
            "duplicate" => ScriptedFault::Duplicate {
                event_type: required(o, "eventType")?,
                nth: required(o, "nth")?,
            },
            "delay" => ScriptedFault::Delay {
                event_type: required(o, "eventType")?,
                nth: required(o, "nth")?,
                delay_ms: required(o, "delayMs")?,
            },
            "crash" => ScriptedFault::Crash {
                function: required(o, "function")?,
                after_step: required(o, "afterStep")?,
                attempt: take(o, "attempt")?.unwrap_or(0),
            },
            other => {
                const KINDS: &[&str] = &["duplicate", "delay", "crash"];
                return Err(D::Error::unknown_variant(other, KINDS));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::design::ScriptedFault;

    fn step(value: Value) -> Result<Step, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn flattened_expressions_are_read_beside_the_other_fields() {
        let names = json!({"#s": "status"});
        let values = json!({":v": 1});
        let put = json!({"op": "put", "table": "t", "item": {}, "condition": "#s = :v",
                         "names": names, "values": values});
        let Ok(Step::Put(write)) = step(put.clone()) else {
            panic!("a put")
        };
        assert_eq!(write.expressions.names["#s"], "status");
        assert_eq!(write.expressions.values[":v"], json!(1));
        assert_eq!(write.condition.as_deref(), Some("#s = :v"));
        // Written back, the same object.
        assert_eq!(
            serde_json::to_value(Step::Put(write)).unwrap()["names"],
            names
        );

        let query = json!({"op": "query", "table": "t", "keyCondition": "pk = :v",
                           "values": values, "as": "rows"});
        let Ok(Step::Query(query)) = step(query) else {
            panic!("a query")
        };
        assert_eq!(query.expressions.values[":v"], json!(1));
        let decision = json!({"op": "if", "condition": "#s = :v", "names": names,
                              "then": [{"op": "fail", "error": "E"}]});
        let Ok(Step::If(decision)) = step(decision) else {
            panic!("an if")
        };
        assert_eq!(decision.expressions.names["#s"], "status");
        assert!(matches!(decision.then[..], [Step::Fail(_)]));
        let transaction = json!({"op": "transactWrite", "items": [
            {"action": "conditionCheck", "table": "t", "key": {}, "condition": "#s = :v",
             "names": names, "values": values}]});
        let Ok(Step::TransactWrite(transaction)) = step(transaction) else {
            panic!("a tx")
        };
        let TransactItem::ConditionCheck(check) = &transaction.items[0] else {
            panic!()
        };
        assert_eq!(check.expressions.values[":v"], json!(1));
    }

    #[test]
    fn bad_tags_say_which_tag_and_what_it_may_be() {
        let unknown = step(json!({"op": "scan", "table": "t"})).unwrap_err();
        assert!(
            unknown.starts_with("unknown variant `scan`, expected one of `get`"),
            "{unknown}"
        );
        assert_eq!(
            step(json!({"table": "t"})).unwrap_err(),
            "missing field `op`"
        );
        assert_eq!(
            step(json!({"op": 3})).unwrap_err(),
            "invalid type: `op` must be a string"
        );
        assert_eq!(
            step(json!([])).unwrap_err(),
            "invalid type: expected a step as an object"
        );
        let missing = step(json!({"op": "get", "key": {}, "as": "x"})).unwrap_err();
        assert_eq!(missing, "missing field `table`");
        let node: Result<Node, _> = serde_json::from_value(json!({"id": "n", "kind": "topic"}));
        assert!(node
            .unwrap_err()
            .to_string()
            .contains("unknown variant `topic`"));
        let node: Result<Node, _> = serde_json::from_value(json!({"kind": "bus"}));
        assert_eq!(node.unwrap_err().to_string(), "missing field `id`");
    }

    #[test]
    fn scripted_faults_and_checks_read_as_written() {
        let crash: ScriptedFault =
            serde_json::from_value(json!({"kind": "crash", "function": "f", "afterStep": 2}))
                .unwrap();
        assert_eq!(
            crash,
            ScriptedFault::Crash {
                function: "f".into(),
                after_step: 2,
                attempt: 0
            }
        );
        let delay: Result<ScriptedFault, _> =
            serde_json::from_value(json!({"kind": "delay", "eventType": "t", "nth": 1}));
        assert_eq!(delay.unwrap_err().to_string(), "missing field `delayMs`");
        let wrong: Result<ScriptedFault, _> =
            serde_json::from_value(json!({"kind": "duplicate", "eventType": "t", "nth": "first"}));
        assert!(wrong
            .unwrap_err()
            .to_string()
            .starts_with("`nth`: invalid type"));
        let check = json!({"id": "c", "kind": "exactlyOnce", "api": "a", "description": "d"});
        let read: Check = serde_json::from_value(check.clone()).unwrap();
        assert_eq!(
            read.spec.keys().collect::<Vec<_>>(),
            ["kind", "api", "description"]
        );
        assert_eq!(serde_json::to_string(&read).unwrap(), check.to_string());
    }
}
