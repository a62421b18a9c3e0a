//! Benchmark of the pattern engine: events matched per second (JSON parsing included) for 1,
//! 100 and 1,000 rules on realistic 1-2 KB order events, the slowdown from 1 to 1,000 rules,
//! and the time to compile 1,000 rules.
//!
//! Run: `cargo run --release -p eventlab-core --example bench_patterns`

use std::time::Instant;

use eventlab_core::pattern::{Pattern, RuleSet};
use serde_json::{json, Value};

const EVENT_COUNT: usize = 20_000;
const COUNTRIES: [&str; 6] = ["DE", "FR", "GB", "US", "JP", "BR"];
const TIERS: [&str; 4] = ["bronze", "silver", "gold", "platinum"];
const CHANNELS: [&str; 4] = ["web", "ios", "android", "store"];
const TYPES: [&str; 4] = ["OrderPlaced", "OrderPaid", "OrderShipped", "OrderCancelled"];

/// A small deterministic generator (64-bit LCG), so every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn order_event(random: &mut Lcg, index: usize) -> String {
    let items: Vec<Value> = (0..1 + random.below(5))
        .map(|line| {
            json!({
                "sku": format!("SKU-{}-{:04}", random.pick(&["A", "B", "C", "D"]), random.below(10_000)),
                "quantity": 1 + random.below(4),
                "unitPrice": (random.below(20_000) as f64) / 100.0,
                "line": line,
                "warehouse": format!("wh-{}", random.below(12)),
            })
        })
        .collect();
    let event = json!({
        "version": "0",
        "id": format!("6a7e8feb-b491-4cf7-a9f1-{index:012}"),
        "detail-type": random.pick(&TYPES),
        "source": "com.example.orders",
        "account": "111122223333",
        "time": "2026-11-27T10:00:00Z",
        "region": "eu-west-1",
        "resources": [format!("arn:aws:orders:eu-west-1:111122223333:order/{index}")],
        "detail": {
            "orderId": format!("ord-{index}"),
            "customer": {
                "id": format!("cust-{}", random.below(50_000)),
                "tier": random.pick(&TIERS),
                "email": format!("user{}@example.com", random.below(50_000)),
                "marketingOptIn": random.below(2) == 1,
            },
            "total": (random.below(100_000) as f64) / 100.0,
            "currency": "EUR",
            "items": items,
            "shipping": {
                "country": random.pick(&COUNTRIES),
                "method": random.pick(&["standard", "express", "pickup"]),
                "address": {"street": "Main Street 1", "city": "Berlin", "postcode": "10115"},
            },
            "payment": {"method": random.pick(&["card", "paypal", "invoice"]), "status": "authorised"},
            "channel": random.pick(&CHANNELS),
            "notes": "Leave at the front door if nobody answers; ring twice.",
            "billing": {"name": "Erika Mustermann", "street": "Hauptstrasse 5", "city": "Hamburg",
                        "postcode": "20095", "country": random.pick(&COUNTRIES), "vatId": format!("DE{}", random.below(1_000_000_000))},
            "metadata": {"traceId": format!("{:032x}", random.next()), "schemaVersion": 3,
                         "producer": "checkout-service", "experiment": format!("exp-{}", random.below(40)),
                         "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"},
        }
    });
    event.to_string()
}

/// Rule `index` of a realistic mix: exact types, tiers, numeric ranges, prefixes,
/// anything-but, exists and the occasional `$or`.
fn rule(index: usize) -> Pattern {
    let detail_type = TYPES[index % TYPES.len()];
    let pattern = match index % 5 {
        0 => json!({"source": ["com.example.orders"], "detail-type": [detail_type],
                    "detail": {"customer": {"tier": [TIERS[index / 5 % 4]]},
                               "channel": [CHANNELS[index / 20 % 4]],
                               "shipping": {"country": [COUNTRIES[index / 80 % 6]]}}}),
        1 => json!({"detail-type": [detail_type],
                    "detail": {"total": [{"numeric": [">", (index % 997) as f64, "<=", (index % 997 + 2) as f64]}]}}),
        2 => {
            json!({"detail": {"items": {"sku": [{"prefix": format!("SKU-{}-{:03}", ["A","B","C","D"][index % 4], index % 1000)}]},
                               "shipping": {"country": [{"anything-but": COUNTRIES[index % 6]}]}}})
        }
        3 => json!({"detail": {"customer": {"id": [format!("cust-{}", index * 37 % 50_000)]},
                               "payment": {"method": [{"exists": true}]}}}),
        _ => json!({"source": ["com.example.orders"],
                    "$or": [{"detail": {"channel": [CHANNELS[index % 4]]}},
                            {"detail": {"shipping": {"method": ["express"]}}}],
                    "detail": {"items": {"warehouse": [format!("wh-{}", index % 12)],
                                         "quantity": [4]},
                               "customer": {"email": [{"suffix": format!("{}@example.com", index % 1000)}]}}}),
    };
    Pattern::from_value(&pattern).expect("benchmark rules are valid")
}

fn rules(count: usize) -> Vec<(String, Pattern)> {
    (0..count)
        .map(|index| (format!("rule-{index:04}"), rule(index)))
        .collect()
}

/// Events per second over all events, parsing each from text, and the matches found.
fn measure(set: &RuleSet, events: &[String]) -> (f64, usize) {
    let start = Instant::now();
    let mut matches = 0;
    for text in events {
        let event: Value = serde_json::from_str(text).expect("generated events are JSON");
        matches += set.matching_rules(&event).len();
    }
    (events.len() as f64 / start.elapsed().as_secs_f64(), matches)
}

fn main() {
    let mut random = Lcg(42);
    let events: Vec<String> = (0..EVENT_COUNT)
        .map(|index| order_event(&mut random, index))
        .collect();
    let mean_bytes = events.iter().map(String::len).sum::<usize>() / events.len();
    println!("event_size_mean: {mean_bytes} bytes");
    let mut rates = Vec::new();
    for count in [1usize, 100, 1000] {
        let named = rules(count);
        let compile_start = Instant::now();
        let set = RuleSet::compile(&named);
        let compile_ms = compile_start.elapsed().as_secs_f64() * 1000.0;
        let (rate, matches) = measure(&set, &events);
        println!("events_per_s_{count}_rules: {rate:.0} events/s");
        println!("matches_{count}_rules: {matches} matches");
        if count == 1000 {
            println!("compile_1000_rules: {compile_ms:.2} ms");
        }
        rates.push(rate);
    }
    if let (Some(first), Some(last)) = (rates.first(), rates.last()) {
        println!("slowdown_1_to_1000_rules: {:.2} x", first / last);
    }
    let json_only_start = Instant::now();
    for text in &events {
        let _: Value = serde_json::from_str(text).expect("generated events are JSON");
    }
    let parse_rate = events.len() as f64 / json_only_start.elapsed().as_secs_f64();
    println!("events_per_s_json_parse_only: {parse_rate:.0} events/s");
}
