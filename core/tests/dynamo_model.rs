//! Model-based and behavioural tests of the tables engine: random sequences of conditional
//! writes against the engine and against a plain BTreeMap model written here (no evaluator
//! reused); lost updates under interleaving and their fix with a version condition; stream
//! records; per-partition throttling.

use std::collections::{BTreeMap, BTreeSet};

use eventlab_core::dynamo::{CapacityConfig, Database, THROTTLED_MESSAGE};
use proptest::prelude::*;
use serde_json::{json, Value};

const TABLE: &str = "model_table";

#[derive(Debug, Clone)]
enum Operation {
    /// Put a new version; `expected` None means create-only.
    Put {
        key: u8,
        expected: Option<u8>,
        version: u8,
        payload: u8,
    },
    AddCounter {
        key: u8,
        delta: i16,
    },
    SetCounter {
        key: u8,
        delta: i16,
    },
    BumpVersion {
        key: u8,
        expected: u8,
    },
    AddTag {
        key: u8,
        tag: u8,
    },
    DeleteTag {
        key: u8,
        tag: u8,
    },
    Delete {
        key: u8,
        expected: Option<u8>,
    },
    Get {
        key: u8,
    },
}

fn operation() -> impl Strategy<Value = Operation> {
    let key = 0u8..4;
    prop_oneof![
        (
            key.clone(),
            proptest::option::of(0u8..4),
            0u8..4,
            any::<u8>()
        )
            .prop_map(|(key, expected, version, payload)| Operation::Put {
                key,
                expected,
                version,
                payload
            }),
        (key.clone(), -50i16..50).prop_map(|(key, delta)| Operation::AddCounter { key, delta }),
        (key.clone(), -50i16..50).prop_map(|(key, delta)| Operation::SetCounter { key, delta }),
        (key.clone(), 0u8..4).prop_map(|(key, expected)| Operation::BumpVersion { key, expected }),
        (key.clone(), 0u8..3).prop_map(|(key, tag)| Operation::AddTag { key, tag }),
        (key.clone(), 0u8..3).prop_map(|(key, tag)| Operation::DeleteTag { key, tag }),
        (key.clone(), proptest::option::of(0u8..4))
            .prop_map(|(key, expected)| Operation::Delete { key, expected }),
        key.prop_map(|key| Operation::Get { key }),
    ]
}

/// The reference model: what each item holds, in plain Rust values.
#[derive(Debug, Clone, Default, PartialEq)]
struct ModelItem {
    version: Option<i64>,
    payload: Option<String>,
    counter: Option<i64>,
    tags: BTreeSet<String>,
}

type Model = BTreeMap<String, ModelItem>;

fn key_name(key: u8) -> String {
    format!("k{key}")
}

/// Applies an operation to the model: Ok(Some(item)) for a read, Err(()) for a failed condition.
fn apply_model(model: &mut Model, operation: &Operation) -> Result<Option<Option<ModelItem>>, ()> {
    let version_is = |model: &Model, key: &str, expected: u8| {
        model
            .get(key)
            .is_some_and(|item| item.version == Some(expected as i64))
    };
    match operation {
        Operation::Put {
            key,
            expected,
            version,
            payload,
        } => {
            let name = key_name(*key);
            let allowed = match expected {
                None => !model.contains_key(&name),
                Some(v) => version_is(model, &name, *v),
            };
            if !allowed {
                return Err(());
            }
            let item = ModelItem {
                version: Some(*version as i64),
                payload: Some(format!("p{payload}")),
                ..ModelItem::default()
            };
            model.insert(name, item);
        }
        Operation::AddCounter { key, delta } | Operation::SetCounter { key, delta } => {
            let item = model.entry(key_name(*key)).or_default();
            item.counter = Some(item.counter.unwrap_or(0) + *delta as i64);
        }
        Operation::BumpVersion { key, expected } => {
            let name = key_name(*key);
            if !version_is(model, &name, *expected) {
                return Err(());
            }
            let item = model.get_mut(&name).expect("checked");
            item.version = item.version.map(|v| v + 1);
        }
        Operation::AddTag { key, tag } => {
            model
                .entry(key_name(*key))
                .or_default()
                .tags
                .insert(format!("t{tag}"));
        }
        Operation::DeleteTag { key, tag } => {
            model
                .entry(key_name(*key))
                .or_default()
                .tags
                .remove(&format!("t{tag}"));
        }
        Operation::Delete { key, expected } => {
            let name = key_name(*key);
            if let Some(v) = expected {
                if !version_is(model, &name, *v) {
                    return Err(());
                }
            }
            model.remove(&name);
        }
        Operation::Get { key } => return Ok(Some(model.get(&key_name(*key)).cloned())),
    }
    Ok(None)
}

fn request(operation: &Operation) -> (&'static str, Value) {
    let key = |k: u8| json!({"id": {"S": key_name(k)}});
    let number = |n: i64| json!({"N": n.to_string()});
    match operation {
        Operation::Put {
            key: k,
            expected,
            version,
            payload,
        } => {
            let item = json!({"id": {"S": key_name(*k)}, "version": number(*version as i64), "payload": {"S": format!("p{payload}")}});
            let body = match expected {
                None => {
                    json!({"TableName": TABLE, "Item": item, "ConditionExpression": "attribute_not_exists(id)"})
                }
                Some(v) => {
                    json!({"TableName": TABLE, "Item": item, "ConditionExpression": "version = :expected",
                    "ExpressionAttributeValues": {":expected": number(*v as i64)}})
                }
            };
            ("PutItem", body)
        }
        Operation::AddCounter { key: k, delta } => (
            "UpdateItem",
            json!({"TableName": TABLE, "Key": key(*k),
            "UpdateExpression": "ADD #c :d", "ExpressionAttributeNames": {"#c": "counter"}, "ExpressionAttributeValues": {":d": number(*delta as i64)}}),
        ),
        Operation::SetCounter { key: k, delta } => (
            "UpdateItem",
            json!({"TableName": TABLE, "Key": key(*k),
            "UpdateExpression": "SET #c = if_not_exists(#c, :zero) + :d", "ExpressionAttributeNames": {"#c": "counter"},
            "ExpressionAttributeValues": {":d": number(*delta as i64), ":zero": number(0)}}),
        ),
        Operation::BumpVersion { key: k, expected } => (
            "UpdateItem",
            json!({"TableName": TABLE, "Key": key(*k),
            "UpdateExpression": "SET version = version + :one", "ConditionExpression": "version = :expected",
            "ExpressionAttributeValues": {":one": number(1), ":expected": number(*expected as i64)}}),
        ),
        Operation::AddTag { key: k, tag } => (
            "UpdateItem",
            json!({"TableName": TABLE, "Key": key(*k),
            "UpdateExpression": "ADD tags :t", "ExpressionAttributeValues": {":t": {"SS": [format!("t{tag}")]}}}),
        ),
        Operation::DeleteTag { key: k, tag } => (
            "UpdateItem",
            json!({"TableName": TABLE, "Key": key(*k),
            "UpdateExpression": "DELETE tags :t", "ExpressionAttributeValues": {":t": {"SS": [format!("t{tag}")]}}}),
        ),
        Operation::Delete { key: k, expected } => {
            let body = match expected {
                None => json!({"TableName": TABLE, "Key": key(*k)}),
                Some(v) => {
                    json!({"TableName": TABLE, "Key": key(*k), "ConditionExpression": "version = :expected",
                    "ExpressionAttributeValues": {":expected": number(*v as i64)}})
                }
            };
            ("DeleteItem", body)
        }
        Operation::Get { key: k } => (
            "GetItem",
            json!({"TableName": TABLE, "Key": key(*k), "ConsistentRead": true}),
        ),
    }
}

/// Reads an engine item (wire JSON) back into the model's terms.
fn to_model(item: &Value) -> ModelItem {
    let number = |field: &str| {
        item.get(field)
            .map(|v| v["N"].as_str().unwrap().parse::<i64>().unwrap())
    };
    let allowed = ["id", "version", "payload", "counter", "tags"];
    let object = item.as_object().unwrap();
    assert!(
        object.keys().all(|k| allowed.contains(&k.as_str())),
        "unexpected attribute in {item}"
    );
    if let Some(tags) = item.get("tags") {
        assert!(
            !tags["SS"].as_array().unwrap().is_empty(),
            "an empty set was stored: {item}"
        );
    }
    ModelItem {
        version: number("version"),
        payload: item
            .get("payload")
            .map(|v| v["S"].as_str().unwrap().to_string()),
        counter: number("counter"),
        tags: item
            .get("tags")
            .map(|v| {
                v["SS"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The engine and the model agree on every result and on the final state.
    #[test]
    fn engine_agrees_with_the_model(operations in proptest::collection::vec(operation(), 1..40)) {
        let mut database = Database::new();
        let mut model = Model::new();
        for (index, operation) in operations.iter().enumerate() {
            let (op, body) = request(operation);
            let engine = database.execute(op, &body, index as u64);
            let expected = apply_model(&mut model, operation);
            match (&engine, &expected) {
                (Err(error), Err(())) => prop_assert_eq!(&error.error_type, "ConditionalCheckFailedException"),
                (Ok(response), Ok(Some(read))) => {
                    let found = response.get("Item").map(to_model);
                    prop_assert_eq!(&found, read, "step {}: {:?}", index, operation);
                }
                (Ok(_), Ok(None)) => {}
                _ => prop_assert!(false, "step {}: {:?}: engine {:?}, model {:?}", index, operation, engine, expected),
            }
        }
        let engine_state: Model = database
            .items(TABLE)
            .into_iter()
            .map(|item| {
                let wire = eventlab_core::dynamo::item_to_value(item);
                (wire["id"]["S"].as_str().unwrap().to_string(), to_model(&wire))
            })
            .collect();
        prop_assert_eq!(engine_state, model);
    }
}

fn counter_of(database: &mut Database, at_ms: u64) -> (i64, i64) {
    let response = database
        .execute(
            "GetItem",
            &json!({"TableName": "stock", "Key": {"id": {"S": "sku"}}}),
            at_ms,
        )
        .unwrap();
    let field = |name: &str| {
        response["Item"][name]["N"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
    };
    (field("count"), field("version"))
}

fn put_count(
    database: &mut Database,
    count: i64,
    version: i64,
    read_version: Option<i64>,
    at_ms: u64,
) -> Result<Value, String> {
    let mut body = json!({"TableName": "stock", "Item": {"id": {"S": "sku"}, "count": {"N": count.to_string()}, "version": {"N": version.to_string()}}});
    if let Some(read_version) = read_version {
        body["ConditionExpression"] = json!("version = :read");
        body["ExpressionAttributeValues"] = json!({":read": {"N": read_version.to_string()}});
    }
    database
        .execute("PutItem", &body, at_ms)
        .map_err(|e| e.error_type)
}

/// Two read-modify-write handlers interleaved (get, get, put, put) lose one increment.
#[test]
fn interleaved_read_modify_write_loses_an_update() {
    let mut database = Database::new();
    put_count(&mut database, 10, 1, None, 0).unwrap();
    let (first, first_version) = counter_of(&mut database, 1);
    let (second, second_version) = counter_of(&mut database, 2);
    put_count(&mut database, first + 1, first_version + 1, None, 3).unwrap();
    put_count(&mut database, second + 1, second_version + 1, None, 4).unwrap();
    assert_eq!(
        counter_of(&mut database, 5).0,
        11,
        "two increments, one survives: the lost update"
    );
}

/// The same interleaving with a version condition: the second writer is refused.
#[test]
fn version_condition_turns_the_lost_update_into_a_conditional_failure() {
    let mut database = Database::new();
    put_count(&mut database, 10, 1, None, 0).unwrap();
    let (first, first_version) = counter_of(&mut database, 1);
    let (second, second_version) = counter_of(&mut database, 2);
    put_count(
        &mut database,
        first + 1,
        first_version + 1,
        Some(first_version),
        3,
    )
    .unwrap();
    let refused = put_count(
        &mut database,
        second + 1,
        second_version + 1,
        Some(second_version),
        4,
    );
    assert_eq!(refused, Err("ConditionalCheckFailedException".to_string()));
    // The refused handler re-reads and retries, and both increments count.
    let (count, version) = counter_of(&mut database, 5);
    put_count(&mut database, count + 1, version + 1, Some(version), 6).unwrap();
    assert_eq!(counter_of(&mut database, 7), (12, 3));
}

fn create_streamed_table(database: &mut Database, view: &str) {
    database
        .execute("CreateTable", &json!({"TableName": "outbox", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view}}), 0)
        .unwrap();
}

/// Streams: one record per real change in modification order, none for no-op writes, one per
/// item of a transaction, images as the view type asks.
#[test]
fn stream_records_follow_real_changes() {
    let mut database = Database::new();
    create_streamed_table(&mut database, "NEW_AND_OLD_IMAGES");
    let put = json!({"TableName": "outbox", "Item": {"id": {"S": "a"}, "v": {"N": "1"}}});
    let set_two = json!({"TableName": "outbox", "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"N": "2"}}});
    let delete = json!({"TableName": "outbox", "Key": {"id": {"S": "a"}}});
    let transaction = json!({"TransactItems": [
        {"Put": {"TableName": "outbox", "Item": {"id": {"S": "b"}}}},
        {"Put": {"TableName": "outbox", "Item": {"id": {"S": "c"}}}}]});
    let steps = [
        ("PutItem", &put),
        ("PutItem", &put),
        ("UpdateItem", &set_two),
        ("UpdateItem", &set_two),
        ("DeleteItem", &delete),
        ("DeleteItem", &delete),
        ("TransactWriteItems", &transaction),
    ];
    for (index, (op, body)) in steps.iter().enumerate() {
        database
            .execute(op, body, 1500 + index as u64 * 1000)
            .unwrap();
    }
    let records = database.drain_stream_records();
    let names: Vec<&str> = records.iter().map(|r| r.event_name.as_str()).collect();
    assert_eq!(names, ["INSERT", "MODIFY", "REMOVE", "INSERT", "INSERT"]);
    let sequence: Vec<u64> = records.iter().map(|r| r.sequence_number).collect();
    assert_eq!(sequence, [1, 2, 3, 4, 5]);
    let modify = &records[1].record;
    assert_eq!(modify["eventSource"], "aws:dynamodb");
    assert_eq!(
        modify["dynamodb"]["ApproximateCreationDateTime"], 3,
        "virtual 3500 ms is second 3"
    );
    assert_eq!(
        modify["dynamodb"]["OldImage"],
        json!({"id": {"S": "a"}, "v": {"N": "1"}})
    );
    assert_eq!(
        modify["dynamodb"]["NewImage"],
        json!({"id": {"S": "a"}, "v": {"N": "2"}})
    );
    assert_eq!(modify["dynamodb"]["Keys"], json!({"id": {"S": "a"}}));
    assert_eq!(
        modify["dynamodb"]["SequenceNumber"],
        "000000000000000000002"
    );
    assert!(records[2].record["dynamodb"].get("NewImage").is_none());
    assert!(
        database.drain_stream_records().is_empty(),
        "drained records are gone"
    );
}

#[test]
fn keys_only_streams_carry_no_images_and_tables_without_streams_emit_nothing() {
    let mut database = Database::new();
    create_streamed_table(&mut database, "KEYS_ONLY");
    database
        .execute(
            "PutItem",
            &json!({"TableName": "outbox", "Item": {"id": {"S": "a"}, "v": {"N": "1"}}}),
            0,
        )
        .unwrap();
    database
        .execute(
            "PutItem",
            &json!({"TableName": "plain", "Item": {"id": {"S": "a"}}}),
            0,
        )
        .unwrap();
    let records = database.drain_stream_records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].table_name, "outbox");
    assert_eq!(records[0].record["dynamodb"]["StreamViewType"], "KEYS_ONLY");
    assert!(records[0].record["dynamodb"].get("NewImage").is_none());
}

/// A hot partition key is throttled once its bucket is empty, refills with virtual time, and
/// does not slow down other keys; transactional writes cost twice as much.
#[test]
fn hot_partition_keys_are_throttled() {
    let mut database = Database::new();
    database.set_capacity(
        "hot",
        CapacityConfig {
            write_units_per_second: 10,
            read_units_per_second: 30,
            burst_seconds: 0,
        },
    );
    let put = |id: &str| json!({"TableName": "hot", "Item": {"id": {"S": id}}});
    for _ in 0..10 {
        database.execute("PutItem", &put("celebrity"), 0).unwrap();
    }
    let throttled = database
        .execute("PutItem", &put("celebrity"), 0)
        .unwrap_err();
    assert_eq!(
        throttled.error_type,
        "ProvisionedThroughputExceededException"
    );
    assert_eq!(throttled.message, THROTTLED_MESSAGE);
    database
        .execute("PutItem", &put("someone_else"), 0)
        .unwrap();
    database.execute("PutItem", &put("celebrity"), 100).unwrap();
    assert!(database.execute("PutItem", &put("celebrity"), 100).is_err());
    let transaction =
        json!({"TransactItems": [{"Put": {"TableName": "hot", "Item": {"id": {"S": "tx"}}}}]});
    for _ in 0..5 {
        database
            .execute("TransactWriteItems", &transaction, 200)
            .unwrap();
    }
    let cancelled = database
        .execute("TransactWriteItems", &transaction, 200)
        .unwrap_err();
    assert_eq!(cancelled.error_type, "TransactionCanceledException");
    assert_eq!(
        cancelled.cancellation_reasons.unwrap()[0]["Code"],
        "ProvisionedThroughputExceeded"
    );
}

#[test]
fn burst_capacity_banks_unused_seconds() {
    let mut database = Database::new();
    database.set_capacity(
        "bursty",
        CapacityConfig {
            write_units_per_second: 10,
            read_units_per_second: 30,
            burst_seconds: 300,
        },
    );
    let put = json!({"TableName": "bursty", "Item": {"id": {"S": "k"}}});
    database.execute("PutItem", &put, 0).unwrap();
    // Ten idle seconds bank 100 more units on top of the one-second bucket.
    for _ in 0..109 {
        database.execute("PutItem", &put, 10_000).unwrap();
    }
    assert!(database.execute("PutItem", &put, 10_000).is_err());
}
