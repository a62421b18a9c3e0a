//! Property tests of the pattern engine: no input panics it, and the compiled RuleSet agrees
//! with matching each pattern alone.

use eventlab_core::pattern::{Pattern, RuleSet};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Words that steer generated JSON into the pattern grammar's corners.
const WORDS: [&str; 24] = [
    "prefix",
    "suffix",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
    "wildcard",
    "equals-ignore-case",
    "$or",
    "exactly",
    ">",
    ">=",
    "<",
    "<=",
    "=",
    "a",
    "b",
    "detail",
    "*",
    "a*b",
    "\\*",
    "10.0.0.0/8",
    "",
    "x.y",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(|n| json!(n)),
        (-1e12f64..1e12).prop_map(|n| json!(n)),
        prop::sample::select(WORDS.to_vec()).prop_map(|word| json!(word)),
        "[a-z*\\\\./:0-9]{0,6}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(WORDS.to_vec()), inner), 0..5).prop_map(
                |entries| {
                    Value::Object(
                        entries
                            .into_iter()
                            .map(|(key, value)| (key.to_string(), value))
                            .collect(),
                    )
                }
            ),
        ]
    })
}

fn corpus() -> Vec<Value> {
    let mut cases = Vec::new();
    for file in [
        "eventbridge-patterns.json",
        "patterns/operators.json",
        "patterns/traps.json",
    ] {
        let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let parsed: Vec<Value> = serde_json::from_str(&text).unwrap();
        cases.extend(parsed);
    }
    cases
}

/// Replaces the node numbered `selector` (pre-order, modulo the node count) with `with`.
fn mutate(value: &mut Value, selector: usize, with: Value) {
    fn count(value: &Value) -> usize {
        1 + match value {
            Value::Array(items) => items.iter().map(count).sum(),
            Value::Object(map) => map.values().map(count).sum(),
            _ => 0,
        }
    }
    fn replace(value: &mut Value, target: &mut usize, with: &Value) -> bool {
        if *target == 0 {
            *value = with.clone();
            return true;
        }
        *target -= 1;
        match value {
            Value::Array(items) => items.iter_mut().any(|item| replace(item, target, with)),
            Value::Object(map) => map.values_mut().any(|item| replace(item, target, with)),
            _ => false,
        }
    }
    let mut target = selector % count(value);
    replace(value, &mut target, &with);
}

fn exercise(pattern: &Value, event: &Value) {
    if let Ok(parsed) = Pattern::from_value(pattern) {
        let alone = parsed.matches(event);
        let set = RuleSet::compile(&[("r".to_string(), parsed)]);
        assert_eq!(
            alone,
            !set.matching_rules(event).is_empty(),
            "{pattern} on {event}"
        );
    }
    let _ = Pattern::parse(&pattern.to_string());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    // Proves arbitrary JSON, as a pattern or as an event, never panics the engine.
    #[test]
    fn arbitrary_json_never_panics(pattern in json_value(), event in json_value()) {
        exercise(&pattern, &event);
        exercise(&json!({"detail": pattern.clone()}), &json!({"detail": event.clone()}));
    }

    // Proves mutated corpus patterns are refused or matched without panicking.
    #[test]
    fn mutated_corpus_patterns_never_panic(
        case_index in any::<prop::sample::Index>(),
        selector in 0usize..64,
        replacement in json_value(),
    ) {
        let cases = corpus();
        let case = case_index.get(&cases);
        let mut pattern = case["pattern"].clone();
        mutate(&mut pattern, selector, replacement);
        exercise(&pattern, &case["event"]);
    }
}

/// Every corpus pattern that is valid, named by its position.
fn corpus_rules(cases: &[Value]) -> Vec<(String, Pattern)> {
    cases
        .iter()
        .enumerate()
        .filter_map(|(index, case)| {
            let pattern = Pattern::from_value(&case["pattern"]).ok()?;
            Some((format!("rule-{index:03}"), pattern))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    // Proves the one-pass RuleSet finds exactly the rules that match when tried one by one,
    // on events built from corpus events with values swapped for corpus-like values.
    #[test]
    fn rule_set_agrees_with_single_patterns(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
        mutations in prop::collection::vec((0usize..64, leaf()), 0..4),
    ) {
        let cases = corpus();
        let rules = corpus_rules(&cases);
        let set = RuleSet::compile(&rules);
        let mut event = json!({});
        for pick in &picks {
            if let (Value::Object(target), Value::Object(source)) =
                (&mut event, &pick.get(&cases)["event"])
            {
                for (key, value) in source {
                    target.insert(key.clone(), value.clone());
                }
            }
        }
        for (selector, value) in mutations {
            mutate(&mut event, selector, value);
        }
        let expected: Vec<String> = rules
            .iter()
            .filter(|(_, pattern)| pattern.matches(&event))
            .map(|(name, _)| name.clone())
            .collect();
        prop_assert_eq!(set.matching_rules(&event), expected);
    }
}
