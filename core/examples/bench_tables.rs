//! Throughput of the tables engine: expressions parsed per second, conditions evaluated per
//! second, and conditional UpdateItem calls per second on a table of 100,000 items.
//! Run with `cargo run --release -p eventlab-core --example bench_tables`.

use std::hint::black_box;
use std::time::Instant;

use eventlab_core::dynamo::{
    evaluate, item_from_wire, parse_condition, parse_update, AttributeValue, Database, Placeholders,
};
use serde_json::json;

fn per_second(count: u64, started: Instant) -> f64 {
    count as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let placeholders = Placeholders::from_maps(
        &[("#s", "status")],
        &[
            (":v", AttributeValue::number("3")),
            (":paid", AttributeValue::S("PAID".into())),
            (":one", AttributeValue::number("1")),
        ],
    );
    let condition_text =
        "attribute_exists(id) AND version = :v AND (#s <> :paid OR size(entries) > :one)";
    let update_text = "SET #s = :paid, version = version + :one ADD retries :one REMOVE lease";

    let rounds = 200_000u64;
    let started = Instant::now();
    for _ in 0..rounds {
        black_box(parse_condition(black_box(condition_text), &mut placeholders.clone()).unwrap());
        black_box(parse_update(black_box(update_text), &mut placeholders.clone()).unwrap());
    }
    println!(
        "expressions parsed per second:   {:>12.0}",
        per_second(rounds * 2, started)
    );

    let condition = parse_condition(condition_text, &mut placeholders.clone()).unwrap();
    let item = item_from_wire(
        &json!({"id": {"S": "o1"}, "version": {"N": "3"}, "status": {"S": "NEW"},
        "entries": {"L": [{"S": "a"}, {"S": "b"}]}}),
    )
    .unwrap();
    let rounds = 5_000_000u64;
    let started = Instant::now();
    let mut held = 0u64;
    for _ in 0..rounds {
        held += evaluate(black_box(&condition), black_box(&item)) as u64;
    }
    println!(
        "conditions evaluated per second: {:>12.0} ({held} held)",
        per_second(rounds, started)
    );

    let mut database = Database::new();
    let items = 100_000u64;
    for index in 0..items {
        let body = json!({"TableName": "orders", "Item": {"id": {"S": format!("order-{index:06}")}, "version": {"N": "0"}, "status": {"S": "NEW"}}});
        database.execute("PutItem", &body, index).unwrap();
    }
    let calls = 200_000u64;
    let started = Instant::now();
    let mut failed = 0u64;
    for call in 0..calls {
        let key = format!("order-{:06}", (call * 7_919) % items);
        let version = call / items;
        let body = json!({"TableName": "orders", "Key": {"id": {"S": key}},
            "UpdateExpression": "SET version = version + :one, #s = :paid", "ConditionExpression": "version = :v",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":v": {"N": version.to_string()}, ":paid": {"S": "PAID"}}});
        // Spread over virtual time so that the per-partition buckets never throttle.
        if database
            .execute("UpdateItem", &body, items + call * 10)
            .is_err()
        {
            failed += 1;
        }
    }
    println!(
        "conditional UpdateItem per second: {:>10.0} on {items} items ({failed} conditional failures)",
        per_second(calls, started)
    );
}
