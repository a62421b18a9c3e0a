//! Every property kind judged on a design where it holds and one where it fails: the status,
//! the trace event that decided it, and the words of the explanation (cases in
//! tests/data/checks/properties.json).

use std::path::Path;

use eventlab_core::check::{compile_checks, evaluate_property, CheckResult};
use eventlab_core::design::{load_value, Design};
use eventlab_core::sim::{simulate, RunOptions};
use serde_json::Value;

/// Loads a design file (relative to the repository root), with the case's scenario fields and
/// its one check put in place of the file's own.
fn design_for(case: &Value) -> Design {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join(case["design"].as_str().unwrap());
    let mut document: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    if let Some(patch) = case.get("scenario").and_then(Value::as_object) {
        for (field, value) in patch {
            document["scenario"][field] = value.clone();
        }
    }
    document["checks"] = Value::Array(vec![case["check"].clone()]);
    load_value(document).unwrap().design
}

fn judge(case: &Value) -> CheckResult {
    let design = design_for(case);
    let (properties, problems) = compile_checks(&design);
    assert!(problems.is_empty(), "{}: {problems:?}", case["name"]);
    let run = simulate(
        &design,
        &RunOptions {
            seed: case["seed"].as_u64(),
            ..RunOptions::default()
        },
    );
    evaluate_property(&properties[0], &design, &run)
}

/// The one boundary: a case in, its expected status, deciding event and words out.
fn check(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let result = judge(case);
    let expected = &case["expected"];
    assert_eq!(
        result.status.name(),
        expected["status"].as_str().unwrap(),
        "{name}: {result:#?}"
    );
    match expected.get("decidingEvent") {
        // "named": the explanation points at the deciding event itself, whatever its number.
        Some(Value::String(named)) if named == "named" => {
            let seq = result.deciding_event.expect("a deciding event");
            assert!(
                result.explanation.contains(&format!("#{seq}")),
                "{name}: #{seq} not in {:?}",
                result.explanation
            );
        }
        Some(seq) => assert_eq!(
            result.deciding_event,
            seq.as_u64().map(|s| s as u32),
            "{name}: {result:#?}"
        ),
        None => {}
    }
    for words in expected["explanationContains"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let words = words.as_str().unwrap();
        assert!(
            result.explanation.contains(words),
            "{name}: expected {words:?} in {:?}",
            result.explanation
        );
    }
    if let Some(faults) = expected.get("faults") {
        let faults: Vec<String> = serde_json::from_value(faults.clone()).unwrap();
        assert_eq!(result.faults, faults, "{name}");
    }
}

#[test]
fn every_kind_holds_and_fails_where_it_should() {
    // Each case names a design, a seed and one check; each kind appears at least once passing
    // and once failing.
    let text = include_str!("data/checks/properties.json");
    let cases: Vec<Value> = serde_json::from_str(text).unwrap();
    let mut kinds_passed = std::collections::BTreeSet::new();
    let mut kinds_failed = std::collections::BTreeSet::new();
    for case in &cases {
        check(case);
        let kind = case["check"]["kind"].as_str().unwrap().to_string();
        match case["expected"]["status"].as_str().unwrap() {
            "passed" => kinds_passed.insert(kind),
            "failed" => kinds_failed.insert(kind),
            _ => false,
        };
    }
    for kind in [
        "atMostOnce",
        "exactlyOnce",
        "finalItems",
        "count",
        "queueEmpty",
        "reaches",
        "versionMonotonic",
        "lint",
    ] {
        assert!(kinds_passed.contains(kind), "no passing case for {kind}");
        assert!(kinds_failed.contains(kind), "no failing case for {kind}");
    }
}

#[test]
fn a_run_stopped_at_a_bound_leaves_eventually_undecided() {
    // lost-update-fixed retries a conflicting handler a minute later; a 10-second bound stops
    // the run first, so "every order ends paid and baking" must be undecided, never passed.
    let case = serde_json::json!({
        "name": "bounded",
        "design": "designs/lost-update-fixed.json",
        "seed": 1,
        "scenario": {"bounds": {"maxTimeMs": 10000}},
        "check": {"id": "no-lost-update", "kind": "finalItems", "table": "orders",
                  "condition": "paymentStatus = :paid", "values": {":paid": {"S": "paid"}}}
    });
    let result = judge(&case);
    assert_eq!(result.status.name(), "undecided", "{result:#?}");
    assert!(
        result.explanation.contains("cannot be decided"),
        "{}",
        result.explanation
    );
}

#[test]
fn checks_that_cannot_be_judged_say_why() {
    // A check with an unknown kind, a mode its kind does not allow, a condition DynamoDB rejects
    // or a reference to a missing node is a problem before any run, with a message.
    let cases = [
        (serde_json::json!({"id": "a", "kind": "nope"}), "unknown kind 'nope' (known: atMostOnce, exactlyOnce, finalItems, count, queueEmpty, reaches, versionMonotonic, lint)"),
        (serde_json::json!({"id": "b", "kind": "atMostOnce", "api": "payment-provider", "mode": "eventually"}), "mode 'eventually' is not one atMostOnce allows (always)"),
        (serde_json::json!({"id": "c", "kind": "finalItems", "table": "orders", "condition": "status = "}), "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \""),
        (serde_json::json!({"id": "d", "kind": "queueEmpty", "queue": "ghost"}), "'queue' names ghost, which is not in the design"),
        (serde_json::json!({"id": "e", "kind": "count", "traceKind": "published"}), "a count needs min, max or both"),
        (serde_json::json!({"id": "f", "kind": "lint", "rule": "no-such-rule"}), "unknown lint rule 'no-such-rule'"),
    ];
    for (check, message) in cases {
        let case = serde_json::json!({"design": "designs/lost-update.json", "check": check});
        let design = design_for(&case);
        let (properties, problems) = compile_checks(&design);
        assert!(properties.is_empty());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, message, "{check}");
    }
}
