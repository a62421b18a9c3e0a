//! Each lint rule on a design that triggers it and on one that does not, with the exact
//! finding lines (cases in tests/data/checks/lint.json), and the rules as data.

use eventlab_core::design::{load_value, Severity};
use eventlab_core::lint::{lint, lint_with, rule, rules};
use serde_json::Value;

/// The one boundary: a design and rule ids in, the finding lines out.
fn check(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let loaded = load_value(case["design"].clone()).unwrap();
    let ids: Vec<&str> = case["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let lines: Vec<String> = lint_with(&loaded.design, &ids)
        .iter()
        .map(|f| f.to_line())
        .collect();
    let expected: Vec<String> = serde_json::from_value(case["expected"].clone()).unwrap();
    assert_eq!(lines, expected, "{name}");
}

#[test]
fn each_rule_fires_where_it_should_and_nowhere_else() {
    // Every rule has a case that triggers it and one that does not.
    let cases: Vec<Value> = serde_json::from_str(include_str!("data/checks/lint.json")).unwrap();
    for case in &cases {
        check(case);
    }
    for lint_rule in rules() {
        let triggered = cases.iter().any(|c| {
            c["rules"][0] == lint_rule.id && !c["expected"].as_array().unwrap().is_empty()
        });
        let quiet = cases
            .iter()
            .any(|c| c["rules"][0] == lint_rule.id && c["expected"].as_array().unwrap().is_empty());
        assert!(triggered && quiet, "{} needs both cases", lint_rule.id);
    }
}

#[test]
fn rules_are_data_with_words_and_an_exercise() {
    // Each rule carries a title, a why, a severity and the exercise that teaches the fix.
    assert_eq!(rules().len(), 3);
    for lint_rule in rules() {
        assert!(!lint_rule.title.is_empty() && !lint_rule.explanation.is_empty());
        assert!(!lint_rule.exercise.is_empty());
        assert_eq!(rule(lint_rule.id).map(|r| r.id), Some(lint_rule.id));
    }
    assert_eq!(
        rule("event-foreign-data").map(|r| r.severity),
        Some(Severity::Error)
    );
    assert!(rule("no-such-rule").is_none());
}

#[test]
fn the_example_designs_lint_as_expected() {
    // The workshop's fixed designs are lint-clean; their findings would teach the wrong lesson.
    for name in [
        "duplicates",
        "duplicates-fixed",
        "lost-update",
        "lost-update-fixed",
        "photo-aggregator",
    ] {
        let path = format!("{}/../designs/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let findings = lint(&load_value(value).unwrap().design);
        assert!(findings.is_empty(), "{name}: {findings:#?}");
    }
}
