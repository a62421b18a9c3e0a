//! API-level scenarios from tests/data/dynamo/scenarios.json: each step is a DynamoDB request
//! run against one Database, and its response (or error, in the CLI's error shape) must equal
//! the expected JSON exactly.

use eventlab_core::dynamo::Database;
use serde_json::Value;

#[test]
fn scenarios_from_file() {
    let path = format!(
        "{}/tests/data/dynamo/scenarios.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let scenarios: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut failures = Vec::new();
    for scenario in &scenarios {
        let mut database = Database::new();
        let mut at_ms = 0;
        for (index, step) in scenario["steps"].as_array().unwrap().iter().enumerate() {
            at_ms = step["at_ms"]
                .as_u64()
                .unwrap_or(if index == 0 { 0 } else { at_ms + 1 });
            let outcome = database.execute(step["op"].as_str().unwrap(), &step["request"], at_ms);
            let got = outcome.unwrap_or_else(|e| e.to_json());
            if got != step["expect"] {
                failures.push(format!(
                    "{} / step {index} ({}):\n  expected {}\n  got      {}",
                    scenario["name"], step["op"], step["expect"], got
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} steps failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
