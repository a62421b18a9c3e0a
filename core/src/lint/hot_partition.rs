//! `hot-partition`: a producer whose key distribution sends more writes per second to one
//! partition key of a table than that partition's capacity, so the partition throttles while
//! the others sit idle (exercise 11, hot key).
//!
//! Follows each producer's events through the rules to the functions they reach, and each
//! write step of those functions to its table. The share of writes on the hottest key is the
//! producer's `hotSharePpm` when the write's partition key is the producer's `{{key}}`, or every
//! write when the key is a constant (in the step, or a data field the producer always sets to
//! the same value, such as `"pageId": "home"`). Integer arithmetic only (parts per million, milliseconds).

use serde_json::Value;

use crate::design::{Design, NodeKind, Producer, Step, TransactItem, WriteStep};

use super::steps::all_steps;
use super::wiring::{functions_reached, node, sample_event};
use super::Spot;

const MILLION: u64 = 1_000_000;

pub fn find(design: &Design) -> Vec<Spot> {
    let mut spots = Vec::new();
    for producer_node in &design.nodes {
        let NodeKind::Producer(producer) = &producer_node.kind else {
            continue;
        };
        let event = sample_event(design, &producer.event_type, sample_data(&producer.data));
        let reached = functions_reached(design, &producer.bus, &event);
        for placed in all_steps(design) {
            if !reached.iter().any(|f| f == placed.function) {
                continue;
            }
            for write in writes(placed.step) {
                let Some(NodeKind::Table(table)) = node(design, &write.table).map(|n| &n.kind)
                else {
                    continue;
                };
                let template = match placed.step {
                    Step::Put(_) => write.item.as_ref(),
                    _ => write.key.as_ref().or(write.item.as_ref()),
                };
                let Some(key) = template.and_then(|t| t.get(&table.partition_key.name)) else {
                    continue;
                };
                let Some(share_ppm) = hottest_share_ppm(producer, key) else {
                    continue;
                };
                let capacity = u64::from(table.write_units_per_partition);
                let interval_ms = u64::from(producer.interval_ms.max(1));
                // Writes per second on the hottest key: share × 1000 / interval.
                let hot_per_s_times_million = share_ppm * 1_000 / interval_ms;
                let hot_events = u64::from(producer.count) * share_ppm / MILLION;
                if hot_per_s_times_million <= capacity * MILLION || hot_events <= capacity {
                    continue;
                }
                spots.push(Spot {
                    node: Some(producer_node.id.clone()),
                    location: format!("nodes/{}/keys", producer_node.id),
                    message: format!(
                        "{} sends {}% of its {} events to one key, about {} writes per second through {} step {} to a single partition of {}, which takes {capacity} write units per second: that partition throttles while the others sit idle. Shard the key (add a suffix such as #0..#9 and sum on read) or aggregate before writing.",
                        producer_node.id,
                        share_ppm / 10_000,
                        producer.event_type,
                        hot_per_s_times_million / MILLION,
                        placed.function,
                        placed.label,
                        write.table
                    ),
                });
            }
        }
    }
    spots
}

/// The producer's data with its placeholders filled, so rule patterns on `data` can match.
fn sample_data(data: &Value) -> Value {
    match data {
        Value::String(text) => Value::String(text.replace("{{key}}", "k-1").replace("{{n}}", "1")),
        Value::Array(items) => Value::Array(items.iter().map(sample_data).collect()),
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(k, v)| (k.clone(), sample_data(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The share of writes (ppm) that land on the hottest partition key value, when it is known.
fn hottest_share_ppm(producer: &Producer, key: &Value) -> Option<u64> {
    let Value::String(text) = key else {
        return Some(MILLION);
    };
    let Some(path) = text.strip_prefix("$.data.") else {
        return if text.starts_with("$.") {
            None
        } else {
            Some(MILLION)
        };
    };
    let value = producer.data.get(path)?;
    let Value::String(template) = value else {
        // A number or flag the producer writes as it is: the same key on every event.
        return Some(MILLION);
    };
    if !template.contains("{{") {
        // A constant such as "home": every event writes the same key.
        return Some(MILLION);
    }
    if !template.contains("{{key}}") {
        // `{{n}}` makes every event's key its own.
        return None;
    }
    match producer.keys.count {
        0 => None,
        1 => Some(MILLION),
        count => Some(u64::from(producer.keys.hot_share_ppm).max(MILLION / u64::from(count))),
    }
}

/// The writes of a step: its own, or a transaction's puts, updates and deletes.
fn writes(step: &Step) -> Vec<&WriteStep> {
    match step {
        Step::Put(w) | Step::Update(w) | Step::Delete(w) => vec![w],
        Step::TransactWrite(transaction) => transaction
            .items
            .iter()
            .filter_map(|item| match item {
                TransactItem::Put(w) | TransactItem::Update(w) | TransactItem::Delete(w) => Some(w),
                TransactItem::ConditionCheck(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
