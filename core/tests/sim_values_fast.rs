//! The simulator's direct conversions between plain JSON and attribute values answer exactly
//! what the wire shape round trip they replace answers (`marshal` then `from_wire`, `to_wire`
//! then `unmarshal`), and `marshal_owned` what `marshal` does, on values of every shape,
//! nesting and number range.

use eventlab_core::dynamo::{item_from_wire, AttributeValue};
use eventlab_core::sim::values::{
    attribute_of_plain, marshal, marshal_owned, plain_of_attribute, plain_of_item, unmarshal,
    unmarshal_map,
};
use proptest::prelude::*;
use serde_json::{json, Value};

fn plain_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just(1e125),
            Just(1e126),
            Just(1e-130),
            Just(1e-131),
            Just(-9.99e125)
        ]
        .prop_map(|f| json!(f)),
        "[a-z#:$. ]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A value nested `depth` lists deep, around DynamoDB's limit of 32.
fn nested(depth: usize) -> Value {
    (0..depth).fold(json!(1), |inner, _| json!([inner]))
}

fn check(value: &Value) {
    assert_eq!(marshal_owned(value.clone()), marshal(value));
    let expected = AttributeValue::from_wire(&marshal(value)).ok();
    let direct = attribute_of_plain(value);
    assert_eq!(direct, expected, "{value}");
    if let Some(attribute) = direct {
        assert_eq!(
            plain_of_attribute(&attribute),
            unmarshal(&attribute.to_wire())
        );
    }
}

// Nesting at and beyond DynamoDB's limit is refused the same way both ways.
#[test]
fn nesting_limits_agree() {
    for depth in [0, 1, 31, 32, 33, 34, 40] {
        check(&nested(depth));
    }
}

// Items read back from the tables become the same plain objects both ways, sets and binaries
// included.
#[test]
fn items_read_back_the_same() {
    let wire = json!({"s": {"S": "x"}, "n": {"N": "-12.50"}, "b": {"B": "AAE="},
        "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["3", "1e2", "0.5"]}, "bs": {"BS": ["AQ==", "AA=="]},
        "l": {"L": [{"NULL": true}, {"BOOL": false}, {"M": {"k": {"N": "99999999999999999999"}}}]}});
    let item = item_from_wire(&wire).unwrap_or_default();
    assert_eq!(item.len(), 7);
    let wire_again = eventlab_core::dynamo::item_to_value(&item);
    let expected = unmarshal_map(wire_again.as_object().unwrap_or(&serde_json::Map::new()));
    assert_eq!(plain_of_item(&item), expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    // Any plain value converts as the wire round trip converts it, or is refused by both.
    #[test]
    fn plain_values_convert_as_the_wire_does(value in plain_value()) {
        check(&value);
    }
}
