//! CloudEvents 1.0.2: validation of envelopes, extension naming, data versus data_base64,
//! the JSON format round trip, the tracing accessors and the EventBridge bridge.

use eventlab_core::cloudevent::{to_eventbridge, validate_json, BusEnvelope, CloudEvent};
use serde_json::{json, Value};

fn cases() -> Vec<Value> {
    let path = format!(
        "{}/tests/data/cloudevents/validation.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Checks one event's problems, one line each, against the expected lines.
fn check(event: &Value, expected: &[String]) -> Option<String> {
    let actual: Vec<String> = validate_json(event)
        .iter()
        .map(ToString::to_string)
        .collect();
    (actual != expected).then(|| format!("expected {expected:?}, got {actual:?}"))
}

// Proves valid envelopes pass and each invalid one reports exactly its problems.
#[test]
fn validation_cases() {
    let mut failures = Vec::new();
    for case in cases() {
        let expected: Vec<String> = serde_json::from_value(case["problems"].clone()).unwrap();
        if let Some(why) = check(&case["event"], &expected) {
            failures.push(format!("{}: {why}", case["name"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// Proves every valid case survives JSON -> CloudEvent -> JSON -> CloudEvent unchanged
// (null members aside, which mean unset).
#[test]
fn round_trip_through_json() {
    for case in cases() {
        if !case["problems"].as_array().unwrap().is_empty() {
            continue;
        }
        let event = CloudEvent::from_json(&case["event"]).unwrap();
        let written = event.to_json();
        let mut without_nulls = case["event"].clone();
        without_nulls
            .as_object_mut()
            .unwrap()
            .retain(|_, value| !value.is_null());
        assert_eq!(written, without_nulls, "{}", case["name"]);
        let text = serde_json::to_string(&written).unwrap();
        assert_eq!(CloudEvent::parse(&text).unwrap(), event, "{}", case["name"]);
    }
}

// Proves the tracing convention: a caused event keeps the correlation and names its cause.
#[test]
fn correlation_and_causation() {
    let mut first = CloudEvent::new("evt-1", "/orders", "com.example.order.placed.v1");
    assert_eq!(first.correlation_id(), None);
    let second = first.caused_by("evt-2", "/payments", "com.example.payment.taken.v1");
    assert_eq!(second.correlation_id(), Some("evt-1"));
    assert_eq!(second.causation_id(), Some("evt-1"));
    first.set_correlation_id("txn-9");
    let third = first.caused_by("evt-3", "/stock", "com.example.stock.reserved.v1");
    assert_eq!(third.correlation_id(), Some("txn-9"));
    assert!(third.validate().is_empty());
}

// Proves the bridge: source, detail-type and detail come from the CloudEvent, the rest from
// the bus envelope.
#[test]
fn eventbridge_bridge() {
    let event = CloudEvent::from_json(&json!({
        "specversion": "1.0", "id": "evt-42", "source": "/orders",
        "type": "com.example.order.placed.v1", "data": {"orderId": 1}
    }))
    .unwrap();
    let envelope = BusEnvelope {
        id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718".to_string(),
        account: "111122223333".to_string(),
        region: "eu-west-1".to_string(),
        time: "2024-05-01T12:00:00Z".to_string(),
    };
    let bridged = to_eventbridge(&event, &envelope);
    assert_eq!(
        bridged,
        json!({
            "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            "detail-type": "com.example.order.placed.v1", "source": "/orders",
            "account": "111122223333", "time": "2024-05-01T12:00:00Z", "region": "eu-west-1",
            "resources": [],
            "detail": {"specversion": "1.0", "id": "evt-42", "source": "/orders",
                       "type": "com.example.order.placed.v1", "data": {"orderId": 1}}
        })
    );
}

// Proves invalid JSON text is reported as a problem, not a panic.
#[test]
fn invalid_json_text() {
    let problems = CloudEvent::parse("{\"id\": ").unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0]
        .to_string()
        .starts_with("event: is not valid JSON"));
}

mod properties {
    use eventlab_core::cloudevent::{validate_json, CloudEvent};
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn member_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            (-1e9f64..1e9).prop_map(|n| json!(n)),
            "\\PC{0,12}".prop_map(Value::String),
            Just(json!({"nested": [1, "x"]})),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        // Proves any object of attributes is validated without panicking, and whatever
        // parses survives a round trip through JSON.
        #[test]
        fn arbitrary_members_never_panic(
            members in prop::collection::vec(
                (prop::sample::select(vec!["specversion", "id", "source", "type", "time",
                    "datacontenttype", "dataschema", "subject", "data", "data_base64",
                    "traceparent", "correlationid", "Bad_Name", "ext1"]), member_value()),
                0..10)
        ) {
            let event = Value::Object(
                members.into_iter().map(|(name, value)| (name.to_string(), value)).collect(),
            );
            let _ = validate_json(&event);
            if let Ok(parsed) = CloudEvent::from_json(&event) {
                prop_assert_eq!(CloudEvent::from_json(&parsed.to_json()).ok(), Some(parsed));
            }
        }
    }
}
