//! `eventlab table REQUESTS.json` run as a built binary: the output has one element per request
//! with responses and errors in the documented shapes; exit 0 whenever the file was read, 2 for
//! an unreadable file, invalid JSON or the wrong top-level shape, with a message saying where.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

fn write(name: &str, contents: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn run(path: &PathBuf) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_eventlab"))
        .arg("table")
        .arg(path)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn runs_requests_and_prints_one_answer_each() {
    let requests = json!([
        {"op": "PutItem", "request": {"TableName": "orders", "Item": {"id": {"S": "o1"}, "status": {"S": "NEW"}, "version": {"N": "1"}}}},
        {"op": "UpdateItem", "request": {"TableName": "orders", "Key": {"id": {"S": "o1"}},
            "UpdateExpression": "SET #s = :paid, version = version + :one", "ConditionExpression": "version = :v",
            "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":paid": {"S": "PAID"}, ":one": {"N": "1"}, ":v": {"N": "1"}},
            "ReturnValues": "ALL_NEW"}},
        {"op": "UpdateItem", "request": {"TableName": "orders", "Key": {"id": {"S": "o1"}},
            "UpdateExpression": "SET version = :one", "ConditionExpression": "version = :v",
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":v": {"N": "1"}}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        {"op": "UpdateItem", "request": {"TableName": "orders", "Key": {"id": {"S": "o1"}}, "UpdateExpression": "SET a = b + c + d"}},
        {"op": "GetItem", "request": {"TableName": "orders", "Key": {"id": {"S": "o1"}}, "ProjectionExpression": "#s", "ExpressionAttributeNames": {"#s": "status"}}}
    ]);
    let (code, stdout, stderr) = run(&write("table_basic.json", &requests.to_string()));
    assert_eq!(code, 0, "{stderr}");
    let answers: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answers.as_array().unwrap().len(), 5);
    assert_eq!(answers[0], json!({}));
    assert_eq!(
        answers[1],
        json!({"Attributes": {"id": {"S": "o1"}, "status": {"S": "PAID"}, "version": {"N": "2"}}})
    );
    assert_eq!(
        answers[2],
        json!({"error": {"type": "ConditionalCheckFailedException", "message": "The conditional request failed",
        "Item": {"id": {"S": "o1"}, "status": {"S": "PAID"}, "version": {"N": "2"}}}})
    );
    assert_eq!(
        answers[3],
        json!({"error": {"type": "ValidationException",
        "message": "Invalid UpdateExpression: Syntax error; token: \"+\", near: \"c + d\"", "position": 14}})
    );
    assert_eq!(answers[4], json!({"Item": {"status": {"S": "PAID"}}}));
}

#[test]
fn transaction_cancellations_carry_their_reasons() {
    let requests = json!([
        {"op": "TransactWriteItems", "request": {"TransactItems": [
            {"Put": {"TableName": "ledger", "Item": {"id": {"S": "a"}}}},
            {"ConditionCheck": {"TableName": "ledger", "Key": {"id": {"S": "b"}}, "ConditionExpression": "attribute_exists(id)"}}]}},
        {"op": "GetItem", "request": {"TableName": "ledger", "Key": {"id": {"S": "a"}}}}
    ]);
    let (code, stdout, _) = run(&write("table_transaction.json", &requests.to_string()));
    assert_eq!(code, 0);
    let answers: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answers[0]["error"]["type"], "TransactionCanceledException");
    assert_eq!(answers[0]["error"]["message"], "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
    assert_eq!(
        answers[0]["error"]["CancellationReasons"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        answers[1],
        json!({}),
        "nothing of a cancelled transaction is applied"
    );
}

#[test]
fn failing_requests_still_exit_zero() {
    let requests = json!([{"op": "Nope", "request": {}}, {"op": "PutItem", "request": "not an object"}, {"op": "GetItem"}]);
    let (code, stdout, _) = run(&write("table_errors.json", &requests.to_string()));
    assert_eq!(code, 0);
    let answers: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answers.as_array().unwrap().len(), 3);
    assert!(answers
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a.get("error").is_some()));
}

#[test]
fn unusable_files_exit_two_and_say_where() {
    let (code, _, stderr) = run(&write("table_invalid.json", "[{\"op\": \"PutItem\",}"));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("table_invalid.json") && stderr.contains("line 1"),
        "{stderr}"
    );

    let (code, _, stderr) = run(&write("table_object.json", "{\"op\": \"PutItem\"}"));
    assert_eq!(code, 2);
    assert!(stderr.contains("expected a JSON array"), "{stderr}");

    let (code, _, stderr) = run(&write(
        "table_element.json",
        "[{\"op\": \"PutItem\", \"request\": {}}, 7]",
    ));
    assert_eq!(code, 2);
    assert!(stderr.contains("element 1"), "{stderr}");

    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("does_not_exist.json");
    let (code, _, stderr) = run(&missing);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read"), "{stderr}");
}
