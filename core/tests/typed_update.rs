//! The typed UpdateItem call the simulator makes answers exactly what the request body its
//! parts write is answered: the same attributes, the same error words, the same items after.

use eventlab_core::dynamo::{item_from_wire, AttributeValue, Database, UpdateCall};
use serde_json::{json, Value};

/// A table like the photo aggregator's state table.
fn database() -> Database {
    let mut database = Database::new();
    let create = json!({"TableName": "photos", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "photoId", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "photoId", "AttributeType": "S"}]});
    database
        .execute("CreateTable", &create, 0)
        .expect("the table");
    database
}

/// The typed parts a request body stands for, or None when it holds something parts cannot
/// (then the body itself is sent, as the simulator does).
fn typed_answer(database: &mut Database, body: &Value) -> Option<Result<Value, Value>> {
    let text = |field: &str| body.get(field).and_then(Value::as_str);
    let key = item_from_wire(body.get("Key")?).ok()?;
    let names: Vec<(String, String)> = match body.get("ExpressionAttributeNames") {
        Some(Value::Object(names)) => names
            .iter()
            .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect::<Option<_>>()?,
        _ => Vec::new(),
    };
    let values: Vec<(String, AttributeValue)> = match body.get("ExpressionAttributeValues") {
        Some(Value::Object(values)) => values
            .iter()
            .map(|(k, v)| Some((k.clone(), AttributeValue::from_wire(v).ok()?)))
            .collect::<Option<_>>()?,
        _ => Vec::new(),
    };
    let call = UpdateCall {
        table_name: text("TableName")?,
        key,
        update_expression: text("UpdateExpression"),
        condition_expression: text("ConditionExpression"),
        names: &names,
        values: &values,
        return_values: text("ReturnValues").unwrap_or("NONE"),
    };
    let answer = database.update_item_call(call, 1_000)?;
    Some(answer.map(|a| a.into_body()).map_err(|e| e.to_json()))
}

/// Answers the requests both ways and returns how many the typed call answered itself.
fn check(name: &str, requests: &[Value]) -> usize {
    let (mut by_body, mut by_parts) = (database(), database());
    let mut typed = 0;
    for request in requests {
        let mut body = request.clone();
        if body.get("TableName").is_none() {
            body["TableName"] = json!("photos");
        }
        let expected = by_body
            .execute("UpdateItem", &body, 1_000)
            .map_err(|e| e.to_json());
        let answered = match typed_answer(&mut by_parts, &body) {
            Some(answered) => {
                typed += 1;
                answered
            }
            None => by_parts
                .execute("UpdateItem", &body, 1_000)
                .map_err(|e| e.to_json()),
        };
        assert_eq!(answered, expected, "{name}: {body}");
    }
    let items = |database: &Database| -> Vec<Value> {
        database
            .items("photos")
            .into_iter()
            .map(eventlab_core::dynamo::item_to_value)
            .collect()
    };
    assert_eq!(items(&by_parts), items(&by_body), "{name}: the items after");
    typed
}

// Each case's requests are answered the same through typed parts as through their bodies.
#[test]
fn typed_updates_answer_as_their_bodies() {
    let text = include_str!("data/typed_update/cases.json");
    let cases: Vec<Value> = serde_json::from_str(text).expect("cases");
    let mut typed = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let requests = case["requests"].as_array().cloned().unwrap_or_default();
        typed += check(name, &requests);
    }
    // Most requests (every valid one, and the errors found at the table) go the typed way.
    assert!(typed >= 12, "only {typed} requests were answered typed");
}
