//! Input transformers and target input: every substitution trap of the reference, the
//! placeholder validation message, and Input / InputPath / InputTransformer exclusivity.

use eventlab_core::pattern::transform::{
    InputTransformer, RenderContext, TargetInput, TransformError,
};
use serde_json::{json, Value};

const CONTEXT: RenderContext<'static> = RenderContext {
    rule_name: "example",
    rule_arn: "arn:aws:events:us-west-1:111122223333:rule/example",
    ingestion_time_ms: 1_714_564_800_000,
};

fn data() -> Value {
    let path = format!(
        "{}/tests/data/patterns/transformer.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Renders one transformer case and compares the exact text delivered.
fn check(transformer: &Value, event: &Value, expected: &str) -> Option<String> {
    let parsed = InputTransformer::parse(transformer).unwrap();
    let rendered = parsed.render(event, &CONTEXT);
    (rendered != expected).then(|| format!("expected {expected}, got {rendered}"))
}

// Proves each substitution rule: quoting as a value, raw text inside strings, no escaping,
// empty for missing paths, and the reserved variables.
#[test]
fn substitution_cases() {
    let data = data();
    let mut failures = Vec::new();
    for case in data["cases"].as_array().unwrap() {
        let expected = case["expected"].as_str().unwrap();
        if let Some(why) = check(&case["transformer"], &data["event"], expected) {
            failures.push(format!("{}: {why}", case["name"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// Proves `<aws.events.event.json>` is the event verbatim.
#[test]
fn whole_event_json() {
    let data = data();
    let transformer = json!({"InputTemplate": "<aws.events.event.json>"});
    let rendered = InputTransformer::parse(&transformer)
        .unwrap()
        .render(&data["event"], &CONTEXT);
    assert_eq!(
        serde_json::from_str::<Value>(&rendered).unwrap(),
        data["event"]
    );
}

// Proves an undeclared placeholder is refused with AWS's message at PutTargets.
#[test]
fn undeclared_placeholder_is_refused() {
    let transformer = InputTransformer::parse(&json!({
        "InputPathsMap": {"state": "$.detail.state"},
        "InputTemplate": "\"<state> by <notdefinedkey>\""
    }))
    .unwrap();
    let error = transformer.validate("target-1").unwrap_err();
    assert_eq!(
        error.to_string(),
        "InputTemplate for target target-1 contains invalid placeholder notdefinedkey."
    );
    assert!(
        InputTransformer::parse(&json!({"InputTemplate": "<aws.events.rule-name>"}))
            .unwrap()
            .validate("t")
            .is_ok()
    );
}

// Proves Input, InputPath and InputTransformer are exclusive, and InputPath delivers a
// selected string as a JSON string.
#[test]
fn target_input_kinds() {
    let error = TargetInput::from_target(Some("{}"), Some("$.detail"), None, "t1").unwrap_err();
    assert_eq!(
        error.to_string(),
        "Only one of Input, InputPath, or InputTransformer must be provided for target t1."
    );
    assert!(matches!(error, TransformError::NotExclusive { .. }));
    let data = data();
    let path = TargetInput::from_target(None, Some("$.detail.payload.sf_id"), None, "t").unwrap();
    assert_eq!(path.render(&data["event"], &CONTEXT), "\"baz\"");
    let constant = TargetInput::from_target(Some("{\"k\":1}"), None, None, "t").unwrap();
    assert_eq!(constant.render(&data["event"], &CONTEXT), "{\"k\":1}");
    let whole = TargetInput::from_target(None, None, None, "t").unwrap();
    assert_eq!(
        whole.render(&data["event"], &CONTEXT),
        data["event"].to_string()
    );
}
