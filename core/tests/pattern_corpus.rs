//! The pattern engine against case files: the public corpus (event-ruler and Quamina, 159
//! cases) and our own files for every operator, trap and validation message.

use eventlab_core::pattern::{Pattern, RuleSet};
use serde_json::Value;

/// One case's verdict as text: "true", "false" or the exact error message.
fn verdict(pattern: &Value, event: &Value) -> String {
    let text = match pattern {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    match Pattern::parse(&text) {
        Ok(parsed) => {
            let alone = parsed.matches(event);
            let compiled = RuleSet::compile(&[("rule".to_string(), parsed)]);
            let together = compiled.matching_rules(event) == vec!["rule".to_string()];
            if alone == together {
                alone.to_string()
            } else {
                format!("Pattern::matches says {alone} but RuleSet says {together}")
            }
        }
        Err(error) => error.to_string(),
    }
}

/// Runs every case of a file; fails naming each failing case.
fn check(file: &str) {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(!cases.is_empty(), "{file} has no cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("(unnamed)");
        let expected = match &case["expected"] {
            Value::String(message) => message.clone(),
            other => other.to_string(),
        };
        let actual = verdict(&case["pattern"], &case["event"]);
        if actual != expected {
            failures.push(format!("{name}: expected {expected}, got {actual}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed in {file}:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

// Proves the engine agrees with event-ruler on all 159 public cases.
#[test]
fn public_corpus() {
    check("eventbridge-patterns.json");
}

// Proves every operator on matching and non-matching values, type rules included.
#[test]
fn operators() {
    check("patterns/operators.json");
}

// Proves the traps of the reference: arrays, dotted keys, $or and its fallback, exists.
#[test]
fn traps() {
    check("patterns/traps.json");
}

// Proves every validation message is EventBridge's (or Ruler's) exact text.
#[test]
fn validation_messages() {
    check("patterns/errors.json");
}
