//! The `table` subcommand (see docs/cli.md): runs a JSON array of DynamoDB API requests,
//! `{"op", "request", "at_ms"?}`, against in-memory tables and prints one JSON array with one
//! element per request (the response body, or `{"error": {...}}`). Exit 0 whenever the file was
//! read; 2 when it cannot be read or is not such an array.

use eventlab_core::dynamo::Database;
use serde_json::Value;

use crate::args::{read_json, Arguments};
use crate::{CommandResult, Failure, Outcome};

pub fn run(arguments: &[String]) -> CommandResult {
    let parsed = Arguments::parse(arguments, &[], &[])?;
    let [path] = parsed.expect_positionals("REQUESTS.json")? else {
        return Err(Failure::new("expected REQUESTS.json"));
    };
    let requests = read_json(path)?;
    let responses =
        run_requests(&requests).map_err(|message| Failure::new(format!("{path}: {message}")))?;
    let text = serde_json::to_string_pretty(&Value::Array(responses))
        .map_err(|e| Failure::new(format!("cannot print the responses: {e}")))?;
    println!("{text}");
    Ok(Outcome::Clean)
}

/// Runs every request in order; Err says where the file's shape is wrong.
pub fn run_requests(requests: &Value) -> Result<Vec<Value>, String> {
    let Value::Array(requests) = requests else {
        return Err(
            "expected a JSON array of {\"op\", \"request\", \"at_ms\"?} objects".to_string(),
        );
    };
    let mut database = Database::new();
    let mut responses = Vec::with_capacity(requests.len());
    let mut previous_ms: Option<u64> = None;
    for (index, entry) in requests.iter().enumerate() {
        let Value::Object(entry) = entry else {
            return Err(format!(
                "element {index}: expected an object with \"op\" and \"request\""
            ));
        };
        let Some(Value::String(op)) = entry.get("op") else {
            return Err(format!("element {index}: \"op\" must be a string"));
        };
        let request = entry.get("request").unwrap_or(&Value::Null);
        let at_ms = match entry.get("at_ms") {
            None | Some(Value::Null) => previous_ms.map_or(0, |ms| ms.saturating_add(1)),
            Some(value) => value.as_u64().ok_or_else(|| {
                format!("element {index}: \"at_ms\" must be a non-negative integer")
            })?,
        };
        previous_ms = Some(at_ms);
        let response = database
            .execute(op, request, at_ms)
            .unwrap_or_else(|error| error.to_json());
        responses.push(response);
    }
    Ok(responses)
}

#[cfg(test)]
mod tests {
    use super::run_requests;
    use serde_json::{json, Map, Value};

    /// A small xorshift generator: the test needs varied JSON, not a random crate.
    struct Generator(u64);

    impl Generator {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
            choices[(self.next() % choices.len() as u64) as usize]
        }

        fn value(&mut self, depth: u32) -> Value {
            let words = [
                "S",
                "N",
                "B",
                "SS",
                "NS",
                "L",
                "M",
                "NULL",
                "BOOL",
                "id",
                "TableName",
                "Key",
                "Item",
                "op",
                "request",
                "at_ms",
                "UpdateExpression",
                "ConditionExpression",
                "KeyConditionExpression",
                "ExpressionAttributeValues",
                ":v",
                "#n",
                "TransactItems",
                "Put",
                "Update",
                "a = :v",
                "SET a = :v",
                "1e130",
                "YQ==",
                "PutItem",
                "Query",
                "TransactWriteItems",
                "CreateTable",
                "",
                "ADD a :v",
            ];
            match (self.next() % if depth == 0 { 4 } else { 6 }, depth) {
                (0, _) => Value::Null,
                (1, _) => Value::Bool(self.next().is_multiple_of(2)),
                (2, _) => json!((self.next() % 2001) as i64 - 1000),
                (3, _) => Value::String(self.pick(&words).to_string()),
                (4, _) => Value::Array(
                    (0..self.next() % 4)
                        .map(|_| self.value(depth - 1))
                        .collect(),
                ),
                _ => {
                    let mut object = Map::new();
                    for _ in 0..self.next() % 5 {
                        let key = self.pick(&words).to_string();
                        object.insert(key, self.value(depth - 1));
                    }
                    Value::Object(object)
                }
            }
        }
    }

    /// Whatever JSON the file holds, request handling returns an answer or a shape error and
    /// never panics; a valid array always gets one answer per element.
    #[test]
    fn arbitrary_json_never_panics() {
        let mut generator = Generator(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let document = generator.value(5);
            let _ = run_requests(&document);
            let ops = [
                "PutItem",
                "GetItem",
                "UpdateItem",
                "DeleteItem",
                "Query",
                "TransactWriteItems",
                "CreateTable",
                "Nope",
            ];
            let entries: Vec<Value> = (0..generator.next() % 4)
                .map(|_| json!({"op": generator.pick(&ops), "request": generator.value(4)}))
                .collect();
            let count = entries.len();
            let answers = run_requests(&Value::Array(entries)).expect("a well-shaped file");
            assert_eq!(answers.len(), count);
        }
    }

    #[test]
    fn time_defaults_to_previous_plus_one() {
        let requests = json!([
            {"op": "TransactWriteItems", "at_ms": 1000, "request": {"ClientRequestToken": "t", "TransactItems": [{"Put": {"TableName": "tbl", "Item": {"id": {"S": "a"}}}}]}},
            {"op": "TransactWriteItems", "request": {"ClientRequestToken": "t", "TransactItems": [{"Put": {"TableName": "tbl", "Item": {"id": {"S": "b"}}}}]}}
        ]);
        let answers = run_requests(&requests).unwrap();
        assert_eq!(
            answers[1]["error"]["type"], "IdempotentParameterMismatchException",
            "1001 ms is inside the window"
        );
        assert!(run_requests(&json!([{"op": 1}]))
            .unwrap_err()
            .contains("element 0"));
        assert!(run_requests(&json!([{"op": "GetItem", "at_ms": -1}]))
            .unwrap_err()
            .contains("at_ms"));
    }
}
