//! Robustness: the expression parsers, the number parser and the request handling never panic,
//! whatever text or JSON they are fed (arbitrary strings, and mutations of valid expressions).

use eventlab_core::dynamo::{
    parse_condition, parse_projection, parse_update, AttributeValue, Database, Number, Placeholders,
};
use proptest::prelude::*;
use serde_json::{json, Value};

fn placeholders() -> Placeholders {
    Placeholders::from_maps(
        &[("#a", "a"), ("#b", "b.c"), ("#n", "name")],
        &[
            (":v", AttributeValue::number("1")),
            (":s", AttributeValue::S("x".into())),
            (":l", AttributeValue::L(vec![])),
        ],
    )
}

const SEEDS: &[&str] = &[
    "a = :v AND (b <> :s OR NOT contains(#a, :s))",
    "attribute_exists(#b) AND size(l[2].x) BETWEEN :v AND :v",
    "begins_with(#n, :s) OR a IN (:v, :s, :v)",
    "SET a = if_not_exists(a, :v) + :v, #b[3] = list_append(:l, c) REMOVE d[0] ADD e :v DELETE f :s",
    "a.b[1], #a, c",
];

/// A mutation of a valid expression: characters replaced, inserted or removed.
fn mutated() -> impl Strategy<Value = String> {
    (
        0..SEEDS.len(),
        proptest::collection::vec(
            (
                any::<u16>(),
                0u8..3,
                prop::sample::select(vec![
                    '(', ')', ',', '.', '[', ']', ':', '#', ' ', 'a', '1', '=', '<', '+', '-', 'é',
                ]),
            ),
            1..6,
        ),
    )
        .prop_map(|(seed, edits)| {
            let mut characters: Vec<char> = SEEDS[seed].chars().collect();
            for (position, kind, character) in edits {
                let index = position as usize % (characters.len() + 1);
                match kind {
                    0 if index < characters.len() => characters[index] = character,
                    1 => characters.insert(index, character),
                    _ if index < characters.len() => {
                        characters.remove(index);
                    }
                    _ => {}
                }
            }
            characters.into_iter().collect()
        })
}

fn every_parser(text: &str) {
    let _ = parse_condition(text, &mut placeholders());
    let _ = parse_update(text, &mut placeholders());
    let _ = parse_projection(text, &mut placeholders());
}

/// Arbitrary JSON, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[ -~]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "S",
            "N",
            "B",
            "SS",
            "NULL",
            "M",
            "L",
            "1e999",
            "YQ==",
            "id",
            "a = :v",
            "SET a = :v"
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop::sample::select(vec![
                    "S",
                    "N",
                    "B",
                    "BOOL",
                    "NULL",
                    "M",
                    "L",
                    "SS",
                    "NS",
                    "BS",
                    "TableName",
                    "Key",
                    "Item",
                    "id",
                    "ConditionExpression",
                    "UpdateExpression",
                    "ExpressionAttributeValues",
                    ":v",
                    "Put",
                    "Update",
                    "TransactItems"
                ]),
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parsers_survive_arbitrary_text(text in "\\PC{0,40}") {
        every_parser(&text);
    }

    #[test]
    fn parsers_survive_mutated_expressions(text in mutated()) {
        every_parser(&text);
    }

    #[test]
    fn number_parser_survives_arbitrary_text(text in "[-+0-9.eE]{0,60}|\\PC{0,20}") {
        if let Ok(number) = Number::parse(&text) {
            // Whatever parses prints canonically and parses back to the same number.
            let printed = number.to_string();
            prop_assert_eq!(Number::parse(&printed), Ok(number));
        }
    }

    #[test]
    fn requests_survive_arbitrary_json(body in json_value(), op in prop::sample::select(vec!["PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "TransactWriteItems", "CreateTable"])) {
        let mut database = Database::new();
        let _ = database.execute(op, &body, 0);
    }

    #[test]
    fn requests_survive_arbitrary_values_in_valid_shapes(value in json_value(), expression in mutated()) {
        let mut database = Database::new();
        let put = json!({"TableName": "fuzz", "Item": {"id": {"S": "a"}, "x": value.clone()}});
        let _ = database.execute("PutItem", &put, 0);
        let update = json!({"TableName": "fuzz", "Key": {"id": {"S": "a"}}, "UpdateExpression": expression,
            "ExpressionAttributeValues": {":v": value, ":s": {"S": "x"}, ":l": {"L": []}}, "ExpressionAttributeNames": {"#a": "a", "#b": "b", "#n": "n"}});
        let _ = database.execute("UpdateItem", &update, 1);
    }
}

/// Deep nesting is refused as a syntax error rather than exhausting the stack.
#[test]
fn deep_nesting_is_a_syntax_error_not_a_crash() {
    for depth in [63usize, 500, 50_000] {
        let condition = format!("{}a = :v{}", "(".repeat(depth), ")".repeat(depth));
        let update = format!("SET a = {}:v{}", "(".repeat(depth), ")".repeat(depth));
        let _ = parse_condition(&condition, &mut placeholders());
        let _ = parse_update(&update, &mut placeholders());
        let function = format!("{}a{}", "size(".repeat(depth), ")".repeat(depth));
        let _ = parse_condition(&format!("{function} = :v"), &mut placeholders());
    }
    let error = parse_condition(
        &format!("{}a = :v{}", "(".repeat(200), ")".repeat(200)),
        &mut placeholders(),
    )
    .unwrap_err();
    assert!(
        error.message.starts_with("Syntax error; token: \"(\""),
        "{}",
        error.message
    );
}
